package io.tiergate.worker.ollama;

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
import io.tiergate.worker.http.ThinkingFilter;
import io.tiergate.worker.http.WireJson;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Ollama's native chat API ({@code POST {base}/api/chat}, docs/api.md "Generate a chat completion"
 * and docs.ollama.com/api/errors):
 *
 * <ul>
 *   <li>request {@code {"model", "messages": [{"role","content","tool_calls","tool_name"}], "stream",
 *       "think", "keep_alive", "tools", "format", "options": {"num_ctx", "num_predict", "temperature"}}}
 *       (a conversation's turns as they are; OpenAI's {@code response_format} becomes {@code format};
 *       Ollama has no {@code tool_choice}, so it is not sent);
 *   <li>streamed: NDJSON objects {@code {"message": {"content": "…"}, "done": false}}, ending with
 *       {@code "done": true} which carries {@code total_duration}, {@code load_duration},
 *       {@code prompt_eval_count}, {@code eval_count} (durations in nanoseconds); a stream that ends
 *       without it was cut off (MALFORMED);
 *   <li>not streamed: one object with the whole {@code message} and the same statistics;
 *   <li>tool calls: {@code message.tool_calls [{"function": {"name", "arguments": {…}}}]}, arguments an
 *       object (in a stream, whole in one chunk's message), answered in OpenAI's shape ({@link ToolCalls});
 *   <li>errors: a non-2xx status with {@code {"error": "…"}} (404 {@code model 'x' not found}), or,
 *       once streaming has started, an NDJSON line {@code {"error": "…"}} with status 200.
 * </ul>
 * The answer's busy time is {@code total_duration} (the local worker prices by it).
 */
public final class OllamaChatBackend implements ModelBackend {

    /**
     * Ollama's request options.
     *
     * @param think {@code think}; {@code false} keeps thinking models (qwen3, deepseek-r1) from
     *     spending tokens on reasoning; null leaves the field out (for servers that reject it)
     * @param keepAlive {@code keep_alive} ("5m", "-1", "0"); null leaves the server default
     * @param numCtx {@code options.num_ctx}; null leaves the model default
     */
    public record Options(Boolean think, String keepAlive, Integer numCtx) {}

    private final ModelHttp http;
    private final HttpEndpoint endpoint;
    private final Options options;

    public OllamaChatBackend(ModelHttp http, HttpEndpoint endpoint, Options options) {
        this.http = http;
        this.endpoint = endpoint;
        this.options = options;
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
        String accept = stream ? "application/x-ndjson" : "application/json";
        try (ModelHttp.Exchange exchange = http.post(
                endpoint, "/api/chat", Map.of(), accept, WireJson.bytes(body(call, stream)), call.timeout())) {
            return stream ? readStream(call, exchange, chunks) : readSingle(call, exchange);
        }
    }

    ObjectNode body(ModelCall call) throws ModelCallException {
        return body(call, endpoint.stream());
    }

    private ObjectNode body(ModelCall call, boolean stream) throws ModelCallException {
        ObjectNode body =
                WireJson.chatBody(endpoint.remoteModel(call.model()), call, stream, WireJson.ChatDialect.OLLAMA);
        Conversation chat = call.conversation();
        if (chat.tools().isPresent()) {
            body.set("tools", WireJson.clientJson(chat.tools().get(), "tools"));
        }
        if (chat.responseFormat().isPresent()) {
            JsonNode format = WireJson.clientJson(chat.responseFormat().get(), "response_format");
            // Ollama's "format": "json", or a JSON schema; OpenAI's {"type": "text"} needs nothing
            switch (format.path("type").asText("")) {
                case "json_object" -> body.put("format", "json");
                case "json_schema" ->
                    body.set("format", format.path("json_schema").path("schema"));
                default -> {}
            }
        }
        if (options.think() != null) {
            body.put("think", options.think());
        }
        if (options.keepAlive() != null && !options.keepAlive().isBlank()) {
            body.put("keep_alive", options.keepAlive());
        }
        ObjectNode ollamaOptions = WireJson.object();
        if (options.numCtx() != null) {
            ollamaOptions.put("num_ctx", options.numCtx());
        }
        // always a limit (the call's, else ModelCall.FALLBACK_MAX_OUTPUT_TOKENS): Ollama's own default is unbounded
        ollamaOptions.put("num_predict", call.outputLimit(OptionalInt.empty()));
        chat.temperatureValue().ifPresent(t -> ollamaOptions.put("temperature", t));
        if (!ollamaOptions.isEmpty()) {
            body.set("options", ollamaOptions);
        }
        return body;
    }

    private ModelResponse readSingle(ModelCall call, ModelHttp.Exchange exchange) throws ModelCallException {
        String text = exchange.remainingBody();
        JsonNode node = WireJson.parse(text, call.model() + ": Ollama /api/chat response", endpoint);
        failOnError(call, node, exchange);
        if (!node.path("done").asBoolean(false)) {
            throw ModelCallException.malformed(
                    call.model() + ": Ollama /api/chat response without \"done\": true: "
                            + Redactor.clean(text, endpoint.apiKey()),
                    null);
        }
        return response(
                node,
                node.path("message").path("content").asText(""),
                exchange.elapsed(),
                null,
                ToolCalls.fromOllama(node.path("message").get("tool_calls"), call.requestId()));
    }

    private ModelResponse readStream(ModelCall call, ModelHttp.Exchange exchange, ChunkSink chunks)
            throws ModelCallException {
        // a local server's answer loses its <think> blocks (response()); so do its streamed pieces
        ThinkingFilter pieces = endpoint.kind() == ServerKind.LOCAL_SERVER ? new ThinkingFilter(chunks) : null;
        ChunkSink sink = pieces != null ? pieces : chunks;
        StringBuilder content = new StringBuilder();
        Duration ttft = null;
        // Ollama sends a call whole, in the message of one chunk (usually the last but one)
        java.util.List<JsonNode> toolCalls = new java.util.ArrayList<>();
        for (String line = exchange.nextLine(); line != null; line = exchange.nextLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode chunk = WireJson.parse(line, call.model() + ": Ollama stream chunk", endpoint);
            failOnError(call, chunk, exchange);
            String piece = chunk.path("message").path("content").asText("");
            if (!piece.isEmpty()) {
                content.append(piece);
                sink.text(piece);
                if (ttft == null) {
                    ttft = exchange.elapsed();
                }
            }
            chunk.path("message").path("tool_calls").forEach(toolCalls::add);
            if (chunk.path("done").asBoolean(false)) {
                if (pieces != null) {
                    pieces.flush();
                }
                return response(
                        chunk,
                        content.toString(),
                        exchange.elapsed(),
                        ttft,
                        ToolCalls.fromOllama(WireJson.MAPPER.createArrayNode().addAll(toolCalls), call.requestId()));
            }
        }
        throw ModelCallException.malformed(
                call.model() + ": Ollama stream from " + endpoint.resolve("/api/chat")
                        + " ended before the final \"done\": true chunk (after " + content.length() + " characters)",
                null);
    }

    private void failOnError(ModelCall call, JsonNode node, ModelHttp.Exchange exchange) throws ModelCallException {
        if (node.hasNonNull("error")) {
            throw HttpErrors.inAnswer(node, exchange.status(), call.model(), endpoint);
        }
    }

    private ModelResponse response(JsonNode last, String content, Duration latency, Duration ttft, String toolCalls) {
        return ModelResponse.builder(endpoint.provider())
                .output(endpoint.kind() == ServerKind.LOCAL_SERVER ? WireJson.withoutThinking(content) : content)
                .usage(TokenUsage.of(
                        WireJson.longOr(last, "prompt_eval_count", 0), WireJson.longOr(last, "eval_count", 0)))
                .latency(latency)
                .ttft(ttft)
                .busy(WireJson.nanos(last, "total_duration").orElse(null))
                .finishReason(WireJson.textOrNull(last, "done_reason"))
                .toolCalls(toolCalls)
                .build();
    }
}
