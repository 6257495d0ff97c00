package io.tiergate.platform.kafka.read;

import java.time.Instant;
import java.util.Objects;

/** Where a reader starts on a topic: its first retained record, its end, or a point in time. */
public record StartAt(Kind kind, long timestampMs) {

    public enum Kind {
        BEGINNING,
        END,
        TIMESTAMP
    }

    private static final StartAt BEGINNING = new StartAt(Kind.BEGINNING, 0);
    private static final StartAt END = new StartAt(Kind.END, 0);

    public StartAt {
        Objects.requireNonNull(kind, "kind");
    }

    /** Everything still on the topic (for a compacted topic: the latest value of every key, at least). */
    public static StartAt beginning() {
        return BEGINNING;
    }

    /** Only what is appended after the reader started. */
    public static StartAt end() {
        return END;
    }

    /** The first record whose timestamp is at or after {@code epochMs}; the end when there is none. */
    public static StartAt at(long epochMs) {
        return new StartAt(Kind.TIMESTAMP, epochMs);
    }

    public static StartAt at(Instant instant) {
        return at(instant.toEpochMilli());
    }
}
