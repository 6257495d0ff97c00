package io.tiergate.gateway.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A completed answer as OpenAI's streamed {@code chat.completion.chunk} events (server-sent events,
 * ending with {@code data: [DONE]}): a role chunk, the content, the tool calls (with their
 * {@code index}) when there are any, a chunk with the finish reason and,
 * with {@code stream_options.include_usage}, a last chunk with empty choices and the usage (tiergate's
 * extension included). Used when a streamed call's result comes before any chunk of its answer
 * on inference.stream (a worker that does not stream): the whole answer is sent at once
 * (docs/gateway.md, "Streaming"; the chunk-by-chunk relay is {@code stream.ChunkRelay}).
 */
public final class SseAnswer {

    private SseAnswer() {}

    public static String of(ChatRequest request, ObjectNode completion) {
        StringBuilder out = new StringBuilder();
        ObjectNode message = (ObjectNode) completion.path("choices").path(0).path("message");
        ObjectNode roleDelta =
                JsonNodeFactory.instance.objectNode().put("role", "assistant").put("content", "");
        event(out, chunk(completion, roleDelta, null));
        String content = message.path("content").asText("");
        if (!content.isEmpty()) {
            event(out, chunk(completion, JsonNodeFactory.instance.objectNode().put("content", content), null));
        }
        if (message.path("tool_calls").isArray()) {
            // OpenAI streams each call with its position; a whole answer sends each call in one piece
            ArrayNode calls = JsonNodeFactory.instance.arrayNode();
            int index = 0;
            for (var call : message.get("tool_calls")) {
                ObjectNode indexed = JsonNodeFactory.instance.objectNode().put("index", index++);
                indexed.setAll((ObjectNode) call);
                calls.add(indexed);
            }
            ObjectNode toolDelta = JsonNodeFactory.instance.objectNode();
            toolDelta.set("tool_calls", calls);
            event(out, chunk(completion, toolDelta, null));
        }
        String finish = completion.path("choices").path(0).path("finish_reason").asText("stop");
        event(out, chunk(completion, JsonNodeFactory.instance.objectNode(), finish));
        if (request.includeUsage()) {
            ObjectNode usage = base(completion);
            usage.putArray("choices");
            usage.set("usage", completion.get("usage"));
            event(out, usage);
        }
        out.append("data: [DONE]\n\n");
        return out.toString();
    }

    private static ObjectNode chunk(ObjectNode completion, ObjectNode delta, String finishReason) {
        ObjectNode chunk = base(completion);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private static ObjectNode base(ObjectNode completion) {
        ObjectNode chunk = JsonNodeFactory.instance.objectNode();
        chunk.set("id", completion.get("id"));
        chunk.put("object", "chat.completion.chunk");
        chunk.set("created", completion.get("created"));
        chunk.set("model", completion.get("model"));
        return chunk;
    }

    private static void event(StringBuilder out, ObjectNode data) {
        out.append("data: ").append(data).append("\n\n");
    }
}
