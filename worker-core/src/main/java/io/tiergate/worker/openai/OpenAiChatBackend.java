package io.tiergate.worker.openai;

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
import io.tiergate.worker.http.HttpErrors;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.http.Redactor;
import io.tiergate.worker.http.ServerKind;
import io.tiergate.worker.http.SseReader;
import io.tiergate.worker.http.ThinkingFilter;
import io.tiergate.worker.http.TokenEstimate;
import io.tiergate.worker.http.WireJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI chat completions ({@code POST {base}/chat/completions}, base ending in {@code /v1}) —
 * OpenAI, OpenRouter, any compatible gateway, and local servers (llama.cpp server, vLLM, LM Studio,
 * Ollama's compatibility layer).
 *
 * <ul>
 *   <li>not streamed: {@code {"choices": [{"message": {"content", "tool_calls"}, "finish_reason"}], "usage"}};
 *   <li>streamed (server-sent events, with {@code stream_options.include_usage}): {@code data:}
 *       chunks with {@code choices[].delta.content} (and {@code delta.tool_calls} fragments, joined by
 *       {@code index}: {@link ToolCalls.Deltas}), one last chunk with empty {@code choices} and
 *       the {@code usage}, then {@code data: [DONE]}; a stream without {@code [DONE]} was cut off
 *       (MALFORMED);
 *   <li>usage: {@code prompt_tokens} includes {@code prompt_tokens_details.cached_tokens} and
 *       OpenRouter's {@code cache_write_tokens}, which are split out; OpenRouter's {@code usage.cost}
 *       (USD, read as a decimal) is the call's bill when present; llama.cpp's {@code timings.prompt_ms
 *       + predicted_ms} is the server's busy time;
 *   <li>errors: {@code {"error": {"message", "type", "code"}}} (vLLM: {@code {"object": "error",
 *       "message"}}) in a non-2xx body, or as a chunk mid-stream (OpenRouter: status stays 200).
 * </ul>
 * Every request carries {@code max_tokens}: the call's, else the endpoint's default, else
 * {@link ModelCall#FALLBACK_MAX_OUTPUT_TOKENS}. An answer without usage is billed as the endpoint's {@link ServerKind} says: a provider's at
 * estimated tokens (logged), a local server's at its time.
 */
public final class OpenAiChatBackend implements ModelBackend {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiChatBackend.class);
    private static final String PATH = "/chat/completions";

    private final ModelHttp http;
    private final HttpEndpoint endpoint;
    private final OptionalInt defaultMaxOutputTokens;

    /** Sends the call's {@code max_tokens}; a call without one gets {@link ModelCall#FALLBACK_MAX_OUTPUT_TOKENS}. */
    public OpenAiChatBackend(ModelHttp http, HttpEndpoint endpoint) {
        this(http, endpoint, OptionalInt.empty());
    }

    /** {@code defaultMaxOutputTokens}: the endpoint's {@code max_tokens} for calls that set none. */
    public OpenAiChatBackend(ModelHttp http, HttpEndpoint endpoint, OptionalInt defaultMaxOutputTokens) {
        this.http = http;
        this.endpoint = endpoint;
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    @Override
    public OptionalInt defaultMaxOutputTokens() {
        return defaultMaxOutputTokens;
    }

    @Override
    public String provider() {
        return endpoint.provider();
    }

    @Override
    public ModelResponse call(ModelCall call) throws ModelCallException {
        return call(call, ChunkSink.NONE);
    }

    /** Streams when the endpoint is configured to, or when {@code chunks} listens. */
    @Override
    public ModelResponse call(ModelCall call, ChunkSink chunks) throws ModelCallException {
        boolean stream = endpoint.stream() || chunks != ChunkSink.NONE;
        Map<String, String> auth =
                endpoint.apiKey() == null ? Map.of() : Map.of("authorization", "Bearer " + endpoint.apiKey());
        String accept = stream ? "text/event-stream" : "application/json";
        try (ModelHttp.Exchange exchange =
                http.post(endpoint, PATH, auth, accept, WireJson.bytes(body(call, stream)), call.timeout())) {
            return stream ? readStream(call, exchange, chunks) : readWhole(call, exchange);
        }
    }

    ObjectNode body(ModelCall call) throws ModelCallException {
        return body(call, endpoint.stream());
    }

    private ObjectNode body(ModelCall call, boolean stream) throws ModelCallException {
        ObjectNode body =
                WireJson.chatBody(endpoint.remoteModel(call.model()), call, stream, WireJson.ChatDialect.OPENAI);
        Conversation chat = call.conversation();
        if (chat.tools().isPresent()) {
            body.set("tools", WireJson.clientJson(chat.tools().get(), "tools"));
        }
        if (chat.toolChoice().isPresent()) {
            body.set("tool_choice", WireJson.clientJson(chat.toolChoice().get(), "tool_choice"));
        }
        if (chat.responseFormat().isPresent()) {
            body.set(
                    "response_format", WireJson.clientJson(chat.responseFormat().get(), "response_format"));
        }
        chat.temperatureValue().ifPresent(t -> body.put("temperature", t));
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        // always a limit: without one a model may produce up to its maximum, at its price (docs/budgets.md)
        body.put("max_tokens", call.outputLimit(defaultMaxOutputTokens));
        return body;
    }

    private ModelResponse readWhole(ModelCall call, ModelHttp.Exchange exchange) throws ModelCallException {
        String text = exchange.remainingBody();
        JsonNode root = WireJson.parse(text, call.model() + ": chat completion", endpoint);
        if (HttpErrors.isError(root)) {
            throw HttpErrors.inAnswer(root, exchange.status(), call.model(), endpoint);
        }
        JsonNode choice = root.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw ModelCallException.malformed(
                    call.model() + ": chat completion without choices: " + Redactor.clean(text, endpoint.apiKey()),
                    null);
        }
        return answer(
                call,
                choice.path("message").path("content").asText(""),
                Usage.of(root.get("usage")),
                root.get("timings"),
                exchange.elapsed(),
                null,
                WireJson.textOrNull(choice, "finish_reason"),
                ToolCalls.fromOpenAi(choice.path("message").get("tool_calls"), call.requestId()));
    }

    private ModelResponse readStream(ModelCall call, ModelHttp.Exchange exchange, ChunkSink chunks)
            throws ModelCallException {
        // a local server's answer loses its <think> blocks (answer()); so do its streamed pieces
        ThinkingFilter pieces = endpoint.kind() == ServerKind.LOCAL_SERVER ? new ThinkingFilter(chunks) : null;
        ChunkSink sink = pieces != null ? pieces : chunks;
        StringBuilder output = new StringBuilder();
        Duration ttft = null;
        Usage usage = null;
        JsonNode timings = null;
        String finish = null;
        ToolCalls.Deltas toolCalls = new ToolCalls.Deltas();
        SseReader sse = new SseReader(exchange::nextLine);
        for (SseReader.Event event = sse.next(); event != null; event = sse.next()) {
            if ("[DONE]".equals(event.data().strip())) {
                if (pieces != null) {
                    pieces.flush();
                }
                return answer(
                        call,
                        output.toString(),
                        usage,
                        timings,
                        exchange.elapsed(),
                        ttft,
                        finish,
                        toolCalls.json(call.requestId()));
            }
            JsonNode chunk = WireJson.parse(event.data(), call.model() + ": chat completion chunk", endpoint);
            if (HttpErrors.isError(chunk)) {
                throw withConsumed(
                        HttpErrors.inAnswer(chunk, exchange.status(), call.model(), endpoint), call, output, usage);
            }
            for (JsonNode choice : chunk.path("choices")) {
                String piece = choice.path("delta").path("content").asText("");
                if (!piece.isEmpty()) {
                    if (ttft == null) {
                        ttft = exchange.elapsed();
                    }
                    output.append(piece);
                    sink.text(piece);
                }
                if (choice.path("delta").path("tool_calls").isArray()) {
                    toolCalls.addOpenAi(choice.path("delta").get("tool_calls"));
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
            }
            if (chunk.hasNonNull("usage")) {
                usage = Usage.of(chunk.get("usage"));
            }
            if (chunk.hasNonNull("timings")) {
                timings = chunk.get("timings");
            }
        }
        ModelCallException truncated = ModelCallException.malformed(
                call.model() + ": chat completion stream from " + endpoint.resolve(PATH)
                        + " ended without data: [DONE] (after " + output.length() + " characters)",
                null);
        throw withConsumed(truncated, call, output, usage);
    }

    private ModelResponse answer(
            ModelCall call,
            String output,
            Usage usage,
            JsonNode timings,
            Duration latency,
            Duration ttft,
            String finish,
            String toolCalls) {
        TokenUsage tokens;
        BigDecimal cost = null;
        if (usage != null) {
            tokens = usage.tokens();
            cost = usage.costUsd();
        } else if (endpoint.kind() == ServerKind.PROVIDER_API) {
            tokens = TokenEstimate.of(call, output);
            LOG.warn("{} answered without usage; billing estimated tokens {}", call.model(), tokens);
        } else {
            tokens = TokenUsage.of(0, 0);
        }
        return ModelResponse.builder(endpoint.provider())
                .output(endpoint.kind() == ServerKind.LOCAL_SERVER ? WireJson.withoutThinking(output) : output)
                .usage(tokens)
                .providerCostUsd(cost)
                .latency(latency)
                .ttft(ttft)
                .busy(busy(timings).orElse(null))
                .finishReason(finish)
                .toolCalls(toolCalls)
                .build();
    }

    /** A failure that ended the answer part-way: what it consumed, as far as the endpoint's kind bills it. */
    private ModelCallException withConsumed(
            ModelCallException failure, ModelCall call, CharSequence output, Usage usage) {
        if (usage != null) {
            return failure.withConsumed(usage.tokens());
        }
        return endpoint.kind() == ServerKind.PROVIDER_API
                ? failure.withConsumed(TokenEstimate.of(call, output))
                : failure;
    }

    /** llama.cpp's {@code timings}: the server's own time for the prompt and the generation. */
    private static Optional<Duration> busy(JsonNode timings) {
        if (timings == null || !timings.has("prompt_ms") || !timings.has("predicted_ms")) {
            return Optional.empty();
        }
        double ms = timings.get("prompt_ms").asDouble()
                + timings.get("predicted_ms").asDouble();
        return Optional.of(Duration.ofNanos(Math.round(ms * 1_000_000)));
    }

    /** The usage object of chat completions, normalised. */
    record Usage(long prompt, long completion, long cachedRead, long cacheWrite, BigDecimal costUsd) {
        static Usage of(JsonNode u) throws ModelCallException {
            if (u == null || u.isNull()) {
                return null;
            }
            if (!u.path("prompt_tokens").canConvertToLong()
                    || !u.path("completion_tokens").canConvertToLong()) {
                throw ModelCallException.malformed("usage without prompt_tokens / completion_tokens: " + u, null);
            }
            JsonNode details = u.path("prompt_tokens_details");
            BigDecimal cost = u.hasNonNull("cost") && u.get("cost").isNumber()
                    ? u.get("cost").decimalValue()
                    : null;
            return new Usage(
                    u.get("prompt_tokens").asLong(),
                    u.get("completion_tokens").asLong(),
                    details.path("cached_tokens").asLong(0),
                    details.path("cache_write_tokens").asLong(0),
                    cost);
        }

        /** prompt_tokens includes cached reads (and OpenRouter's cache writes): split them out. */
        TokenUsage tokens() {
            long uncached = Math.max(0, prompt - cachedRead - cacheWrite);
            return new TokenUsage(uncached, completion, cachedRead, cacheWrite);
        }
    }
}
