package io.tiergate.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tiergate.topics.*} as a service binds it at start (CLI environment: no broker, no provisioning). */
class TopicsConfigurationTest {

    private static TopicsConfiguration bind(Map<String, Object> properties) {
        try (ApplicationContext context = ApplicationContext.run(withQuietContext(properties), Environment.CLI)) {
            return context.getBean(TopicsConfiguration.class);
        }
    }

    /** A context that lives a few milliseconds: no health monitor scheduled into it. */
    private static Map<String, Object> withQuietContext(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("micronaut.health.monitor.enabled", "false");
        return all;
    }

    @Test
    void missingPropertiesTakeTheDocumentedDefaults() {
        TopicsConfiguration topics = bind(Map.of());
        assertThat(topics).isEqualTo(TopicsConfiguration.DEFAULTS);
        assertThat(topics.defaultPartitions()).isEqualTo(3);
        assertThat(topics.replicationFactor()).isEqualTo((short) 1);
        assertThat(topics.partitionsFor("inference.requests")).isEqualTo(3);
    }

    @Test
    void aBlankValueIsNotSet() {
        assertThat(bind(Map.of("tiergate.topics.default-partitions", "")).defaultPartitions())
                .isEqualTo(3);
    }

    @Test
    void setValuesAreBound() {
        TopicsConfiguration topics =
                bind(Map.of("tiergate.topics.default-partitions", "6", "tiergate.topics.partitions.audit", "2"));
        assertThat(topics.partitionsFor("audit")).isEqualTo(2);
        assertThat(topics.partitionsFor("inference.requests")).isEqualTo(6);
    }

    @Test
    void anOutOfRangeValueFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("tiergate.topics.default-partitions", "0")))
                .hasMessageContaining("tiergate.topics.default-partitions must be > 0, was 0");
    }

    @Test
    void aValueThatIsNotANumberFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("tiergate.topics.default-partitions", "many")))
                .hasMessageContaining("tiergate.topics.default-partitions must be a whole number, was \"many\"");
    }

    @Test
    void aPartitionCountForInferenceAttemptsOtherThanInferenceCostsFailsStartUpNamingBoth() {
        assertThatThrownBy(() ->
                        new TopicsConfiguration(3, (short) 1, Map.of("inference.costs", 6, "inference.attempts", 3)))
                .hasMessage("tiergate.topics.partitions.inference.attempts must be equal to the partition count of"
                        + " inference.costs, 6 (leave it out: it follows inference.costs; docs/architecture.md, \"Topics\"),"
                        + " was 3");
        assertThatThrownBy(() -> new TopicsConfiguration(4, (short) 1, Map.of("inference.attempts", 3)))
                .hasMessageContaining("the partition count of inference.costs, 4");
    }

    @Test
    void inferenceAttemptsMayRepeatInferenceCostsCountOrLeaveItOut() {
        assertThat(new TopicsConfiguration(3, (short) 1, Map.of("inference.costs", 6, "inference.attempts", 6))
                        .partitionsFor("inference.attempts"))
                .isEqualTo(6);
        assertThat(new TopicsConfiguration(3, (short) 1, Map.of("inference.costs", 6)).partitionsFor("inference.costs"))
                .isEqualTo(6);
    }
}
