package io.tiergate.platform.kafka.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.testkit.TestBrokers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** {@link TopicSnapshot} on the real broker: its bounds, and a registry outage during the read. */
class TopicSnapshotIT {

    private static final String REGISTRY = "mock://snapshot-it-" + UUID.randomUUID();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClientSettings settings =
            new KafkaClientSettings(TestBrokers.shared().bootstrapServers(), REGISTRY, "snapshot-it");

    private static List<String> keys(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::key).toList();
    }

    @Test
    void readsEverythingUpToTheEndOffsetsOfItsStartAndNothingAppendedSince() throws Exception {
        try (TestTopic topic = new TestTopic("snapshot.bounds", 2, Topic.Cleanup.DELETE, REGISTRY)) {
            for (int i = 0; i < 6; i++) {
                topic.send("k" + i, i);
            }
            List<String> seen = new ArrayList<>();
            AtomicBoolean appended = new AtomicBoolean();
            TopicSnapshot.read(settings, ReadSpec.of("snapshot-bounds").topic(topic.topic.name()), TIMEOUT, record -> {
                seen.add(record.key());
                if (appended.compareAndSet(false, true)) {
                    for (int i = 6; i < 9; i++) {
                        try {
                            topic.send("k" + i, i); // durable before the snapshot polls again, yet after its start
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                }
            });

            assertThat(seen).containsExactlyInAnyOrder("k0", "k1", "k2", "k3", "k4", "k5");
            assertThat(keys(TopicSnapshot.readAll(
                            settings, ReadSpec.of("snapshot-bounds-2").topic(topic.topic.name()), TIMEOUT)))
                    .as("a later snapshot sees the appended records")
                    .hasSize(9);
        }
    }

    @Test
    void aTimeRangeIsTheRecordsFromItsStartUpToBeforeItsEnd() throws Exception {
        try (TestTopic topic = new TestTopic("snapshot.range", 1, Topic.Cleanup.DELETE, REGISTRY)) {
            long t0 = System.currentTimeMillis() - 60_000;
            for (int i = 0; i < 10; i++) {
                topic.send("k" + i, i, 0, t0 + i * 1000L);
            }
            ReadSpec range = ReadSpec.of("snapshot-range")
                    .topic(topic.topic, StartAt.at(t0 + 3000))
                    .until(t0 + 7000);

            assertThat(keys(TopicSnapshot.readAll(settings, range, TIMEOUT))).containsExactly("k3", "k4", "k5", "k6");
            assertThat(keys(TopicSnapshot.readAll(
                            settings,
                            ReadSpec.of("snapshot-since").topic(topic.topic, StartAt.at(t0 + 8000)),
                            TIMEOUT)))
                    .containsExactly("k8", "k9");
            assertThat(TopicSnapshot.readAll(
                            settings,
                            ReadSpec.of("snapshot-after").topic(topic.topic, StartAt.at(t0 + 60_000)),
                            TIMEOUT))
                    .as("nothing at or after the start time")
                    .isEmpty();
        }
    }

    @Test
    void anEmptyTopicIsReadAtOnce() throws Exception {
        try (TestTopic topic = new TestTopic("snapshot.empty", 3, Topic.Cleanup.COMPACT, REGISTRY)) {
            assertThat(TopicSnapshot.readAll(
                            settings, ReadSpec.of("snapshot-empty").topic(topic.topic.name()), TIMEOUT))
                    .isEmpty();
        }
    }

    @Test
    void aTopicThatDoesNotExistReadsAsEmptyAndIsNotCreated() throws Exception {
        String missing = "snapshot.missing." + UUID.randomUUID();

        assertThat(TopicSnapshot.readAll(
                        settings, ReadSpec.of("snapshot-missing").topic(missing), TIMEOUT))
                .isEmpty();

        try (Admin admin = Admin.create(settings.base())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(missing);
        }
    }

    @Test
    void aRegistryOutageHoldsTheReadUpAndLosesNoRecord() throws Exception {
        try (RestartableRegistry registry = new RestartableRegistry();
                TestTopic topic = new TestTopic("snapshot.outage", 2, Topic.Cleanup.DELETE, registry.writerUrl())) {
            for (int i = 0; i < 4; i++) {
                topic.send("k" + i, i);
            }
            KafkaClientSettings reader =
                    new KafkaClientSettings(settings.bootstrapServers(), registry.readerUrl(), "snapshot-it");
            EventDecoder decoder = new EventDecoder(reader);
            ReadSpec spec =
                    ReadSpec.of("snapshot-outage").topic(topic.topic.name()).registryRetryDelay(Duration.ofMillis(200));
            List<WorkerHealth> decoded = new ArrayList<>();
            registry.stop();

            assertThatThrownBy(() -> TopicSnapshot.read(
                            reader, spec, Duration.ofSeconds(4), r -> decoded.add(decoder.decode(topic.topic, r))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not read to its end within")
                    .hasMessageContaining("schema registry outage");
            assertThat(decoded).isEmpty();

            registry.start();
            TopicSnapshot.read(reader, spec, TIMEOUT, r -> decoded.add(decoder.decode(topic.topic, r)));
            assertThat(decoded).extracting(WorkerHealth::getQueueDepth).containsExactlyInAnyOrder(0, 1, 2, 3);
        }
    }
}
