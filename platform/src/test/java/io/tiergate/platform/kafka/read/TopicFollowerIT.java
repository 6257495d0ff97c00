package io.tiergate.platform.kafka.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.testkit.TestBrokers;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link TopicFollower} on the real broker: catch-up, follow, start positions, failures. */
class TopicFollowerIT {

    private static final String REGISTRY = "mock://follower-it-" + UUID.randomUUID();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final KafkaClientSettings settings =
            new KafkaClientSettings(TestBrokers.shared().bootstrapServers(), REGISTRY, "follower-it");

    @Test
    void catchesUpWithWhatWasThereThenFollowsWhatIsAppended() throws Exception {
        try (TestTopic topic = new TestTopic("follower.catchup", 3, Topic.Cleanup.DELETE, REGISTRY)) {
            for (int i = 0; i < 5; i++) {
                topic.send("k" + i, i);
            }
            List<String> seen = new CopyOnWriteArrayList<>();
            try (TopicFollower follower = TopicFollower.start(
                    settings, ReadSpec.of("follower-catchup").topic(topic.topic.name()), r -> seen.add(r.key()))) {
                assertThat(follower.awaitCaughtUp(DEADLINE)).isTrue();
                assertThat(seen)
                        .as("everything there at the start, handed over before caught up")
                        .containsExactlyInAnyOrder("k0", "k1", "k2", "k3", "k4");

                topic.send("k5", 5);
                topic.send("k6", 6);
                await().atMost(DEADLINE).until(() -> seen.containsAll(List.of("k5", "k6")));
                follower.check();
            }
        }
    }

    @Test
    void fromTheEndOnlyWhatIsAppendedAfterTheStart() throws Exception {
        try (TestTopic topic = new TestTopic("follower.end", 2, Topic.Cleanup.DELETE, REGISTRY)) {
            topic.send("before-1", 1);
            topic.send("before-2", 2);
            List<String> seen = new CopyOnWriteArrayList<>();
            try (TopicFollower follower = TopicFollower.start(
                    settings,
                    ReadSpec.of("follower-end").topic(topic.topic.name(), StartAt.end()),
                    r -> seen.add(r.key()))) {
                assertThat(follower.awaitCaughtUp(DEADLINE)).isTrue();
                topic.send("after", 3);
                await().atMost(DEADLINE).until(() -> seen.contains("after"));
                assertThat(seen).containsExactly("after");
            }
        }
    }

    @Test
    void aHandlerFailureStopsTheFollowerAndSaysWhy() throws Exception {
        try (TestTopic topic = new TestTopic("follower.failure", 1, Topic.Cleanup.DELETE, REGISTRY)) {
            topic.send("poison", 1);
            try (TopicFollower follower = TopicFollower.start(
                    settings, ReadSpec.of("follower-failure").topic(topic.topic.name()), r -> {
                        throw new IllegalArgumentException("cannot take " + r.key());
                    })) {
                assertThatThrownBy(() -> follower.awaitCaughtUp(DEADLINE))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("follower-failure stopped: cannot take poison");
                assertThatThrownBy(follower::check).hasMessageContaining("cannot take poison");
            }
        }
    }

    @Test
    void handlersRunWhileHoldingTheOwnersLock() throws Exception {
        try (TestTopic topic = new TestTopic("follower.lock", 1, Topic.Cleanup.DELETE, REGISTRY)) {
            topic.send("k", 1);
            Object lock = new Object();
            List<Boolean> held = new CopyOnWriteArrayList<>();
            try (TopicFollower follower = TopicFollower.start(
                    settings,
                    ReadSpec.of("follower-lock").topic(topic.topic.name()).handleWhileHolding(lock),
                    r -> held.add(Thread.holdsLock(lock)))) {
                assertThat(follower.awaitCaughtUp(DEADLINE)).isTrue();
                assertThat(held).containsExactly(true);
            }
        }
    }
}
