package io.tiergate.router.budget;

import io.tiergate.schemas.events.BudgetLevel;
import java.math.BigDecimal;
import java.math.MathContext;

/** The level arithmetic of DESIGN.md "Budgets and throttling", in exact decimals. */
public final class BudgetLevels {

  private BudgetLevels() {}

  /** UNKNOWN (a level this router does not know yet) counts as the most restrictive known level. */
  public static BudgetLevel known(BudgetLevel level) {
    return level == null || level == BudgetLevel.UNKNOWN ? BudgetLevel.EXHAUSTED : level;
  }

  /** The more restrictive of two levels. */
  public static BudgetLevel restrictive(BudgetLevel a, BudgetLevel b) {
    BudgetLevel ka = known(a);
    BudgetLevel kb = known(b);
    return ka.ordinal() >= kb.ordinal() ? ka : kb;
  }

  /** NORMAL below conserve, CONSERVE from it, CRITICAL_ONLY from critical, EXHAUSTED from 100%. */
  public static BudgetLevel fromUtilization(BigDecimal committedUsd, BigDecimal limitUsd, Thresholds thresholds) {
    if (limitUsd.signum() <= 0) {
      return BudgetLevel.EXHAUSTED;
    }
    if (committedUsd.compareTo(limitUsd) >= 0) {
      return BudgetLevel.EXHAUSTED;
    }
    BigDecimal utilization = committedUsd.divide(limitUsd, MathContext.DECIMAL64);
    if (utilization.compareTo(BigDecimal.valueOf(thresholds.critical())) >= 0) {
      return BudgetLevel.CRITICAL_ONLY;
    }
    if (utilization.compareTo(BigDecimal.valueOf(thresholds.conserve())) >= 0) {
      return BudgetLevel.CONSERVE;
    }
    return BudgetLevel.NORMAL;
  }

  /** A value for the per-scope level gauge: 0 NORMAL, 1 CONSERVE, 2 CRITICAL_ONLY, 3 EXHAUSTED. */
  public static int gaugeValue(BudgetLevel level) {
    return known(level).ordinal();
  }
}
