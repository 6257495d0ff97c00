package io.tiergate.worker.kafka;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How one {@link TierWorker} instance consumes its tier topic.
 *
 * @param workerId this instance's id; part of the transactional id, so it must be unique among live
 *     instances, and stable across restarts of one instance if you want a restart to fence (and
 *     abort the open transaction of) its predecessor at once
 * @param groupId the consumer group all instances of this worker share
 * @param maxInFlight requests handled concurrently by this instance (calls, backoffs); when that
 *     many are in hand the partitions are paused, so the poll loop keeps polling without fetching
 * @param revokeDrainTimeout on a rebalance, how long to wait for in-flight requests of revoked
 *     partitions to finish (and commit them) before dropping them for the next owner
 * @param shutdownTimeout on {@link TierWorker#close()}, how long to wait for in-flight requests
 * @param pollTimeout longest wait of one poll (completions wake the loop earlier)
 * @param transactionalIdPrefix transactional id = prefix + "-" + workerId
 * @param consumerOverrides extra Kafka consumer properties (e.g. session.timeout.ms, or
 *     group.instance.id set by {@link Builder#staticMembership()})
 * @param producerOverrides extra Kafka producer properties (e.g. transaction.timeout.ms)
 * @param attemptsTopic where every call is written ahead ({@link Topics#INFERENCE_ATTEMPTS})
 * @param attemptsMemory how long after its start an attempt is remembered: a request taken over
 *     later than this after its dead worker's call started has that call billed by nobody, and a
 *     duplicate record arriving later than this after the first is served again
 *     (docs/delivery.md, "Write-ahead attempts")
 */
public record TierWorkerConfig(
        String workerId,
        String groupId,
        Topic<RoutedRequest> inputTopic,
        int maxInFlight,
        Duration revokeDrainTimeout,
        Duration shutdownTimeout,
        Duration pollTimeout,
        String transactionalIdPrefix,
        Map<String, Object> consumerOverrides,
        Map<String, Object> producerOverrides,
        Topic<AttemptStarted> attemptsTopic,
        Duration attemptsMemory,
        Topic<StreamChunk> streamTopic) {

    public TierWorkerConfig {
        Objects.requireNonNull(streamTopic, "streamTopic");
        Objects.requireNonNull(attemptsTopic, "attemptsTopic");
        Objects.requireNonNull(attemptsMemory, "attemptsMemory");
        if (attemptsMemory.isNegative() || attemptsMemory.isZero()) {
            throw new IllegalArgumentException("attemptsMemory must be > 0, was " + attemptsMemory);
        }
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(inputTopic, "inputTopic");
        Objects.requireNonNull(revokeDrainTimeout, "revokeDrainTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
        }
        if (workerId.isBlank() || groupId.isBlank()) {
            throw new IllegalArgumentException("workerId and groupId must not be blank");
        }
        consumerOverrides = Map.copyOf(consumerOverrides);
        producerOverrides = Map.copyOf(producerOverrides);
    }

    /** How long a rebalance waits for the revoked partitions' requests unless configured. */
    public static final Duration DEFAULT_REVOKE_DRAIN_TIMEOUT = Duration.ofSeconds(5);

    /** How long an attempt is remembered unless configured. */
    public static final Duration DEFAULT_ATTEMPTS_MEMORY = Duration.ofHours(1);

    /** How long a graceful stop waits for requests in flight unless configured. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public static Builder builder(String workerId, String groupId, Topic<RoutedRequest> inputTopic) {
        return new Builder(workerId, groupId, inputTopic);
    }

    public String transactionalId() {
        return transactionalIdPrefix + "-" + workerId;
    }

    /**
     * Defaults: 16 in flight, 5 s revoke drain, 30 s shutdown, 200 ms poll, prefix = group id,
     * attempts on {@code inference.attempts} remembered 1 h.
     */
    public static final class Builder {
        private final String workerId;
        private final String groupId;
        private final Topic<RoutedRequest> inputTopic;
        private int maxInFlight = 16;
        private Duration revokeDrainTimeout = DEFAULT_REVOKE_DRAIN_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration pollTimeout = Duration.ofMillis(200);
        private String transactionalIdPrefix;
        private final Map<String, Object> consumerOverrides = new HashMap<>();
        private final Map<String, Object> producerOverrides = new HashMap<>();
        private Topic<AttemptStarted> attemptsTopic = Topics.INFERENCE_ATTEMPTS;
        private Duration attemptsMemory = DEFAULT_ATTEMPTS_MEMORY;
        private Topic<StreamChunk> streamTopic = Topics.INFERENCE_STREAM;

        private Builder(String workerId, String groupId, Topic<RoutedRequest> inputTopic) {
            this.workerId = workerId;
            this.groupId = groupId;
            this.inputTopic = inputTopic;
            this.transactionalIdPrefix = groupId;
        }

        public Builder maxInFlight(int value) {
            this.maxInFlight = value;
            return this;
        }

        public Builder revokeDrainTimeout(Duration value) {
            this.revokeDrainTimeout = value;
            return this;
        }

        public Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = value;
            return this;
        }

        public Builder pollTimeout(Duration value) {
            this.pollTimeout = value;
            return this;
        }

        public Builder transactionalIdPrefix(String value) {
            this.transactionalIdPrefix = value;
            return this;
        }

        /**
         * Static group membership under the worker id ({@code group.instance.id}): an instance that
         * crashes and starts again under the same id takes its partitions back at once, with no
         * rebalance, instead of waiting for the dead member's session to time out. Only for a worker id
         * that is stable across restarts and unique among live instances (two live instances with one
         * id fence each other). A graceful {@link TierWorker#close()} still leaves the group at once.
         */
        public Builder staticMembership() {
            consumerOverrides.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, workerId);
            return this;
        }

        public Builder attemptsTopic(Topic<AttemptStarted> value) {
            this.attemptsTopic = value;
            return this;
        }

        public Builder streamTopic(Topic<StreamChunk> value) {
            this.streamTopic = value;
            return this;
        }

        public Builder attemptsMemory(Duration value) {
            this.attemptsMemory = value;
            return this;
        }

        public Builder consumer(String key, Object value) {
            consumerOverrides.put(key, value);
            return this;
        }

        public Builder producer(String key, Object value) {
            producerOverrides.put(key, value);
            return this;
        }

        public TierWorkerConfig build() {
            return new TierWorkerConfig(
                    workerId,
                    groupId,
                    inputTopic,
                    maxInFlight,
                    revokeDrainTimeout,
                    shutdownTimeout,
                    pollTimeout,
                    transactionalIdPrefix,
                    consumerOverrides,
                    producerOverrides,
                    attemptsTopic,
                    attemptsMemory,
                    streamTopic);
        }
    }
}
