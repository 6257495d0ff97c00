package io.tiergate.schemas.topics;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One Kafka topic of the design: its name, the Avro type of its values (keys are always strings)
 * and how it is cleaned up. Every topic that a service consumes has a dead-letter twin named
 * {@code <name>.dlq} that holds the original bytes of records that could not be processed.
 */
public record Topic<V extends SpecificRecord>(String name, Class<V> valueType, Cleanup cleanup) {

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

    /** The dead-letter twin of this topic. */
    public String dlq() {
        return name + Topics.DLQ_SUFFIX;
    }

    public boolean compacted() {
        return cleanup == Cleanup.COMPACT;
    }
}
