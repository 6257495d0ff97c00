package io.tiergate.worker.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.worker.backend.ChunkSink;
import io.tiergate.worker.backend.Conversation;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.backend.ToolCalls;
import io.tiergate.worker.http.HttpEndpoint;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.http.Redactor;
import io.tiergate.worker.http.SseReader;
import io.tiergate.worker.http.TokenEstimate;
import io.tiergate.worker.http.WireJson;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Anthropic Messages API ({@code POST {base}/v1/messages}, {@code x-api-key},
 * {@code anthropic-version: 2023-06-01}). Usage: {@code input_tokens} (uncached),
 * {@code cache_read_input_tokens}, {@code cache_creation_input_tokens}, {@code output_tokens}.
 * Streaming: {@code message_start} carries the input-side usage, {@code content_block_delta}
 * ({@code text_delta}) the text, {@code tool_use} blocks ({@code content_block_start}, then
 * {@code input_json_delta} pieces) the tool calls, answered in OpenAI's shape ({@link ToolCalls}),
 * {@code message_delta} the cumulative usage and stop reason,
 * {@code message_stop} ends it; {@code ping} is ignored; an {@code error} event fails the call
 * (an {@code overloaded_error} is retryable). A stream without {@code message_stop} is MALFORMED and
 * bills what {@code message_start}/{@code message_delta} reported.
 */
public final class AnthropicMessagesBackend implements ModelBackend {

    public static final String API_VERSION = "2023-06-01";

    private final ModelHttp http;
    private final HttpEndpoint endpoint;
    private final int defaultMaxOutputTokens;

