package io.tiergate.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.topics.TopicProvisioner.PartitionMismatchException;
import io.tiergate.testkit.TestBrokers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Topics that must share a partition count ({@code inference.attempts} and {@code inference.costs}),
 * on a real broker, under names of this test so the shared broker's real topics are not touched.
 */
class TopicProvisionerIT {

    private Admin admin;
    private Topic<AttemptStarted> attempts;
    private Topic<CostEvent> costs;

    @BeforeEach
    void connect() {
        admin = Admin.create(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                TestBrokers.shared().bootstrapServers()));
        String run = UUID.randomUUID().toString().substring(0, 8);
        attempts = new Topic<>("t-" + run + ".attempts", AttemptStarted.class, Topic.Cleanup.DELETE);
        costs = new Topic<>("t-" + run + ".costs", CostEvent.class, Topic.Cleanup.DELETE);
    }

    @AfterEach
    void close() {
        admin.close();
    }

    private TopicProvisioner provisioner(Map<String, Integer> configured) {
        return new TopicProvisioner(
                admin,
                name -> configured.getOrDefault(name, 3),
                (short) 1,
                List.of(costs, attempts),
                Map.of(attempts.name(), costs.name()));
    }

    @Test
    void aTopicThatMustFollowAnotherIsCreatedWithItsPartitionCountWhateverItsOwnSetting() throws Exception {
        List<String> created =
                provisioner(Map.of(costs.name(), 5, attempts.name(), 2)).ensureAll();

        assertThat(created).contains(attempts.name(), costs.name(), attempts.dlq(), costs.dlq());
        assertThat(partitions(attempts.name())).isEqualTo(5);
        assertThat(partitions(costs.name())).isEqualTo(5);
    }

    @Test
    void itFollowsThePartnersActualCountWhenThePartnerExistsAlready() throws Exception {
        create(new NewTopic(costs.name(), 4, (short) 1));

        provisioner(Map.of()).ensureAll();

        assertThat(partitions(attempts.name())).isEqualTo(4);
    }

    @Test
    void existingTopicsWithDifferentCountsStopTheStartNamingBothTopicsAndCounts() throws Exception {
        admin.createTopics(
                        List.of(new NewTopic(costs.name(), 3, (short) 1), new NewTopic(attempts.name(), 2, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);

        assertThatThrownBy(() -> provisioner(Map.of()).ensureAll())
                .isInstanceOf(PartitionMismatchException.class)
                .hasMessageStartingWith(attempts.name() + " has 2 partition(s) but " + costs.name() + " has 3")
                .hasMessageContaining("--alter --topic " + attempts.name() + " --partitions 3");
        assertThat(Set.of(partitions(attempts.name()), partitions(costs.name())))
                .as("nothing was changed behind the operator's back")
                .containsExactlyInAnyOrder(2, 3);
    }

    @Test
    void theDesignsPairIsAttemptsFollowingCosts() {
        assertThat(TopicProvisioner.SAME_PARTITIONS)
                .containsExactly(Map.entry(Topics.INFERENCE_ATTEMPTS.name(), Topics.INFERENCE_COSTS.name()));
    }

    /** Once every broker knows the topic (metadata follows a creation shortly after). */
    private int partitions(String topic) {
        return await(topic + " described")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                        () -> admin.describeTopics(List.of(topic))
                                .allTopicNames()
                                .get(30, TimeUnit.SECONDS)
                                .get(topic)
                                .partitions()
                                .size(),
                        n -> n > 0);
    }

    private void create(NewTopic... topics) throws Exception {
        admin.createTopics(List.of(topics)).all().get(30, TimeUnit.SECONDS);
        for (NewTopic t : topics) {
            partitions(t.name());
        }
        await("created topics listed")
                .atMost(Duration.ofSeconds(30))
                .until(() -> admin.listTopics()
                        .names()
                        .get(30, TimeUnit.SECONDS)
                        .containsAll(java.util.Arrays.stream(topics)
                                .map(NewTopic::name)
                                .toList()));
    }
}
