package io.tiergate.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.tiergate.router.budget.Staleness;
import io.tiergate.router.budget.Thresholds;
import io.tiergate.router.policy.RequestCostLimits;
import io.tiergate.schemas.events.BudgetLevel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tiergate.router.*} as the service binds it at start, with its application.yml (CLI
 * environment: no router node, no listeners, no broker).
 */
class RouterConfigurationTest {

    private static RouterConfiguration start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("micronaut.health.monitor.enabled", "false"); // a context that lives milliseconds
        try (ApplicationContext context = ApplicationContext.run(all, Environment.CLI)) {
            return context.getBean(RouterConfiguration.class);
        }
    }

    @Test
    void missingPropertiesTakeTheDocumentedDefaults() {
        RouterConfiguration config = start(Map.of());
        assertThat(config).isEqualTo(RouterConfiguration.DEFAULTS);
        assertThat(config.deciderGroupId()).isEqualTo("tiergate-router");
        assertThat(config.deferredGroupId()).isEqualTo("tiergate-router-deferred");
        assertThat(config.reservationTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.budgetStaleness()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.staleBudgetLevel()).isEqualTo("CRITICAL_ONLY");
        assertThat(config.staleness()).isEqualTo(new Staleness(Duration.ofSeconds(60), BudgetLevel.CRITICAL_ONLY));
        assertThat(config.healthStaleness()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.localAverageService()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.deferMinHold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.deferMaxHold()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.deferMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(config.deferMaxBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(config.deferralLimits().requiredRetention()).isEqualTo(Duration.ofDays(32));
        assertThat(config.defaultThresholds()).isEqualTo(new Thresholds(0.8, 0.95));
        assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.maxPollRecords()).isEqualTo(500);
        assertThat(config.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.rulesFile()).isNull();
        assertThat(config.maxOutputTokens()).isEqualTo(128_000);
        assertThat(config.costCeilingFactor()).isEqualByComparingTo("3");
        assertThat(config.requestCostLimits()).isEqualTo(RequestCostLimits.DEFAULT);
        assertThat(config.dedupeWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(config.dedupeMaxIds()).isEqualTo(100_000);
    }

    @Test
    void theRequestCostLimitsAreSetByTheirPropertiesAndCheckedAtStart() {
        RouterConfiguration config = start(
                Map.of("tiergate.router.max-output-tokens", "4096", "tiergate.router.cost-ceiling-factor", "1.5"));
        assertThat(config.requestCostLimits()).isEqualTo(new RequestCostLimits(4096, new java.math.BigDecimal("1.5")));
        assertThatThrownBy(() -> start(Map.of("tiergate.router.max-output-tokens", "0")))
                .hasMessageContaining("tiergate.router.max-output-tokens must be > 0, was 0");
        assertThatThrownBy(() -> start(Map.of("tiergate.router.cost-ceiling-factor", "0.5")))
                .hasMessageContaining("tiergate.router.cost-ceiling-factor must be >= 1, was 0.5");
    }

    @Test
    void aSetPropertyOverridesItsDefaultOnly() {
        RouterConfiguration config = start(
                Map.of("tiergate.router.defer-min-hold", "100ms", "tiergate.router.rules-file", "/etc/rules.json"));
        assertThat(config.deferMinHold()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.rulesFile()).isEqualTo("/etc/rules.json");
        assertThat(config.reservationTimeout()).isEqualTo(RouterConfiguration.DEFAULTS.reservationTimeout());
    }

    @Test
    void anOutOfRangeValueFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(Map.of("tiergate.router.reservation-timeout", "-5s")))
                .hasMessageContaining("tiergate.router.reservation-timeout must be > 0, was -5s");
        assertThatThrownBy(() -> start(Map.of("tiergate.router.default-conserve-threshold", "0.99")))
                .hasMessageContaining(
                        "tiergate.router.default-conserve-threshold must be > 0 and <= tiergate.router.default-critical-threshold (0.95), was 0.99");
        assertThatThrownBy(() -> start(Map.of("tiergate.router.defer-max-hold", "500ms")))
                .hasMessageContaining(
                        "tiergate.router.defer-max-hold must be >= tiergate.router.defer-min-hold (1s), was 500ms");
        assertThatThrownBy(() -> start(Map.of("tiergate.router.defer-max-age", "0s")))
                .hasMessageContaining("tiergate.router.defer-max-age must be > 0, was 0s");
        assertThatThrownBy(() -> start(Map.of("tiergate.router.defer-max-bytes", "-1")))
                .hasMessageContaining("tiergate.router.defer-max-bytes must be > 0, was -1");
    }

    @Test
    void theDeferralBoundsAreSetByTheirProperties() {
        RouterConfiguration config =
                start(Map.of("tiergate.router.defer-max-age", "3d", "tiergate.router.defer-max-bytes", "1048576"));
        assertThat(config.deferralLimits().maxAge()).isEqualTo(Duration.ofDays(3));
        assertThat(config.deferralLimits().maxBytes()).isEqualTo(1_048_576L);
        assertThat(config.deferralLimits().requiredRetention()).isEqualTo(Duration.ofDays(34));
        assertThatThrownBy(() -> start(Map.of("tiergate.router.budget-staleness", "0s")))
                .hasMessageContaining("tiergate.router.budget-staleness must be > 0, was 0s");
        assertThatThrownBy(() -> start(Map.of("tiergate.router.stale-budget-level", "NORMAL")))
                .hasMessageContaining(
                        "tiergate.router.stale-budget-level must be one of CONSERVE, CRITICAL_ONLY, EXHAUSTED, was \"NORMAL\"");
    }

    @Test
    void aValueOfTheWrongTypeFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(Map.of("tiergate.router.budget-staleness", "two seconds")))
                .hasMessageContaining(
                        "tiergate.router.budget-staleness must be a duration (500ms, 30s, 5m, 7d), was \"two seconds\"");
    }
}
