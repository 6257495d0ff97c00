package io.tiergate.worker.work;

import io.tiergate.schemas.topics.Topic;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/** One record a finished request publishes (in the same transaction as its consumed offset). */
public record Output<V extends SpecificRecord>(Topic<V> topic, String key, V value) {

    public Output {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
