package io.tiergate.localworker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.tiergate.localworker.endpoint.BackendMode;
import io.tiergate.localworker.endpoint.EndpointSettings;
import io.tiergate.localworker.endpoint.EndpointSpec;
import io.tiergate.localworker.endpoint.LocalApi;
import io.tiergate.worker.simulated.SimulationSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tiergate.local-worker.*} as the service binds it at start, with its application.yml (CLI
 * environment: no worker, no probe, no broker).
 */
class LocalWorkerConfigurationTest {

    private record Bound(LocalWorkerConfiguration worker, Collection<LocalEndpointConfiguration> endpoints) {}

    private static Bound start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("micronaut.health.monitor.enabled", "false"); // a context that lives milliseconds
        try (ApplicationContext context = ApplicationContext.run(all, Environment.CLI)) {
            return new Bound(
                    context.getBean(LocalWorkerConfiguration.class),
                    context.getBeansOfType(LocalEndpointConfiguration.class));
        }
    }

    @Test
    void missingPropertiesTakeTheDocumentedDefaults() {
        Bound bound = start(Map.of());
        LocalWorkerConfiguration config = bound.worker();
        assertThat(config).isEqualTo(LocalWorkerConfiguration.DEFAULTS);
        assertThat(config.workerId()).isEqualTo("local-worker-1");
        assertThat(config.groupId()).isEqualTo("tiergate-local-worker");
        assertThat(config.inputTopic()).isEqualTo("inference.tier.local");
        assertThat(config.backend()).isEqualTo(BackendMode.AUTO);
        assertThat(config.defaultEndpoint()).isEqualTo("ollama");
        assertThat(config.defaultCloudModel()).isEqualTo("anthropic/claude-haiku-4.5");
        assertThat(config.streams()).isEqualTo(1);
        assertThat(config.queueLimit()).isEqualTo(4);
        assertThat(config.holdMaxWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.maxInFlight()).isEqualTo(8);
        assertThat(config.probeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.priceTable()).isNull();
        assertThat(config.circuitFailureThreshold()).isEqualTo(5);
        assertThat(config.circuitOpenDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.healthCheckEvery()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.healthHeartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.simulation()).isEqualTo(SimulationSettings.defaults());

        // the shipped endpoint: application.yml sets only its name, api and num-ctx
        assertThat(bound.endpoints()).hasSize(1);
        EndpointSpec ollama = bound.endpoints().iterator().next().toSpec();
        assertThat(ollama.name()).isEqualTo("ollama");
        assertThat(ollama.api()).isEqualTo(LocalApi.OLLAMA);
        assertThat(ollama.explicitUrl()).isFalse();
        assertThat(ollama.models()).isEmpty();
        EndpointSettings defaults =
                EndpointSettings.defaults("ollama", URI.create(EndpointSettings.DEFAULT_OLLAMA_URL));
        assertThat(ollama.settings())
                .isEqualTo(new EndpointSettings(
                        "ollama",
                        defaults.baseUrl(),
                        defaults.stream(),
                        defaults.think(),
                        defaults.keepAlive(),
                        8192,
                        defaults.connectTimeout(),
                        defaults.firstByteTimeout(),
                        defaults.idleTimeout(),
                        defaults.totalTimeout()));
        assertThat(defaults.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:11434"));
        assertThat(defaults.stream()).isTrue();
        assertThat(defaults.think()).isFalse();
        assertThat(defaults.keepAlive()).isEqualTo("5m");
        assertThat(List.of(
                        defaults.connectTimeout(),
                        defaults.firstByteTimeout(),
                        defaults.idleTimeout(),
                        defaults.totalTimeout()))
                .containsExactly(
                        Duration.ofSeconds(2), Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    @Test
    void aSetPropertyOverridesItsDefaultOnly() {
        Bound bound = start(Map.of(
                "tiergate.local-worker.backend", "simulated",
                "tiergate.local-worker.simulation-speed-up", "200",
                "tiergate.local-worker.endpoints.ollama.send-think", "false",
                "tiergate.local-worker.endpoints.ollama.models", "qwen3:8b,llama3.2:3b"));
        assertThat(bound.worker().backend()).isEqualTo(BackendMode.SIMULATED);
        assertThat(bound.worker().simulation())
                .isEqualTo(SimulationSettings.defaults().withSpeedUp(200));
        assertThat(bound.worker().queueLimit()).isEqualTo(LocalWorkerConfiguration.DEFAULTS.queueLimit());
        EndpointSpec ollama = bound.endpoints().iterator().next().toSpec();
        assertThat(ollama.settings().think()).isNull();
        assertThat(ollama.models()).containsExactly("qwen3:8b", "llama3.2:3b");
    }

    @Test
    void anOutOfRangeValueFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(Map.of("tiergate.local-worker.streams", "0")))
                .hasMessageContaining("tiergate.local-worker.streams must be > 0, was 0");
        assertThatThrownBy(() -> start(Map.of("tiergate.local-worker.backend", "gpu")))
                .hasMessageContaining(
                        "tiergate.local-worker.backend must be one of auto, ollama, openai-compatible, simulated; was \"gpu\"");
        assertThatThrownBy(() -> start(Map.of("tiergate.local-worker.endpoints.ollama.total-timeout", "-1s")))
                .hasMessageContaining("tiergate.local-worker.endpoints.ollama.total-timeout must be > 0, was -1s");
        assertThatThrownBy(() -> start(Map.of("tiergate.local-worker.endpoints.ollama.api", "vllm")))
                .hasMessageContaining(
                        "tiergate.local-worker.endpoints.ollama.api must be ollama or openai-compatible, was vllm");
    }

    @Test
    void aValueOfTheWrongTypeFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(Map.of("tiergate.local-worker.hold-max-wait", "forever")))
                .hasMessageContaining(
                        "tiergate.local-worker.hold-max-wait must be a duration (500ms, 30s, 5m, 7d), was \"forever\"");
        assertThatThrownBy(() -> start(Map.of("tiergate.local-worker.endpoints.ollama.num-ctx", "big")))
                .hasMessageContaining(
                        "tiergate.local-worker.endpoints.ollama.num-ctx must be a whole number, was \"big\"");
    }
}
