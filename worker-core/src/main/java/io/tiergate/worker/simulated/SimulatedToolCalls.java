package io.tiergate.worker.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.worker.backend.Conversation;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ToolCalls;
import io.tiergate.worker.http.TokenEstimate;
import io.tiergate.worker.http.WireJson;
import java.util.List;
import java.util.Optional;

/**
 * What the simulated backend answers to a request that offers tools (docs/gateway.md, "Tool calls"):
 * one deterministic call, in OpenAI's {@code tool_calls} shape, of the chosen function
 * ({@code tool_choice: {"type": "function", "function": {"name"}}}) or else the first one, with
 * arguments made from the function's JSON-schema {@code parameters}: every required property with a
 * placeholder of its type (string: the first {@code enum} value, else {@code "simulated"}; integer
 * and number: {@code minimum}, else 1; boolean: true; array: empty; object: its own required
 * properties). No call when {@code tool_choice} is {@code "none"}, and none with
 * {@code tool_choice} {@code "auto"} (or absent) once the conversation's last turn is a tool result:
 * the model has what it asked for and answers in text, which ends a client's round trip.
 */
public final class SimulatedToolCalls {

    private SimulatedToolCalls() {}

    /** The calls to answer with, as OpenAI's {@code tool_calls} JSON; empty when the answer is text. */
    public static Optional<String> of(ModelCall call) {
        Conversation chat = call.conversation();
        if (chat.tools().isEmpty()) {
            return Optional.empty();
        }
        JsonNode tools = parse(chat.tools().get());
        JsonNode choice = chat.toolChoice().map(SimulatedToolCalls::parse).orElse(null);
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return Optional.empty();
        }
        String mode = choice == null ? "auto" : choice.isTextual() ? choice.asText() : "function";
        if ("none".equals(mode) || ("auto".equals(mode) && answersToolResult(chat.turns()))) {
            return Optional.empty();
        }
        JsonNode function = tools.get(0).path("function");
        if ("function".equals(mode)) {
            String wanted = choice.path("function").path("name").asText();
            for (JsonNode tool : tools) {
                if (wanted.equals(tool.path("function").path("name").asText())) {
                    function = tool.path("function");
                }
            }
        }
        if (!function.path("name").isTextual()) {
            return Optional.empty();
        }
        ArrayNode calls = WireJson.MAPPER.createArrayNode();
        ObjectNode one = calls.addObject();
        one.put("id", ToolCalls.madeId(call.requestId(), 0));
        one.put("type", "function");
        one.putObject("function")
                .put("name", function.get("name").asText())
                .put("arguments", arguments(function.path("parameters")).toString());
        return Optional.of(calls.toString());
    }

    /** About as many output tokens as the calls' JSON text. */
    public static long outputTokens(String toolCallsJson) {
        return Math.max(1, TokenEstimate.tokensOf(toolCallsJson));
    }

    /** Placeholder arguments for a JSON schema of type object: its required properties. */
    static ObjectNode arguments(JsonNode schema) {
        ObjectNode args = WireJson.object();
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            String name = required.asText();
            args.set(name, placeholder(properties.path(name)));
        }
        return args;
    }

    private static JsonNode placeholder(JsonNode schema) {
        var nodes = WireJson.MAPPER.getNodeFactory();
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").get(0);
        }
        JsonNode typeNode = schema.path("type");
        // a type list ("type": ["string", "null"]) takes its first non-null type
        String type =
                typeNode.isArray() ? first(typeNode) : typeNode.asText(schema.has("properties") ? "object" : "string");
        return switch (type) {
            case "integer" -> nodes.numberNode(schema.path("minimum").asLong(1));
            case "number" -> schema.path("minimum").isNumber() ? schema.get("minimum") : nodes.numberNode(1);
            case "boolean" -> nodes.booleanNode(true);
            case "array" -> nodes.arrayNode();
            case "object" -> arguments(schema);
            case "null" -> nodes.nullNode();
            default -> nodes.textNode("simulated");
        };
    }

    private static String first(JsonNode types) {
        for (JsonNode t : types) {
            if (!"null".equals(t.asText())) {
                return t.asText();
            }
        }
        return "null";
    }

    private static boolean answersToolResult(List<Conversation.Turn> turns) {
        return !turns.isEmpty() && "tool".equals(turns.get(turns.size() - 1).role());
    }

    private static JsonNode parse(String json) {
        try {
            return WireJson.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
