package io.tiergate.schemas.topics;

import java.time.Duration;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One Kafka topic of the design: its name, the Avro type of its values (keys are always strings),
 * how it is cleaned up and, where the design needs one, its retention ({@code null}: the broker's
 * default; {@link #FOREVER}: never deleted). Every topic that a service consumes has a dead-letter twin named
 * {@code <name>.dlq} that holds the original bytes of records that could not be processed.
 */
public record Topic<V extends SpecificRecord>(String name, Class<V> valueType, Cleanup cleanup, Duration retention) {

    /** {@code retention.ms=-1}: records are never deleted by age. */
    public static final Duration FOREVER = Duration.ofMillis(-1);

    /** Kafka {@code cleanup.policy}. Compacted topics hold the latest value per key (config, status). */
    public enum Cleanup {
        DELETE("delete"),
        COMPACT("compact");

        private final String policy;

        Cleanup(String policy) {
            this.policy = policy;
        }

        public String policy() {
            return policy;
        }
    }

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(cleanup, "cleanup");
    }

    /** A topic with the broker's default retention. */
    public Topic(String name, Class<V> valueType, Cleanup cleanup) {
        this(name, valueType, cleanup, null);
    }

    /** The dead-letter twin of this topic. */
    public String dlq() {
        return name + Topics.DLQ_SUFFIX;
    }

    public boolean compacted() {
        return cleanup == Cleanup.COMPACT;
    }
}
