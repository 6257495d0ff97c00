package io.tiergate.cli.bench;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicFollower;
import io.tiergate.schemas.topics.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The benchmark's observer: for every request of one run (keys starting with the run prefix), the
 * timestamp of its first record on {@code inference.classified} and on a tier topic. It reads keys
 * and record timestamps only and never decodes a value, so measuring costs the two shared cores as
 * little as possible. Starts at the ends of the topics as they are when it is created.
 */
public final class RoutingTimestamps implements AutoCloseable {

    /** When a request was classified and routed (record timestamps, ms), -1 while not yet seen. */
    public record Times(long classifiedAtMs, long routedAtMs) {}

    private static final List<String> TOPICS =
            List.of(Topics.INFERENCE_CLASSIFIED.name(), Topics.TIER_LOCAL.name(), Topics.TIER_CLOUD.name());

    private final String runPrefix;
    private final Map<String, long[]> times = new HashMap<>();
    private final TopicFollower follower;

    public RoutingTimestamps(String bootstrap, String runPrefix) {
        this.runPrefix = runPrefix;
        this.follower = TopicFollower.start(
                new KafkaClientSettings(bootstrap, null, "tiergate-bench"), // keys and timestamps only: no registry
                ReadSpec.of("tiergate-bench-observer")
                        .readCommitted(false)
                        .topics(TOPICS, StartAt.end())
                        .handleWhileHolding(this),
                this::handle);
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null || !key.startsWith(runPrefix)) {
            return;
        }
        long[] t = times.computeIfAbsent(key, k -> new long[] {-1, -1});
        int slot = record.topic().equals(Topics.INFERENCE_CLASSIFIED.name()) ? 0 : 1;
        if (t[slot] < 0) {
            t[slot] = record.timestamp();
        }
    }

    /** What is known about {@code requestId} now. */
    public synchronized Times get(String requestId) {
        follower.check();
        long[] t = times.get(requestId);
        return t == null ? new Times(-1, -1) : new Times(t[0], t[1]);
    }

    @Override
    public void close() {
        follower.close();
    }
}
