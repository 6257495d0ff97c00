package io.tiergate.worker.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.worker.backend.Conversation;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.http.WireJson;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-shaped conversation in the Messages API's terms (docs.anthropic.com, "Messages" and
 * "Tool use"): system turns become the top-level {@code system}; an assistant turn's tool calls
 * become {@code tool_use} blocks, a tool turn a {@code tool_result} block in a user message (tool
 * results that follow each other share one); turns of one role in a row are merged, since the API
 * wants user and assistant to alternate. OpenAI tools become {@code {name, description,
 * input_schema}}, and {@code tool_choice} auto/required/none/a function becomes
 * auto/any/none/tool. The API has no {@code response_format}: it is not sent.
 */
final class AnthropicConversation {

    private AnthropicConversation() {}

    static void write(Conversation chat, ObjectNode root) throws ModelCallException {
        List<String> system = new ArrayList<>();
        ArrayNode messages = root.putArray("messages");
        ObjectNode current = null;
        for (Conversation.Turn turn : chat.turns()) {
            if (turn.isSystem()) {
                system.add(turn.content());
                continue;
            }
            String role = "assistant".equals(turn.role()) ? "assistant" : "user";
            if (current == null || !role.equals(current.get("role").asText())) {
                current = messages.addObject();
                current.put("role", role);
                current.putArray("content");
            }
            ArrayNode blocks = (ArrayNode) current.get("content");
            if ("tool".equals(turn.role())) {
                blocks.addObject()
                        .put("type", "tool_result")
                        .put("tool_use_id", turn.toolCallId() == null ? "" : turn.toolCallId())
                        .put("content", turn.content());
                continue;
            }
            if (!turn.content().isEmpty()) {
                blocks.addObject().put("type", "text").put("text", turn.content());
            }
            if (turn.toolCallsJson() != null) {
                for (JsonNode call : WireJson.clientJson(turn.toolCallsJson(), "messages[].tool_calls")) {
                    JsonNode function = call.path("function");
                    String arguments = function.path("arguments").asText("{}");
                    ObjectNode use = blocks.addObject()
                            .put("type", "tool_use")
                            .put("id", call.path("id").asText())
                            .put("name", function.path("name").asText());
                    use.set(
                            "input",
                            WireJson.clientJson(
                                    arguments.isBlank() ? "{}" : arguments, "tool_calls[].function.arguments"));
                }
            }
        }
        if (!system.isEmpty()) {
            root.put("system", String.join("\n\n", system));
        }
        if (chat.tools().isPresent()) {
            ArrayNode tools = root.putArray("tools");
            for (JsonNode tool : WireJson.clientJson(chat.tools().get(), "tools")) {
                JsonNode function = tool.path("function");
                ObjectNode converted =
                        tools.addObject().put("name", function.path("name").asText());
                if (function.hasNonNull("description")) {
                    converted.put("description", function.get("description").asText());
                }
                JsonNode parameters = function.get("parameters");
                converted.set(
                        "input_schema",
                        parameters != null && parameters.isObject()
                                ? parameters
                                : WireJson.object().put("type", "object"));
            }
        }
        if (chat.toolChoice().isPresent()) {
            JsonNode choice = WireJson.clientJson(chat.toolChoice().get(), "tool_choice");
            ObjectNode converted = root.putObject("tool_choice");
            if (choice.isTextual()) {
                converted.put(
                        "type",
                        switch (choice.asText()) {
                            case "required" -> "any";
                            case "none" -> "none";
                            default -> "auto";
                        });
            } else {
                converted
                        .put("type", "tool")
                        .put("name", choice.path("function").path("name").asText());
            }
        }
    }
}
