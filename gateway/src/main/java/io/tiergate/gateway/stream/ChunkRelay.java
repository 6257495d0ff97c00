package io.tiergate.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.gateway.chat.ApiError;
import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.events.Tier;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One streaming call's relay (docs/gateway.md, "Streaming"): turns the request's {@code
 * inference.stream} chunks into OpenAI {@code chat.completion.chunk} events as they arrive, and
 * ends the stream with the final result, which stays the record of truth.
 *
 * <ul>
 *   <li><b>which chunks</b>: the relay starts on a chunk with {@code seq} 0 and follows that
 *       chunk's attempt only. A duplicate {@code (attempt, seq)} (at-least-once) is dropped; a chunk
 *       of another attempt (an earlier one arriving late, or a retry or fallback that superseded the
 *       relayed one) is dropped; after a gap in {@code seq} (a chunk lost) nothing more is relayed
 *       from chunks: the result supplies the rest;
 *   <li><b>the end</b>: the result's answer must continue the text relayed so far; what the chunks
 *       did not carry is sent as one more delta, then the chunk with the finish reason, the usage
 *       chunk when asked ({@code stream_options.include_usage}: the result's usage with tiergate's
 *       cost) and {@code data: [DONE]}. A result whose answer does not continue the relayed text (the
 *       relayed attempt failed mid-stream and another one answered), a failed result, a timeout:
 *       one OpenAI error event, then the end;
 *   <li><b>nothing relayed</b>: {@link #started()} completes with false when the outcome comes
 *       before any chunk; the call is answered as an unstreamed relay would (the whole answer as
 *       events, {@code SseAnswer}).
 * </ul>
 * Thread-safe: chunks come from the follower's thread, the end from whichever completes the call.
 */
public final class ChunkRelay {

    /** Where the events go: each is a {@code data:} payload (JSON, or {@code [DONE]}). */
    public interface Events {
        void data(String payload);

        void end();
    }

    /** What the first relayed chunk says about the answer (response headers). */
    public record Start(String model, Tier tier) {}

    private final String requestId;
    private final boolean includeUsage;
    private final Events events;
    private final CompletableFuture<Optional<Start>> started = new CompletableFuture<>();
    private final StringBuilder relayed = new StringBuilder();
    private final long created = System.currentTimeMillis() / 1000;
    private int attempt = -1;
    private int nextSeq;
    private boolean gap;
    private String model;
    private String finishReason;
    private boolean ended;

    public ChunkRelay(String requestId, boolean includeUsage, Events events) {
        this.requestId = requestId;
        this.includeUsage = includeUsage;
        this.events = events;
    }

    /**
     * Completes at the first relayed chunk (with what it says), or with empty when the call ended
     * before any: then nothing was sent and the caller answers as without chunks.
     */
    public CompletableFuture<Optional<Start>> started() {
        return started;
    }

    /** Whether the followed attempt's last chunk (the one with its finish reason) has been relayed. */
    public synchronized boolean relayedLastChunk() {
        return finishReason != null && !gap;
    }

    /** A chunk of this call's request. */
    public synchronized void onChunk(StreamChunk chunk) {
        if (ended || gap) {
            return;
        }
        if (attempt < 0) {
            if (chunk.getSeq() != 0) {
                return; // the middle of an attempt: not relayable; the result will carry it
            }
            attempt = chunk.getAttempt();
            model = chunk.getModel();
            ObjectNode role = JsonNodeFactory.instance
                    .objectNode()
                    .put("role", "assistant")
                    .put("content", "");
            events.data(chunk(role, null).toString());
            started.complete(Optional.of(new Start(chunk.getModel(), chunk.getTier())));
        }
        if (chunk.getAttempt() != attempt || chunk.getSeq() < nextSeq) {
            return; // another attempt's, or a duplicate
        }
        if (chunk.getSeq() > nextSeq) {
            gap = true; // a chunk was lost: the result completes the answer
            return;
        }
        nextSeq++;
        if (!chunk.getDelta().isEmpty()) {
            relayed.append(chunk.getDelta());
            events.data(chunk(JsonNodeFactory.instance.objectNode().put("content", chunk.getDelta()), null)
                    .toString());
        }
        if (chunk.getFinishReason() != null) {
            finishReason = openAiFinishReason(chunk.getFinishReason());
        }
    }

    /**
     * The call ended with its answer ({@code completion}, OpenAI's {@code chat.completion} object
     * from the result) or an error. Returns true when the relay had started and has now ended its
     * stream; false when nothing had been relayed (the caller answers).
     */
    public synchronized boolean finish(Optional<ObjectNode> completion, Optional<ApiError> error) {
        if (ended) {
            return true;
        }
        ended = true;
        if (attempt < 0) {
            events.end(); // nothing was sent: the caller answers, the relay is forgotten
            started.complete(Optional.empty());
            return false;
        }
        if (error.isPresent()) {
            fail(error.get());
            return true;
        }
        ObjectNode done = completion.orElseThrow();
        JsonNode message = done.path("choices").path(0).path("message");
        String answer = message.path("content").asText("");
        String sent = relayed.toString();
        String rest;
        if (answer.startsWith(sent)) {
            rest = answer.substring(sent.length());
        } else if (answer.strip().equals(sent.strip())) {
            rest = ""; // the final answer is the relayed one, trimmed
        } else {
            fail(ApiError.upstream(
                            "stream_superseded",
                            "The streamed answer of attempt " + attempt + " was superseded by another attempt after it"
                                    + " started; the final answer differs (request " + requestId + ": retry unstreamed,"
                                    + " or read its result).")
                    .toJson()
                    .toString());
            return true;
        }
        if (!rest.isEmpty()) {
            events.data(chunk(JsonNodeFactory.instance.objectNode().put("content", rest), null)
                    .toString());
        }
        if (message.path("tool_calls").isArray() && !message.path("tool_calls").isEmpty()) {
            ObjectNode delta = JsonNodeFactory.instance.objectNode();
            ArrayNode calls = delta.putArray("tool_calls");
            int index = 0;
            for (JsonNode call : message.path("tool_calls")) {
                ObjectNode c = calls.addObject().put("index", index++);
                call.properties().forEach(f -> c.set(f.getKey(), f.getValue()));
            }
            events.data(chunk(delta, null).toString());
        }
        String reason = done.path("choices").path(0).path("finish_reason").asText("stop");
        if ("stop".equals(reason) && finishReason != null) {
            reason = finishReason; // e.g. length: the result's mapper says stop for every answer
        }
        events.data(chunk(JsonNodeFactory.instance.objectNode(), reason).toString());
        if (includeUsage) {
            ObjectNode usage = base();
            usage.putArray("choices");
            usage.set("usage", done.get("usage"));
            events.data(usage.toString());
        }
        events.data("[DONE]");
        events.end();
        return true;
    }

    /** The client went away, or the call was dropped: end without another event. */
    public synchronized void close() {
        if (!ended) {
            ended = true;
            started.complete(Optional.empty());
            events.end();
        }
    }

    private void fail(ApiError error) {
        fail(error.toJson().toString());
    }

    private void fail(String errorJson) {
        events.data(errorJson);
        events.end();
    }

    private ObjectNode chunk(ObjectNode delta, String finish) {
        ObjectNode chunk = base();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return chunk;
    }

    private ObjectNode base() {
        ObjectNode chunk = JsonNodeFactory.instance.objectNode();
        chunk.put("id", "chatcmpl-" + requestId);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    /** A provider's stop reason as OpenAI's finish reason. */
    static String openAiFinishReason(String provider) {
        return switch (provider) {
            case "length", "max_tokens" -> "length";
            case "tool_calls", "tool_use" -> "tool_calls";
            case "content_filter", "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /** For a consumer-style sink: {@code data} for each payload, {@code end} at the end. */
    public static Events events(Consumer<String> data, Runnable end) {
        return new Events() {
            @Override
            public void data(String payload) {
                data.accept(payload);
            }

            @Override
            public void end() {
                end.run();
            }
        };
    }
}
