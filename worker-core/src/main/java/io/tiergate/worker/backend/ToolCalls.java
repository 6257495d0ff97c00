package io.tiergate.worker.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.worker.http.WireJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's tool calls in OpenAI's shape, whatever the wire format they came in (docs/gateway.md,
 * "Tool calls"): {@code [{"id", "type": "function", "function": {"name", "arguments"}}]} with
 * {@code arguments} a JSON <em>string</em>, as OpenAI's {@code message.tool_calls}. That text is what
 * {@link ModelResponse#toolCalls()} and {@code InferenceResult.toolCalls} carry, and what a client
 * sends back on its assistant turn, which every backend already writes in its own format
 * ({@code WireJson.chatBody}, {@code AnthropicConversation}).
 *
 * <ul>
 *   <li>OpenAI and compatible servers: {@code choices[0].message.tool_calls} as it is (a server that
 *       sends {@code arguments} as an object has it written as text); streamed, the
 *       {@code delta.tool_calls} fragments joined by {@code index} ({@link Deltas});
 *   <li>Anthropic: each {@code tool_use} content block {@code {id, name, input}} is a call with
 *       {@code arguments} = {@code input} as JSON text; streamed, {@code content_block_start} opens
 *       the block and {@code input_json_delta.partial_json} pieces make its input ({@link Deltas});
 *   <li>Ollama: {@code message.tool_calls} {@code [{"function": {"name", "arguments": {…}}}]}, an
 *       object as arguments and, on servers before ids, no id: one is made from the request id and the
 *       call's position, so a client can answer it.
 * </ul>
 */
public final class ToolCalls {

    private ToolCalls() {}

    /**
     * OpenAI's {@code message.tool_calls}; null when absent or empty.
     *
     * @throws ModelCallException MALFORMED when a call has no function name
     */
    public static String fromOpenAi(JsonNode toolCalls, String requestId) throws ModelCallException {
        if (toolCalls == null || !toolCalls.isArray() || toolCalls.isEmpty()) {
            return null;
        }
        ArrayNode out = WireJson.MAPPER.createArrayNode();
        int i = 0;
        for (JsonNode call : toolCalls) {
            JsonNode function = call.path("function");
            out.add(call(
                    idOr(call.path("id"), requestId, i),
                    name(function.path("name"), "tool_calls"),
                    function.get("arguments")));
            i++;
        }
        return out.toString();
    }

    /** Anthropic's {@code content} blocks: the {@code tool_use} ones; null when there are none. */
    public static String fromAnthropic(JsonNode content, String requestId) throws ModelCallException {
        ArrayNode out = WireJson.MAPPER.createArrayNode();
        int i = 0;
        for (JsonNode block : content) {
            if ("tool_use".equals(block.path("type").asText())) {
                out.add(call(
                        idOr(block.path("id"), requestId, i),
                        name(block.path("name"), "tool_use"),
                        block.get("input")));
                i++;
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    /** Ollama's {@code message.tool_calls}; null when absent or empty. */
    public static String fromOllama(JsonNode toolCalls, String requestId) throws ModelCallException {
        // the same shape as OpenAI's but for the arguments (an object) and the id (absent on older servers)
        return fromOpenAi(toolCalls, requestId);
    }

    private static ObjectNode call(String id, String name, JsonNode arguments) {
        ObjectNode call = WireJson.object();
        call.put("id", id);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", name);
        function.put("arguments", argumentsText(arguments));
        return call;
    }

    /** OpenAI's arguments are JSON text; an object (Anthropic's input, Ollama's arguments) is written as text. */
    private static String argumentsText(JsonNode arguments) {
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            return "{}";
        }
        return arguments.isTextual() ? arguments.asText() : arguments.toString();
    }

    private static String name(JsonNode name, String where) throws ModelCallException {
        if (!name.isTextual() || name.asText().isBlank()) {
            throw ModelCallException.malformed("a tool call without a function name in " + where, null);
        }
        return name.asText();
    }

    private static String idOr(JsonNode id, String requestId, int index) {
        if (id.isTextual() && !id.asText().isBlank()) {
            return id.asText();
        }
        return madeId(requestId, index);
    }

    /** The id of a call whose server gave none: stable for the request and the call's position. */
    public static String madeId(String requestId, int index) {
        return "call_" + Integer.toHexString(requestId.hashCode()) + "_" + index;
    }

    /**
     * A streamed answer's tool calls, joined from their fragments by position: OpenAI's
     * {@code delta.tool_calls[{index, id?, function: {name?, arguments?}}]} and Anthropic's
     * {@code tool_use} blocks ({@code content_block_start}, then {@code input_json_delta} pieces).
     */
    public static final class Deltas {
        private final Map<Integer, Part> parts = new TreeMap<>();

        private static final class Part {
            String id = "";
            String name = "";
            final StringBuilder arguments = new StringBuilder();
        }

        /** One chunk's {@code delta.tool_calls} (OpenAI). */
        public void addOpenAi(JsonNode deltaToolCalls) {
            for (JsonNode d : deltaToolCalls) {
                Part part = parts.computeIfAbsent(d.path("index").asInt(parts.size()), k -> new Part());
                if (d.path("id").isTextual()) {
                    part.id = d.get("id").asText();
                }
                JsonNode function = d.path("function");
                if (function.path("name").isTextual()) {
                    part.name += function.get("name").asText();
                }
                JsonNode arguments = function.path("arguments");
                if (arguments.isTextual()) {
                    part.arguments.append(arguments.asText());
                } else if (arguments.isObject()) {
                    part.arguments.append(arguments);
                }
            }
        }

        /** An Anthropic {@code content_block_start} whose block is {@code tool_use}. */
        public void startAnthropic(int index, JsonNode block) {
            Part part = parts.computeIfAbsent(index, k -> new Part());
            part.id = block.path("id").asText("");
            part.name = block.path("name").asText("");
            JsonNode input = block.path("input");
            if (input.isObject() && !input.isEmpty()) {
                part.arguments.append(input);
            }
        }

        /** An Anthropic {@code input_json_delta} of block {@code index}; ignored for a block not started as tool_use. */
        public void addAnthropic(int index, String partialJson) {
            Part part = parts.get(index);
            if (part != null) {
                part.arguments.append(partialJson);
            }
        }

        /** The calls so far in OpenAI's shape; null when there are none. */
        public String json(String requestId) throws ModelCallException {
            if (parts.isEmpty()) {
                return null;
            }
            List<JsonNode> calls = new ArrayList<>();
            int i = 0;
            for (Part part : parts.values()) {
                String id = part.id.isBlank() ? madeId(requestId, i) : part.id;
                if (part.name.isBlank()) {
                    throw ModelCallException.malformed("a streamed tool call without a function name", null);
                }
                String arguments = part.arguments.toString();
                calls.add(call(
                        id,
                        part.name,
                        WireJson.MAPPER.getNodeFactory().textNode(arguments.isBlank() ? "{}" : arguments)));
                i++;
            }
            return WireJson.MAPPER.createArrayNode().addAll(calls).toString();
        }
    }
}
