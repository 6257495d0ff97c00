package io.tiergate.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tiergate meters registered without a description get HELP text, so promtool's metrics check passes. */
class MeterDescriptionsTest {

    private static PrometheusMeterRegistry registryWithEveryShortcutMeter() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterDescriptions());
        for (String name : MeterDescriptions.HELP.keySet()) {
            registry.counter(name, "scope", "global").increment();
        }
        return registry;
    }

    @Test
    void aShortcutMeterGetsItsHelpText() {
        String scrape = registryWithEveryShortcutMeter().scrape();
        assertThat(scrape)
                .contains("# HELP tiergate_dlq_records_total Records sent to a topic's .dlq twin")
                .contains("# HELP tiergate_ledger_budget_level_total Budget level per scope");
    }

    @Test
    void aMeterWithItsOwnDescriptionKeepsIt() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterDescriptions());
        Counter.builder("tiergate.dlq.records")
                .description("said at the builder")
                .register(registry);
        assertThat(registry.scrape()).contains("# HELP tiergate_dlq_records_total said at the builder");
    }

    @Test
    void promtoolFindsNoMetricWithoutHelp(@TempDir Path dir) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool), "promtool is not installed (.ci/run installs the prometheus package)");
        Path scrape = dir.resolve("metrics.txt");
        Files.writeString(scrape, registryWithEveryShortcutMeter().scrape(), StandardCharsets.UTF_8);
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(scrape.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("promtool check metrics").doesNotContain("no help text");
    }
}
