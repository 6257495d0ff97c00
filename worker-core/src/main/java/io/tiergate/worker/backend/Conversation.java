package io.tiergate.worker.backend;

import io.tiergate.schemas.events.ChatMessage;
import io.tiergate.schemas.events.InferenceRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The chat a call continues, as the request carried it (docs/architecture.md, "Events",
 * {@code InferenceRequest.messages}): the turns in order, and what OpenAI's chat API passes beside
 * them (tools, tool choice, response format, temperature) as the client's JSON. A request with no
 * turns is a single prompt ({@link #NONE}): backends then send the call's system prompt and prompt.
 *
 * @param toolsJson OpenAI's {@code tools} array, null when absent
 * @param toolChoiceJson OpenAI's {@code tool_choice} (a JSON string or object), null when absent
 * @param responseFormatJson OpenAI's {@code response_format} object, null when absent
 * @param temperature null: the backend's default
 */
public record Conversation(
        List<Turn> turns, String toolsJson, String toolChoiceJson, String responseFormatJson, Double temperature) {

    /** A single-prompt call: no turns, nothing beside them. */
    public static final Conversation NONE = new Conversation(List.of(), null, null, null, null);

    /**
     * One turn.
     *
     * @param role system, user, assistant or tool
     * @param name the participant's name, null when absent
     * @param toolCallId a tool turn: the id of the call it answers
     * @param toolCallsJson an assistant turn: its tool calls as OpenAI's {@code tool_calls} array
     */
    public record Turn(String role, String content, String name, String toolCallId, String toolCallsJson) {
        public Turn {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }

        public static Turn of(String role, String content) {
            return new Turn(role, content, null, null, null);
        }

        public boolean isSystem() {
            return "system".equals(role) || "developer".equals(role);
        }
    }

    public Conversation {
        turns = List.copyOf(Objects.requireNonNull(turns, "turns"));
    }

    /** The request's conversation; {@link #NONE} for a request without turns or tools. */
    public static Conversation of(InferenceRequest request) {
        List<ChatMessage> messages = request.getMessages() == null ? List.of() : request.getMessages();
        if (messages.isEmpty()
                && request.getTools() == null
                && request.getToolChoice() == null
                && request.getResponseFormat() == null
                && request.getTemperature() == null) {
            return NONE;
        }
        List<Turn> turns = messages.stream()
                .map(m -> new Turn(m.getRole(), m.getContent(), m.getName(), m.getToolCallId(), m.getToolCalls()))
                .toList();
        return new Conversation(
                turns,
                request.getTools(),
                request.getToolChoice(),
                request.getResponseFormat(),
                request.getTemperature());
    }

    public boolean hasTurns() {
        return !turns.isEmpty();
    }

    public Optional<String> tools() {
        return Optional.ofNullable(toolsJson);
    }

    public Optional<String> toolChoice() {
        return Optional.ofNullable(toolChoiceJson);
    }

    public Optional<String> responseFormat() {
        return Optional.ofNullable(responseFormatJson);
    }

    public Optional<Double> temperatureValue() {
        return Optional.ofNullable(temperature);
    }
}
