package io.tiergate.ledger.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.scope.ScopeInput;
import io.tiergate.ledger.scope.ScopedCost;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.From;
import net.jqwik.api.constraints.Size;

/** Money in = money out, to the nano-dollar, through every aggregate and every binary round trip. */
class MoneyExactnessProperties {

  private static final long NOW = Instant.parse("2026-11-22T20:00:00Z").toEpochMilli();

  @Provide
  Arbitrary<BigDecimal> amounts() {
    // 0 to 99,999.999999999 USD at nano-dollar scale, biased to tiny amounts
    return Arbitraries.longs().between(0, 99_999_999_999_999L).map(nanos -> BigDecimal.valueOf(nanos, Money.SCALE));
  }

  @Property(tries = 300)
  void windowTotalsAndScopeSpendEqualTheExactSum(@ForAll @Size(max = 60) List<@From("amounts") BigDecimal> costs) {
    WindowTotals totals = WindowTotals.empty();
    ScopeSpend spend = new ScopeSpend("s");
    BigDecimal expected = Money.ZERO;
    for (int i = 0; i < costs.size(); i++) {
      ScopedCost cost = new ScopedCost("s", TaskType.CODE_REVIEW, Tier.CLOUD, "m",
          CostReason.values()[i % CostReason.values().length], costs.get(i), 1, 1, 1, NOW - i * 1000L);
      totals = WindowTotals.fromBytes(WindowTotals.toBytes(totals.plus(cost)));
      spend.record(cost.occurredAtMs(), cost.costUsd(), true, NOW, ZoneOffset.UTC);
      ScopedCost roundTripped = (ScopedCost) ScopeInput.fromBytes(ScopeInput.toBytes(cost));
      assertThat(roundTripped).isEqualTo(cost);
      expected = Money.sum(expected, costs.get(i));
    }
    assertThat(totals.spendUsd()).isEqualTo(expected);
    assertThat(Money.sum(totals.reworkUsd(), primaryAndUnknown(costs))).isEqualTo(expected);
    assertThat(spend.lifetimeAllTiers()).isEqualTo(expected);
    assertThat(spend.dayBudgetSpend()).isEqualTo(expected);
    assertThat(totals.requestCount()).isEqualTo(costs.size());
  }

  private static BigDecimal primaryAndUnknown(List<BigDecimal> costs) {
    BigDecimal sum = Money.ZERO;
    for (int i = 0; i < costs.size(); i++) {
      CostReason reason = CostReason.values()[i % CostReason.values().length];
      if (reason == CostReason.PRIMARY || reason == CostReason.UNKNOWN) {
        sum = Money.sum(sum, costs.get(i));
      }
    }
    return sum;
  }
}
