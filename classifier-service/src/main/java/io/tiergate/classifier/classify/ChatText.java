package io.tiergate.classifier.classify;

import io.tiergate.schemas.events.ChatMessage;
import io.tiergate.schemas.events.InferenceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the classifier reads of a chat request (docs/classifier.md, "Conversations"): the latest
 * user turn types the task; every turn is searched for sensitive data. {@code extraText} is the
 * conversation text the flattened {@code prompt} does not already hold (tool calls and their
 * arguments, turns a producer left out of it), so nothing in any turn escapes the scan.
 *
 * @param latestUserTurn empty for a single-prompt request
 */
public record ChatText(Optional<String> latestUserTurn, String extraText) {

    public static final ChatText NONE = new ChatText(Optional.empty(), "");

    public static ChatText of(InferenceRequest request) {
        List<ChatMessage> messages = request.getMessages();
        if (messages == null || messages.isEmpty()) {
            return NONE;
        }
        String prompt = request.getPrompt() == null ? "" : request.getPrompt();
        String system = request.getSystemPrompt() == null ? "" : request.getSystemPrompt();
        String latest = null;
        List<String> extra = new ArrayList<>();
        for (ChatMessage m : messages) {
            String content = m.getContent() == null ? "" : m.getContent();
            if ("user".equals(m.getRole()) && !content.isBlank()) {
                latest = content;
            }
            if (!content.isEmpty() && !prompt.contains(content) && !system.contains(content)) {
                extra.add(content);
            }
            if (m.getToolCalls() != null) {
                extra.add(m.getToolCalls());
            }
        }
        return new ChatText(Optional.ofNullable(latest), String.join("\n", extra));
    }
}
