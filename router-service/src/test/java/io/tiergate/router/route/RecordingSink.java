package io.tiergate.router.route;

import io.tiergate.schemas.topics.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;

/** An {@link EventSink} that keeps what it was given. */
public final class RecordingSink implements EventSink {

    public record Sent(String topic, String key, SpecificRecord value, Map<String, byte[]> headers) {}

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized <V extends SpecificRecord> CompletableFuture<?> send(
            Topic<V> topic, String key, V value, Map<String, byte[]> headers) {
        sent.add(new Sent(topic.name(), key, value, headers));
        return CompletableFuture.completedFuture(null);
    }

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    public synchronized List<String> topics() {
        return sent.stream().map(Sent::topic).toList();
    }

    public synchronized void clear() {
        sent.clear();
    }
}
