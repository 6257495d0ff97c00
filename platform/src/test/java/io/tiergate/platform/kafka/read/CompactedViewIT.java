package io.tiergate.platform.kafka.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.testkit.TestBrokers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link CompactedView} on the real broker: the latest value per key after catch-up, following,
 * tombstones, bad records skipped, and a schema registry outage retried rather than skipped.
 */
class CompactedViewIT {

    private static final String REGISTRY = "mock://view-it-" + UUID.randomUUID();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final KafkaClientSettings settings =
            new KafkaClientSettings(TestBrokers.shared().bootstrapServers(), REGISTRY, "view-it");
    private final EventDecoder decoder = new EventDecoder(settings);

    /** The owner's state: worker → queue depth. */
    private static CompactedView.Change<WorkerHealth> into(Map<String, Integer> depths) {
        return (key, health) -> {
            if (health == null) {
                depths.remove(key);
            } else {
                depths.put(key, health.getQueueDepth());
            }
        };
    }

    @Test
    void catchesUpToTheLatestValuePerKeyThenFollowsChangesAndTombstones() throws Exception {
        try (TestTopic topic = new TestTopic("view.latest", 2, Topic.Cleanup.COMPACT, REGISTRY)) {
            topic.send("a", 1);
            topic.send("b", 2);
            topic.send("a", 3);
            topic.send("c", 4);
            topic.tombstone("c");
            Map<String, Integer> depths = new ConcurrentHashMap<>();
            try (CompactedView view = CompactedView.builder(settings, decoder, "view-latest")
                    .topic(topic.topic, into(depths))
                    .start()) {
                assertThat(view.awaitCaughtUp(DEADLINE)).isTrue();
                assertThat(depths).containsExactlyInAnyOrderEntriesOf(Map.of("a", 3, "b", 2));

                topic.send("b", 5);
                topic.tombstone("a");
                await().atMost(DEADLINE)
                        .untilAsserted(() -> assertThat(depths).containsExactlyInAnyOrderEntriesOf(Map.of("b", 5)));
                assertThat(view.undecodableRecords()).isZero();
                view.check();
            }
        }
    }

    @Test
    void skipsWhatDoesNotDecodeAndKeepsThePreviousValueOfARejectedOne() throws Exception {
        try (TestTopic topic = new TestTopic("view.bad", 1, Topic.Cleanup.COMPACT, REGISTRY)) {
            topic.send("a", 1);
            topic.sendRaw("garbage", "not avro".getBytes(StandardCharsets.UTF_8), null, null);
            topic.send("a", -1); // the owner rejects negative depths
            topic.send("b", 2);
            Map<String, Integer> depths = new ConcurrentHashMap<>();
            CompactedView.Change<WorkerHealth> owner = into(depths);
            CompactedView.Change<WorkerHealth> rejecting = (key, health) -> {
                if (health != null && health.getQueueDepth() < 0) {
                    throw new InvalidInputException("negative queue depth");
                }
                owner.accept(key, health);
            };
            try (CompactedView view = CompactedView.builder(settings, decoder, "view-bad")
                    .topic(topic.topic, rejecting)
                    .start()) {
                assertThat(view.awaitCaughtUp(DEADLINE)).isTrue();
                assertThat(depths).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 2));
                assertThat(view.undecodableRecords()).isEqualTo(1);
                view.check();
            }
        }
    }

    @Test
    void aSchemaRegistryOutageIsRetriedNeverTakenForBadRecords() throws Exception {
        try (RestartableRegistry registry = new RestartableRegistry();
                TestTopic topic = new TestTopic("view.outage", 2, Topic.Cleanup.COMPACT, registry.writerUrl())) {
            topic.send("a", 1);
            topic.send("b", 2);
            KafkaClientSettings reader =
                    new KafkaClientSettings(settings.bootstrapServers(), registry.readerUrl(), "view-it");
            Map<String, Integer> depths = new ConcurrentHashMap<>();
            registry.stop();
            try (CompactedView view = CompactedView.builder(reader, new EventDecoder(reader), "view-outage")
                    .topic(topic.topic, into(depths))
                    .registryRetryDelay(Duration.ofMillis(200))
                    .start()) {
                assertThat(view.awaitCaughtUp(Duration.ofSeconds(3)))
                        .as("caught up while the registry is down")
                        .isFalse();
                assertThat(depths).isEmpty();
                assertThat(view.undecodableRecords()).isZero();

                registry.start();
                assertThat(view.awaitCaughtUp(DEADLINE)).isTrue();
                assertThat(depths).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 2));
                assertThat(view.undecodableRecords()).isZero();
            }
        }
    }

    @Test
    void aTopicReadAlongFromATimeHandsOverEveryRecordSinceThen() throws Exception {
        try (TestTopic compacted = new TestTopic("view.along-state", 1, Topic.Cleanup.COMPACT, REGISTRY);
                TestTopic events = new TestTopic("view.along-events", 2, Topic.Cleanup.DELETE, REGISTRY)) {
            compacted.send("a", 1);
            long since = System.currentTimeMillis() - 10_000;
            events.send("old", 1, 0, since - 5_000);
            events.send("e1", 2, 0, since + 1_000);
            events.send("e1", 3, 1, since + 2_000);
            Map<String, Integer> depths = new ConcurrentHashMap<>();
            List<Integer> along = new CopyOnWriteArrayList<>();
            try (CompactedView view = CompactedView.builder(settings, decoder, "view-along")
                    .topic(compacted.topic, into(depths))
                    .alsoRead(events.topic, StartAt.at(since), (key, health) -> along.add(health.getQueueDepth()))
                    .start()) {
                assertThat(view.awaitCaughtUp(DEADLINE)).isTrue();
                assertThat(depths).containsEntry("a", 1);
                assertThat(along).containsExactlyInAnyOrder(2, 3);
            }
        }
    }

    @Test
    void loadOnceReadsToTheEndOnTheCallingThread() throws Exception {
        try (TestTopic topic = new TestTopic("view.once", 3, Topic.Cleanup.COMPACT, REGISTRY)) {
            topic.send("a", 1);
            topic.send("a", 2);
            topic.sendRaw("garbage", new byte[] {1, 2, 3}, null, null);
            Map<String, Integer> depths = new ConcurrentHashMap<>();
            long undecodable = CompactedView.builder(settings, decoder, "view-once")
                    .topic(topic.topic, into(depths))
                    .loadOnce(DEADLINE);
            assertThat(depths).containsExactlyInAnyOrderEntriesOf(Map.of("a", 2));
            assertThat(undecodable).isEqualTo(1);
        }
    }
}
