package io.tiergate.ledger.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.ledger.support.CostEventProducer;
import io.tiergate.ledger.support.CostEvents;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The dashboard's simulated-backends notice from cost events on the real broker. */
class ServedBackendsFollowerIT {

    @Test
    void simulatedCallsOnInferenceCostsRaiseTheNoticeAndRealOnesClearIt() throws Exception {
        String bootstrap = TestBrokers.shared().bootstrapServers();
        String registry = "mock://served-backends-" + UUID.randomUUID();
        KafkaClientSettings settings = new KafkaClientSettings(bootstrap, registry, "served-backends-it");
        try (Admin admin = Admin.create(settings.base())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (!existing.contains(Topics.INFERENCE_COSTS.name())) {
                admin.createTopics(List.of(new NewTopic(Topics.INFERENCE_COSTS.name(), 3, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        }
        ServedBackends backends = new ServedBackends();
        try (ServedBackendsFollower follower = new ServedBackendsFollower(settings, backends, null);
                CostEventProducer producer = new CostEventProducer(bootstrap, registry)) {
            follower.start();
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            long before = backends.view().tiers().containsKey("LOCAL")
                    ? backends.view().tiers().get("LOCAL").simulated()
                    : 0;
            for (int i = 0; i < 3; i++) {
                CostEvent real = CostEvents.cost("sb-" + i).tier(Tier.LOCAL).build();
                producer.send(CostEvent.newBuilder(real)
                        .setSimulated(true)
                        .setProvider("simulated")
                        .build());
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ServedBackends.View view = backends.view();
                assertThat(view.simulated()).isTrue();
                assertThat(view.tiers().get("LOCAL").simulated()).isEqualTo(before + 3);
                assertThat(view.tiers().get("LOCAL").latestProvider()).isEqualTo("simulated");
            });

            producer.send(CostEvents.cost("sb-real").tier(Tier.LOCAL).build());
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(backends.view().tiers().get("LOCAL").latestSimulated())
                        .isFalse();
                assertThat(backends.view().tiers().get("LOCAL").latestProvider())
                        .isEqualTo("ollama");
            });
            follower.check();
        }
    }
}
