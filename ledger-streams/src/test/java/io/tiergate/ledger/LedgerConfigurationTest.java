package io.tiergate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tiergate.ledger.*} as the service binds it at start, with its application.yml. The Kafka
 * Streams instance is built (the topology takes the settings) but not started: no broker needed.
 */
class LedgerConfigurationTest {

    @TempDir
    Path stateDir;

    private LedgerConfiguration start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("kafka.streams.default.start-kafka-streams", "false");
        all.put("kafka.bootstrap.servers", "127.0.0.1:1"); // nothing there: the unstarted clients reach no one's broker
        all.put("kafka.streams.default.state.dir", stateDir.toString());
        all.put("tiergate.schema-registry-url", "mock://ledger-configuration-test");
        all.put("micronaut.health.monitor.enabled", "false"); // a context that lives milliseconds
        try (ApplicationContext context = ApplicationContext.run(all, Environment.CLI)) {
            return context.getBean(LedgerConfiguration.class);
        }
    }

    @Test
    void missingPropertiesTakeTheDocumentedDefaults() {
        LedgerConfiguration config = start(Map.of());
        assertThat(config).isEqualTo(LedgerConfiguration.DEFAULTS);
        assertThat(config.windowGrace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.hourRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.dayRetention()).isEqualTo(Duration.ofDays(100));
        assertThat(config.monthRetention()).isEqualTo(Duration.ofDays(800));
        assertThat(config.dedupeRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.statusInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxClockSkew()).isEqualTo(Duration.ofHours(1));
        assertThat(config.anomalyFactor()).isEqualByComparingTo("3");
        assertThat(config.anomalyMinRateUsdPerHour()).isEqualByComparingTo("0.01");
        assertThat(config.budgetIncludesLocalSpend()).isFalse();
        assertThat(config.maxLimitUsd()).isEqualByComparingTo("1000000000");
        assertThat(config.maxCostUsdPerEvent()).isEqualByComparingTo("10000");
        assertThat(config.maxTokensPerEvent()).isEqualTo(100_000_000L);
        assertThat(config.repriceFromPriceTable()).isFalse();
        assertThat(config.priceTable()).isNull();
        assertThat(config.toSettings()).isEqualTo(LedgerSettings.defaults());
    }

    @Test
    void aSetPropertyOverridesItsDefaultOnly() {
        LedgerConfiguration config =
                start(Map.of("tiergate.ledger.status-interval", "500ms", "tiergate.ledger.anomaly-factor", "2.5"));
        assertThat(config.statusInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.anomalyFactor()).isEqualTo(new BigDecimal("2.5"));
        assertThat(config.windowGrace()).isEqualTo(LedgerConfiguration.DEFAULTS.windowGrace());
    }

    @Test
    void anOutOfRangeValueFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(Map.of("tiergate.ledger.status-interval", "0s")))
                .hasMessageContaining("tiergate.ledger.status-interval must be > 0, was 0s");
        assertThatThrownBy(() -> start(Map.of("tiergate.ledger.anomaly-factor", "1")))
                .hasMessageContaining("tiergate.ledger.anomaly-factor must be > 1, was 1");
        assertThatThrownBy(() -> start(Map.of("tiergate.ledger.window-grace", "-1m")))
                .hasMessageContaining("tiergate.ledger.window-grace must be >= 0, was -1m");
        assertThatThrownBy(() -> start(Map.of("tiergate.ledger.max-cost-usd-per-event", "0")))
                .hasMessageContaining("tiergate.ledger.max-cost-usd-per-event must be > 0, was 0");
        assertThatThrownBy(() -> start(Map.of("tiergate.ledger.max-cost-usd-per-event", "1000000000000")))
                .hasMessageContaining(
                        "tiergate.ledger.max-cost-usd-per-event must be <= 99999999999.999999999 (decimal(20,9)), was 1000000000000");
        assertThatThrownBy(() -> start(Map.of("tiergate.ledger.max-tokens-per-event", "0")))
                .hasMessageContaining("tiergate.ledger.max-tokens-per-event must be > 0, was 0");
    }

    @Test
    void aValueOfTheWrongTypeFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(Map.of("tiergate.ledger.max-limit-usd", "a lot")))
                .hasMessageContaining("tiergate.ledger.max-limit-usd must be a number, was \"a lot\"");
    }
}
