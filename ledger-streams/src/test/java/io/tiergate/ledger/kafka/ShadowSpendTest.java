package io.tiergate.ledger.kafka;

import static io.tiergate.ledger.support.CostEvents.cost;
import static io.tiergate.ledger.support.LedgerDriver.budgetOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.support.LedgerDriver;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shadow spend in the ledger (docs/calibration.md, "Shadow traffic"): the cloud worker bills a shadow call
 * with reason SHADOW to the shadow budget scope, after the request's local attempt. The ledger counts it
 * there and in global — not in the caller's cost center — and the shadow scope's budget reaches its levels
 * on it, which is what caps shadow traffic.
 */
class ShadowSpendTest {

    @Test
    void shadowCallsCountInTheShadowScopeAndGlobalNotTheCallers() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), Instant.parse("2026-12-05T20:00:00Z"))) {
            ledger.budget(budgetOf("shadow", "0.03", "1"));
            ledger.statuses();
            for (int i = 0; i < 3; i++) {
                // the request as served: attempt 1, local, the caller's cost center
                ledger.send(cost("r" + i)
                        .attempt(1)
                        .costCenter("team-a")
                        .taskType(TaskType.EXTRACTION)
                        .tier(Tier.LOCAL)
                        .model("qwen3:8b")
                        .usd("0.000431505")
                        .at("2026-12-05T08:00:0" + i + "Z"));
                // its shadow: attempt 2, the reference model, the shadow scope
                ledger.send(cost("r" + i)
                        .attempt(2)
                        .costCenter("shadow")
                        .taskType(TaskType.EXTRACTION)
                        .tier(Tier.CLOUD)
                        .model("anthropic/claude-sonnet-4.6")
                        .reason(CostReason.SHADOW)
                        .usd("0.008")
                        .at("2026-12-05T08:00:1" + i + "Z"));
            }
            assertThat(ledger.lifetimeSpend("shadow")).isEqualTo(Money.usd("0.024"));
            assertThat(ledger.lifetimeSpend("team-a")).isEqualTo(Money.usd("0.001294515"));
            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.025294515"));
            List<BudgetStatus> statuses = ledger.statuses().stream()
                    .filter(s -> s.getScope().equals("shadow"))
                    .toList();
            assertThat(statuses).isNotEmpty();
            BudgetStatus last = statuses.get(statuses.size() - 1);
            assertThat(last.getDailySpendUsd()).isEqualTo(Money.usd("0.024"));
            assertThat(last.getLevel()).isEqualTo(BudgetLevel.CONSERVE); // 80 % of the shadow cap
        }
    }

    @Test
    void shadowCallsReachCostWindowsAsCalibrationNotRework() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), Instant.parse("2026-12-05T20:00:00Z"))) {
            for (int i = 0; i < 3; i++) {
                ledger.send(cost("r" + i)
                        .attempt(2)
                        .costCenter("shadow")
                        .taskType(TaskType.EXTRACTION)
                        .tier(Tier.CLOUD)
                        .model("anthropic/claude-sonnet-4.6")
                        .reason(CostReason.SHADOW)
                        .usd("0.008")
                        .at("2026-12-05T08:00:1" + i + "Z"));
            }
            // the latest published value of each window (updates come first, the last one wins)
            Map<String, CostWindow> latest = new HashMap<>();
            ledger.windowRecords().forEach(r -> latest.put(r.key, r.value));
            for (String scope : List.of("shadow", Topics.GLOBAL_SCOPE)) {
                CostWindow day =
                        latest.get(scope + "|EXTRACTION|CLOUD|anthropic/claude-sonnet-4.6|DAY|2026-12-05T00:00:00Z");
                assertThat(day).as(scope).isNotNull();
                assertThat(day.getSpendUsd()).isEqualTo(Money.usd("0.024"));
                assertThat(day.getCalibrationSpendUsd()).isEqualTo(Money.usd("0.024"));
                assertThat(day.getReworkSpendUsd()).isEqualTo(Money.ZERO);
            }
        }
    }
}
