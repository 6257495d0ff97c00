package io.tiergate.worker.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.worker.backend.Conversation;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The JSON of the model APIs: request bodies, parsing answers (anything that is not a JSON object
 * is MALFORMED), the error text of the documented error shapes, inline thinking blocks. Floats are
 * read as {@code BigDecimal}, so a provider-reported cost never passes through a {@code double}.
 */
public final class WireJson {

    public static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final Pattern THINK_BLOCK = Pattern.compile("(?s)<think>.*?(</think>|\\z)");

    private WireJson() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How a chat API spells tool calls in its messages. */
    public enum ChatDialect {
        /** OpenAI chat completions: {@code tool_calls[].function.arguments} is a JSON string. */
        OPENAI,
        /** Ollama {@code /api/chat}: arguments are an object; a tool turn names its tool in {@code tool_name}. */
        OLLAMA
    }

    /**
     * The part of a chat request Ollama and chat completions share: {@code {"model", "messages",
     * "stream"}}. The messages are the call's conversation turns when it has any (each turn as it
     * was, tool calls and results included), else {@code [{"role": "system"} if the call has a
     * system prompt, {"role": "user"}]}.
     *
     * @throws ModelCallException non-retryable {@code invalid_request} when a turn's tool calls are not JSON
     */
    public static ObjectNode chatBody(String model, ModelCall call, boolean stream, ChatDialect dialect)
            throws ModelCallException {
        ObjectNode body = object();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        if (call.conversation().hasTurns()) {
            for (Conversation.Turn turn : call.conversation().turns()) {
                messages.add(chatMessage(turn, dialect));
            }
        } else {
            call.system()
                    .ifPresent(s -> messages.addObject().put("role", "system").put("content", s));
            messages.addObject().put("role", "user").put("content", call.prompt());
        }
        body.put("stream", stream);
        return body;
    }

    private static ObjectNode chatMessage(Conversation.Turn turn, ChatDialect dialect) throws ModelCallException {
        ObjectNode message = object();
        message.put("role", "developer".equals(turn.role()) ? "system" : turn.role());
        message.put("content", turn.content());
        if (turn.name() != null) {
            message.put(
                    dialect == ChatDialect.OLLAMA && "tool".equals(turn.role()) ? "tool_name" : "name", turn.name());
        }
        if (turn.toolCallId() != null && dialect == ChatDialect.OPENAI) {
            message.put("tool_call_id", turn.toolCallId());
        }
        if (turn.toolCallsJson() != null) {
            JsonNode calls = clientJson(turn.toolCallsJson(), "messages[].tool_calls");
            if (dialect == ChatDialect.OLLAMA) {
                for (JsonNode toolCall : calls) {
                    JsonNode function = toolCall.path("function");
                    if (function.path("arguments").isTextual() && function instanceof ObjectNode f) {
                        f.set(
                                "arguments",
                                clientJson(function.get("arguments").asText(), "tool_calls[].function.arguments"));
                    }
                }
            }
            message.set("tool_calls", calls);
        }
        return message;
    }

    /**
     * A JSON value the client supplied and the request carries as text (tools, tool choice, response
     * format, tool calls).
     *
     * @throws ModelCallException non-retryable {@code invalid_request} naming {@code field} when it is not JSON
     */
    public static JsonNode clientJson(String json, String field) throws ModelCallException {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null) {
                throw ModelCallException.nonRetryable("invalid_request", field + " is empty", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ModelCallException.nonRetryable(
                    "invalid_request", field + " is not valid JSON: " + e.getOriginalMessage(), null);
        }
    }

    /** Parses one protocol message ({@code what}, for the failure's message); not a JSON object is MALFORMED. */
    public static JsonNode parse(String text, String what, HttpEndpoint endpoint) throws ModelCallException {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                throw ModelCallException.malformed(
                        what + " is not a JSON object: " + Redactor.clean(text, endpoint.apiKey()), null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ModelCallException.malformed(
                    what + " is malformed JSON: " + Redactor.clean(text, endpoint.apiKey()), e);
        }
    }

    /**
     * The error text of a body: Ollama {@code {"error": "..."}}, OpenAI / OpenRouter / llama.cpp
     * {@code {"error": {"message": ...}}}, Anthropic {@code {"type": "error", "error": {"message"}}},
     * vLLM {@code {"object": "error", "message": ...}}, FastAPI {@code {"detail": ...}}; otherwise the
     * raw body. Not yet redacted.
     */
    public static String errorMessage(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node != null && node.isObject()) {
                String message = errorMessage(node);
                if (message != null) {
                    return message;
                }
            }
        } catch (JsonProcessingException e) {
            // not JSON (a proxy's HTML page): the raw text
        }
        return body.isBlank() ? "(empty body)" : body;
    }

    /** The error text of a parsed error body or in-stream error object, null when it has none. */
    public static String errorMessage(JsonNode node) {
        JsonNode error = node.get("error");
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        if (error != null && error.hasNonNull("message")) {
            return error.get("message").asText();
        }
        if (node.hasNonNull("message")) {
            return node.get("message").asText();
        }
        if (node.hasNonNull("detail")) {
            return node.get("detail").toString();
        }
        return null;
    }

    /**
     * The provider's own name for an error, when the body has an error object: Anthropic's
     * {@code error.details.error_code}, else a textual {@code error.code} (OpenAI), else
     * {@code error.type}.
     */
    public static Optional<String> errorCode(String body) {
        try {
            JsonNode error = MAPPER.readTree(body).path("error");
            if (!error.isObject()) {
                return Optional.empty();
            }
            if (error.path("details").hasNonNull("error_code")) {
                return Optional.of(error.path("details").get("error_code").asText());
            }
            if (error.hasNonNull("code") && error.get("code").isTextual()) {
                return Optional.of(error.get("code").asText());
            }
            return error.hasNonNull("type") ? Optional.of(error.get("type").asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes {@code <think>…</think>} blocks that some models still emit inline (qwen3 on Ollama
     * versions without the {@code think} field, or templates that ignore it); an unclosed block runs
     * to the end.
     */
    public static String withoutThinking(String content) {
        if (content.indexOf("<think>") < 0) {
            return content;
        }
        return THINK_BLOCK.matcher(content).replaceAll("").strip();
    }

    public static long longOr(JsonNode node, String field, long fallback) {
        JsonNode n = node == null ? null : node.get(field);
        return n != null && n.canConvertToLong() ? n.asLong() : fallback;
    }

    /** A duration the server reports in nanoseconds (Ollama's {@code total_duration}). */
    public static Optional<Duration> nanos(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n != null && n.canConvertToLong() && n.asLong() >= 0
                ? Optional.of(Duration.ofNanos(n.asLong()))
                : Optional.empty();
    }

    /** The text of {@code field}, null when it is missing, null or empty. */
    public static String textOrNull(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }
}
