package io.tiergate.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The start-up notice reads the workers' own gauges, as Micrometer's Prometheus registry writes them. */
class BackendsNoticeTest {

    private static String localWorker(boolean simulated) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("tiergate.local-worker.backend.simulated", () -> simulated ? 1 : 0)
                .tag("endpoint", "default")
                .description("1 when this endpoint is served by the simulated backend")
                .register(registry);
        return registry.scrape();
    }

    private static String cloudWorker(boolean simulated, String... models) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (String model : models) {
            Gauge.builder("tiergate.cloud-worker.circuit.open", () -> 0)
                    .tag("model", model)
                    .tag("simulated", Boolean.toString(simulated))
                    .description("1 when the model's circuit breaker rejects calls")
                    .register(registry);
        }
        return registry.scrape();
    }

    @Test
    void simulatedBackendsAreNamedWithWhyAndTheSpeedUp() {
        var simulated = BackendsNotice.parse(
                localWorker(true), cloudWorker(true, "anthropic/claude-opus-4.6", "deepseek/deepseek-chat"));
        assertThat(simulated.localEndpoints()).containsExactly("default");
        assertThat(simulated.cloudModels()).containsExactly("anthropic/claude-opus-4.6", "deepseek/deepseek-chat");
        assertThat(BackendsNotice.text(simulated, "200.0"))
                .hasValueSatisfying(text -> assertThat(text)
                        .contains("SIMULATED models: local tier (no Ollama answered")
                        .contains("cloud tier, 2 models (no OPENROUTER_API_KEY")
                        .contains("latency ÷ 200 ")
                        .contains("simulated=true"));
    }

    @Test
    void realBackendsGiveNoNotice() {
        var real = BackendsNotice.parse(localWorker(false), cloudWorker(false, "openai/gpt-4o-mini"));
        assertThat(real.any()).isFalse();
        assertThat(BackendsNotice.text(real, "200")).isEmpty();
    }

    @Test
    void onlyTheSimulatedTierIsNamed() {
        var cloudOnly = BackendsNotice.parse(localWorker(false), cloudWorker(true, "openai/gpt-4o-mini"));
        assertThat(BackendsNotice.text(cloudOnly, "1"))
                .hasValueSatisfying(text -> assertThat(text)
                        .doesNotContain("local tier")
                        .contains("SIMULATED models: cloud tier, 1 models"));
    }

    @Test
    void theSummaryLineNamesTheSimulatedTiersAndIsAbsentWhenAllAreReal() {
        var both = BackendsNotice.parse(localWorker(true), cloudWorker(true, "a/x", "b/y", "c/z"));
        assertThat(BackendsNotice.summary(both))
                .hasValueSatisfying(line -> assertThat(line)
                        .startsWith(
                                "[stack] backends: SIMULATED local tier (no Ollama), cloud tier (no provider API key, 3 models)")
                        .contains("simulated=true"));
        var cloudOnly = BackendsNotice.parse(localWorker(false), cloudWorker(true, "a/x"));
        assertThat(BackendsNotice.summary(cloudOnly))
                .hasValueSatisfying(
                        line -> assertThat(line).doesNotContain("local tier").contains("cloud tier"));
        assertThat(BackendsNotice.summary(BackendsNotice.parse(localWorker(false), cloudWorker(false, "a/x"))))
                .isEmpty();
    }
}
