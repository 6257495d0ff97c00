package io.tiergate.router.route;

import io.tiergate.schemas.topics.Topic;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;

/** Where the router's output goes: Kafka in the service, a list in unit tests. */
public interface EventSink {

    /** Sends one record; the future completes when it is durable. */
    <V extends SpecificRecord> CompletableFuture<?> send(
            Topic<V> topic, String key, V value, Map<String, byte[]> headers);

    /** Sends what is buffered now and returns when it is durable or failed (see each send's future). */
    default void flush() {}
}