    /** {@code defaultMaxOutputTokens}: sent when the call sets no limit (the API requires {@code max_tokens}). */
    public AnthropicMessagesBackend(ModelHttp http, HttpEndpoint endpoint, int defaultMaxOutputTokens) {
        this.http = http;
        this.endpoint = endpoint;
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    @Override
    public String provider() {
        return endpoint.provider();
    }

    @Override
    public OptionalInt defaultMaxOutputTokens() {
        return OptionalInt.of(defaultMaxOutputTokens);
    }

    @Override
    public ModelResponse call(ModelCall call) throws ModelCallException {
        return call(call, ChunkSink.NONE);
    }

    /** Streams when the endpoint is configured to, or when {@code chunks} listens. */
    @Override
    public ModelResponse call(ModelCall call, ChunkSink chunks) throws ModelCallException {
        boolean stream = endpoint.stream() || chunks != ChunkSink.NONE;
        Map<String, String> auth = Map.of("x-api-key", endpoint.apiKey(), "anthropic-version", API_VERSION);
        String accept = stream ? "text/event-stream" : "application/json";
        try (ModelHttp.Exchange exchange =
                http.post(endpoint, "/v1/messages", auth, accept, WireJson.bytes(body(call, stream)), call.timeout())) {
            return stream ? readStream(call, exchange, chunks) : readWhole(call, exchange);
        }
    }

    ObjectNode body(ModelCall call) throws ModelCallException {
        return body(call, endpoint.stream());
    }

    private ObjectNode body(ModelCall call, boolean stream) throws ModelCallException {
        ObjectNode root = WireJson.object();
        root.put("model", endpoint.remoteModel(call.model()));
        root.put("max_tokens", call.outputLimit(OptionalInt.of(defaultMaxOutputTokens)));
        Conversation chat = call.conversation();
        if (chat.hasTurns()) {
            AnthropicConversation.write(chat, root);
        } else {
            call.system().ifPresent(s -> root.put("system", s));
            root.putArray("messages").addObject().put("role", "user").put("content", call.prompt());
        }
        chat.temperatureValue().ifPresent(t -> root.put("temperature", t));
        if (stream) {
            root.put("stream", true);
        }
        return root;
    }

    private ModelResponse readWhole(ModelCall call, ModelHttp.Exchange exchange) throws ModelCallException {
        JsonNode root = WireJson.parse(exchange.remainingBody(), call.model() + ": message", endpoint);
        if ("error".equals(root.path("type").asText())) {
            throw eventError(call, root.path("error"));
        }
        if (!root.path("usage").isObject()) {
            throw ModelCallException.malformed(call.model() + ": message without usage", null);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : root.path("content")) {
            if ("text".equals(block.path("type").asText())) {
                text.append(block.path("text").asText(""));
            }
        }
        Counts counts = new Counts();
        counts.update(root.get("usage"));
        return ModelResponse.builder(endpoint.provider())
                .output(text.toString())
                .usage(counts.tokens())
                .latency(exchange.elapsed())
                .finishReason(WireJson.textOrNull(root, "stop_reason"))
                .toolCalls(ToolCalls.fromAnthropic(root.path("content"), call.requestId()))
                .build();
    }

    private ModelResponse readStream(ModelCall call, ModelHttp.Exchange exchange, ChunkSink chunks)
            throws ModelCallException {
        StringBuilder text = new StringBuilder();
        Counts counts = new Counts();
        Duration ttft = null;
        String stopReason = null;
        boolean started = false;
        ToolCalls.Deltas toolCalls = new ToolCalls.Deltas();
        SseReader sse = new SseReader(exchange::nextLine);
        for (SseReader.Event event = sse.next(); event != null; event = sse.next()) {
            JsonNode data = WireJson.parse(event.data(), call.model() + ": " + event.name() + " event", endpoint);
            String type = data.path("type").asText(event.name());
            switch (type) {
                case "message_start" -> {
                    started = true;
                    counts.update(data.path("message").path("usage"));
                }
                case "content_block_start" -> {
                    if ("tool_use"
                            .equals(data.path("content_block").path("type").asText())) {
                        toolCalls.startAnthropic(data.path("index").asInt(), data.path("content_block"));
                    }
                }
                case "content_block_delta" -> {
                    JsonNode delta = data.path("delta");
                    if ("input_json_delta".equals(delta.path("type").asText())) {
                        toolCalls.addAnthropic(
                                data.path("index").asInt(),
                                delta.path("partial_json").asText(""));
                    }
                    if ("text_delta".equals(delta.path("type").asText())) {
                        if (ttft == null) {
                            ttft = exchange.elapsed();
                        }
                        String piece = delta.path("text").asText("");
                        if (!piece.isEmpty()) {
                            text.append(piece);
                            chunks.text(piece);
                        }
                    }
                }
                case "message_delta" -> {
                    counts.update(data.path("usage"));
                    if (data.path("delta").hasNonNull("stop_reason")) {
                        stopReason = data.path("delta").get("stop_reason").asText();
                    }
                }
                case "message_stop" -> {
                    return ModelResponse.builder(endpoint.provider())
                            .output(text.toString())
                            .usage(counts.tokens())
                            .latency(exchange.elapsed())
                            .ttft(ttft)
                            .finishReason(stopReason)
                            .toolCalls(toolCalls.json(call.requestId()))
                            .build();
                }
                case "error" -> throw eventError(call, data.path("error")).withConsumed(counts.tokens());
                default -> {
                    // ping, content_block_stop and event types added later carry no usage
                }
            }
        }
        ModelCallException truncated =
                ModelCallException.malformed(call.model() + ": stream ended before message_stop", null);
        throw started ? truncated.withConsumed(counts.tokensOrEstimate(text)) : truncated;
    }

    private ModelCallException eventError(ModelCall call, JsonNode error) {
        String type = error.path("type").asText("api_error");
        String message = call.model() + ": " + type + ": "
                + Redactor.clean(error.path("message").asText(""), endpoint.apiKey());
        return switch (type) {
            case "overloaded_error" -> ModelCallException.retryable("overloaded", message, 529, null);
            case "rate_limit_error" -> ModelCallException.retryable("rate_limited", message, 429, null);
            case "api_error", "timeout_error" -> ModelCallException.retryable("provider_error", message, 500, null);
            case "not_found_error" -> ModelCallException.nonRetryable("model_not_found", message, 404);
            case "authentication_error" -> ModelCallException.nonRetryable("unauthorized", message, 401);
            default -> ModelCallException.nonRetryable(type, message, 400);
        };
    }

    /** Usage as the events report it; later (cumulative) figures replace earlier ones. */
    private static final class Counts {
        long input;
        long output;
        long cacheRead;
        long cacheWrite;
        boolean outputReported;

        void update(JsonNode usage) {
            if (usage == null || !usage.isObject()) {
                return;
            }
            if (usage.hasNonNull("input_tokens")) {
                input = usage.get("input_tokens").asLong();
            }
            if (usage.hasNonNull("output_tokens")) {
                output = usage.get("output_tokens").asLong();
                outputReported = true;
            }
            if (usage.hasNonNull("cache_read_input_tokens")) {
                cacheRead = usage.get("cache_read_input_tokens").asLong();
            }
            if (usage.hasNonNull("cache_creation_input_tokens")) {
                cacheWrite = usage.get("cache_creation_input_tokens").asLong();
            }
        }

        TokenUsage tokens() {
            return new TokenUsage(input, output, cacheRead, cacheWrite);
        }

        /** For a cut-off stream: the output count so far, at least the text received / 4. */
        TokenUsage tokensOrEstimate(CharSequence text) {
            long estimate = TokenEstimate.tokensOf(text);
            return new TokenUsage(input, outputReported ? Math.max(output, estimate) : estimate, cacheRead, cacheWrite);
        }
    }
}
