package io.tiergate.cloudworker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.tiergate.cloudworker.config.CloudWorkerConfiguration.BackendMode;
import io.tiergate.worker.simulated.SimulationSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code tiergate.cloud-worker.*} as the service binds it at start, with its application.yml (CLI
 * environment: no worker, no model calls, no broker).
 */
class CloudWorkerConfigurationTest {

    private record Bound(CloudWorkerConfiguration worker, Map<String, ModelProperties> models) {}

    private static Bound start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("micronaut.health.monitor.enabled", "false"); // a context that lives milliseconds
        try (ApplicationContext context = ApplicationContext.run(all, Environment.CLI)) {
            Collection<ModelProperties> models = context.getBeansOfType(ModelProperties.class);
            return new Bound(
                    context.getBean(CloudWorkerConfiguration.class),
                    models.stream().collect(Collectors.toMap(ModelProperties::name, Function.identity())));
        }
    }

    @Test
    void missingPropertiesTakeTheDocumentedDefaults() {
        Bound bound = start(Map.of());
        CloudWorkerConfiguration config = bound.worker();
        assertThat(config.enabled()).isTrue();
        assertThat(config.workerId()).isNull();
        assertThat(config.groupId()).isEqualTo("tiergate-cloud-worker");
        assertThat(config.maxInFlight()).isEqualTo(32);
        assertThat(config.backend()).isEqualTo(BackendMode.AUTO);
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.revokeDrainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.retry())
                .isEqualTo(new CloudWorkerConfiguration.Retry(
                        3,
                        Duration.ofMillis(500),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(5)));
        assertThat(config.health())
                .isEqualTo(new CloudWorkerConfiguration.Health(true, Duration.ofSeconds(1), Duration.ofSeconds(10)));
        // application.yml speeds the simulation up 10x; everything else is worker-core's default
        assertThat(config.simulation().toSettings())
                .isEqualTo(SimulationSettings.defaults().withSpeedUp(10));
        assertThat(config)
                .isEqualTo(new CloudWorkerConfiguration(
                        true,
                        null,
                        "tiergate-cloud-worker",
                        32,
                        BackendMode.AUTO,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        CloudWorkerConfiguration.Retry.DEFAULTS,
                        new CloudWorkerConfiguration.Simulation(42, 10, 0, 0, 1, 0.3),
                        CloudWorkerConfiguration.Health.DEFAULTS));

        // the shipped models: application.yml sets their ids, OpenRouter, the key's names and a header
        assertThat(bound.models()).containsOnlyKeys("deepseek-chat", "claude-haiku", "claude-sonnet", "claude-opus");
        ModelProperties haiku = bound.models().get("claude-haiku");
        assertThat(haiku)
                .isEqualTo(ModelProperties.builder("claude-haiku")
                        .model("anthropic/claude-haiku-4.5")
                        .baseUrl("https://openrouter.ai/api/v1")
                        .apiKeyEnv("OPENROUTER_API_KEY")
                        .headers(Map.of("x-title", "tiergate"))
                        .build());
        assertThat(haiku.api()).isEqualTo(ModelEndpoint.Api.OPENAI);
        assertThat(haiku.provider()).isEqualTo("openrouter");
        assertThat(haiku.remoteModel()).isEqualTo("anthropic/claude-haiku-4.5");
        assertThat(haiku.stream()).isTrue();
        assertThat(haiku.defaultMaxOutputTokens()).isEqualTo(4096);
        assertThat(haiku.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(haiku.requestsPerMinute()).isNull();
        assertThat(haiku.tokensPerMinute()).isNull();
        assertThat(haiku.circuitFailureRatePercent()).isEqualTo(50f);
        assertThat(haiku.circuitMinimumCalls()).isEqualTo(10);
        assertThat(haiku.circuitOpenFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(haiku.apiKeyFile()).isNull();
    }

    @Test
    void aSetPropertyOverridesItsDefaultOnly() {
        Bound bound = start(Map.of(
                "tiergate.cloud-worker.backend", "simulated",
                "tiergate.cloud-worker.retry.max-attempts-per-model", "5",
                "tiergate.cloud-worker.models.claude-haiku.requests-per-minute", "500"));
        assertThat(bound.worker().backend()).isEqualTo(BackendMode.SIMULATED);
        assertThat(bound.worker().retry().maxAttemptsPerModel()).isEqualTo(5);
        assertThat(bound.worker().retry().backoffBase())
                .isEqualTo(CloudWorkerConfiguration.Retry.DEFAULTS.backoffBase());
        assertThat(bound.models().get("claude-haiku").requestsPerMinute()).isEqualTo(500L);
        assertThat(bound.models().get("claude-opus").requestsPerMinute()).isNull();
    }

    @Test
    void anOutOfRangeValueFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(Map.of("tiergate.cloud-worker.max-in-flight", "0")))
                .hasMessageContaining("tiergate.cloud-worker.max-in-flight must be > 0, was 0");
        assertThatThrownBy(() -> start(Map.of("tiergate.cloud-worker.retry.backoff-max", "100ms")))
                .hasMessageContaining(
                        "tiergate.cloud-worker.retry.backoff-max must be >= tiergate.cloud-worker.retry.backoff-base (500ms), was 100ms");
        assertThatThrownBy(() -> start(Map.of("tiergate.cloud-worker.simulation.failure-rate", "1.5")))
                .hasMessageContaining(
                        "tiergate.cloud-worker.simulation.failure-rate must be between 0.0 and 1.0, was 1.5");
        assertThatThrownBy(() -> start(Map.of("tiergate.cloud-worker.models.claude-opus.circuit-minimum-calls", "0")))
                .hasMessageContaining(
                        "tiergate.cloud-worker.models.claude-opus.circuit-minimum-calls must be > 0, was 0");
    }

    @Test
    void aValueOfTheWrongTypeFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(Map.of("tiergate.cloud-worker.backend", "cloud")))
                .hasMessageContaining(
                        "tiergate.cloud-worker.backend must be one of auto, real, simulated, was \"cloud\"");
        assertThatThrownBy(() -> start(Map.of("tiergate.cloud-worker.models.claude-opus.timeout", "long")))
                .hasMessageContaining(
                        "tiergate.cloud-worker.models.claude-opus.timeout must be a duration (500ms, 30s, 5m, 7d), was \"long\"");
    }
}
