package io.tiergate.worker.http;

import io.tiergate.worker.backend.ModelCallException;

/**
 * Reads a {@code text/event-stream} (WHATWG server-sent events) one event at a time: {@code event:}
 * names it, {@code data:} lines are joined with newlines, a blank line dispatches, lines starting
 * with {@code :} are comments (OpenRouter sends {@code : OPENROUTER PROCESSING} keep-alives). An event
 * cut off by the end of the stream is not dispatched, as the spec says — callers detect truncation
 * by the protocol's own terminator ({@code [DONE]}, {@code message_stop}).
 */
public final class SseReader {

    /** Where the lines come from: {@link ModelHttp.Exchange#nextLine()} (null at the end). */
    @FunctionalInterface
    public interface Lines {
        String next() throws ModelCallException;
    }

    /** One dispatched event; {@code name} is "message" when the stream did not name it. */
    public record Event(String name, String data) {}

    private final Lines lines;

    public SseReader(Lines lines) {
        this.lines = lines;
    }

    /** The next event, or null at the end of the stream. */
    public Event next() throws ModelCallException {
        String name = null;
        StringBuilder data = null;
        String line;
        while ((line = lines.next()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(name == null ? "message" : name, data.toString());
                }
                name = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                default -> {
                    // id, retry and unknown fields carry nothing a model call needs
                }
            }
        }
        return null;
    }
}
