package io.tiergate.platform.kafka.read;

import io.tiergate.schemas.topics.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * What a reader reads: topics with where each starts, isolation, and the few knobs a reader may
 * need. The same spec serves a {@link TopicSnapshot} (once, to the end offsets at its start) and a
 * {@link TopicFollower} (to those ends, then on). Defaults: {@code read_committed}, 200 ms polls, a
 * registry outage retried after 1 s.
 */
public final class ReadSpec {

    private final String clientId;
    private final Map<String, StartAt> topics = new LinkedHashMap<>();
    private final Map<String, Object> properties = new HashMap<>();
    private boolean readCommitted = true;
    private Long untilMs;
    private Duration pollTimeout = Duration.ofMillis(200);
    private Duration registryRetryDelay = Duration.ofSeconds(1);
    private Duration metadataTimeout = Duration.ofSeconds(30);
    private Object lock;

    private ReadSpec(String clientId) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
    }

    /** @param clientId the consumer's client id (and the follower thread's name) */
    public static ReadSpec of(String clientId) {
        return new ReadSpec(clientId);
    }

    /** Reads {@code topic} from its beginning. */
    public ReadSpec topic(String topic) {
        return topic(topic, StartAt.beginning());
    }

    public ReadSpec topic(String topic, StartAt start) {
        topics.put(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(start, "start"));
        return this;
    }

    public ReadSpec topic(Topic<?> topic, StartAt start) {
        return topic(topic.name(), start);
    }

    public ReadSpec topics(Collection<String> names, StartAt start) {
        names.forEach(t -> topic(t, start));
        return this;
    }

    /**
     * A snapshot stops, per partition, before the first record at or after {@code epochMs} (by the
     * broker's time index), or at the end offset of its start, whichever comes first.
     */
    public ReadSpec until(long epochMs) {
        this.untilMs = epochMs;
        return this;
    }

    /** {@code read_committed} (the default) or {@code read_uncommitted} (also what open and aborted transactions wrote). */
    public ReadSpec readCommitted(boolean readCommitted) {
        this.readCommitted = readCommitted;
        return this;
    }

    public ReadSpec maxPollRecords(int maxPollRecords) {
        return property(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    }

    /** Any other consumer property (fetch sizes…). */
    public ReadSpec property(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public ReadSpec pollTimeout(Duration pollTimeout) {
        this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
        return this;
    }

    /** How long a partition waits before a record the registry could not decode is read again. */
    public ReadSpec registryRetryDelay(Duration delay) {
        this.registryRetryDelay = Objects.requireNonNull(delay, "delay");
        return this;
    }

    /** How long to wait for partition metadata and offsets at the start. */
    public ReadSpec metadataTimeout(Duration timeout) {
        this.metadataTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** A follower hands each record to its handler while holding {@code lock}, so owners can read a consistent state. */
    public ReadSpec handleWhileHolding(Object lock) {
        this.lock = lock;
        return this;
    }

    String clientId() {
        return clientId;
    }

    Map<String, StartAt> topics() {
        return topics;
    }

    Map<String, Object> properties() {
        return properties;
    }

    boolean isReadCommitted() {
        return readCommitted;
    }

    Long untilMs() {
        return untilMs;
    }

    Duration pollTimeout() {
        return pollTimeout;
    }

    Duration registryRetryDelay() {
        return registryRetryDelay;
    }

    Duration metadataTimeout() {
        return metadataTimeout;
    }

    Object lock() {
        return lock;
    }

    @Override
    public String toString() {
        return clientId + " reading " + topics.keySet();
    }
}
