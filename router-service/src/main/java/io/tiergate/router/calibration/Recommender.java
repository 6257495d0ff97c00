package io.tiergate.router.calibration;

import io.tiergate.router.calibration.Recommendation.Decision;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RouteRule;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * From calibration to routing-table changes (docs/calibration.md, "Recommendations"):
 *
 * <ul>
 *   <li>UP: a type served locally whose local model's agreement with the reference has a Wilson 95%
 *       <em>upper</em> bound below {@code minAgreement}, over at least {@code minSamples} samples
 *       (confident it is too low) → a CLOUD rule on the cloud model the local rule escalates to (its
 *       first fallback; the catalogue's cheapest cloud model when it names none).
 *   <li>DOWN: a type served in the cloud whose local model's agreement has a 95% <em>lower</em> bound
 *       at or above {@code minAgreement}, over at least {@code minSamples} samples (confident the cloud
 *       adds nothing) → a LOCAL rule on the local model, escalating to the cloud rule's models. Shadow
 *       samples are taken of locally served requests only, so a type in the cloud normally has no
 *       samples and is never moved down: no evidence, no proposal.
 *   <li>Otherwise nothing; the reason is reported.
 * </ul>
 *
 * Cost change = what the look-back's moved attempts would have cost on the new tier minus what they
 * cost: UP prices the local attempts' recorded tokens on the target cloud model; DOWN prices the
 * cloud attempts at the average recorded local cost per local attempt. Quality change = the share of
 * those answers expected to change agreement with the reference, ± from the interval.
 */
public final class Recommender {

    private final ModelCatalog catalog;
    private final CostCalculator calculator;
    private final double minAgreement;
    private final long minSamples;

    public Recommender(ModelCatalog catalog, double minAgreement, long minSamples) {
        if (!(minAgreement > 0.0 && minAgreement <= 1.0)) {
            throw new IllegalArgumentException("min agreement must be in (0, 1], was " + minAgreement);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("min samples must be at least 1, was " + minSamples);
        }
        this.catalog = catalog;
        this.calculator = new CostCalculator(catalog.prices());
        this.minAgreement = minAgreement;
        this.minSamples = minSamples;
    }

    /**
     * One recommendation per task type of {@code table}, in its order.
     *
     * @param table the rules in force (defaults and overrides)
     * @param localModel the table's local model (whose calibration a DOWN move needs)
     * @param stats routing.calibration's latest value per key ({@code TASKTYPE|localModel})
     * @param traffic the recorded traffic per type over the look-back
     * @param now stamp of the proposed rules
     */
    public List<Recommendation> recommend(
            Map<TaskType, RouteRule> table,
            String localModel,
            Map<String, CalibrationStat> stats,
            Map<TaskType, TaskTraffic> traffic,
            Instant now) {
        BigDecimal localCostPerAttempt = averageLocalCostPerAttempt(traffic);
        List<Recommendation> out = new ArrayList<>();
        for (Map.Entry<TaskType, RouteRule> entry : table.entrySet()) {
            RouteRule rule = entry.getValue();
            String calibrated = rule.local() ? rule.model() : localModel;
            CalibrationStat stat = stats.get(entry.getKey().name() + "|" + calibrated);
            TaskTraffic recorded = traffic.getOrDefault(entry.getKey(), empty(entry.getKey()));
            out.add(assess(rule, calibrated, stat, recorded, localCostPerAttempt, now));
        }
        return out;
    }

    private Recommendation assess(
            RouteRule rule,
            String calibrated,
            CalibrationStat stat,
            TaskTraffic traffic,
            BigDecimal localCostPerAttempt,
            Instant now) {
        if (stat == null || stat.getSamples() == 0) {
            return keep(
                    rule,
                    null,
                    Decision.NO_SAMPLES,
                    rule.local()
                            ? "no calibration samples of " + calibrated + " yet"
                            : "served in the cloud: no samples of " + calibrated + " on it, so no evidence to move"
                                    + " it down");
        }
        String agreement = String.format(
                Locale.ROOT,
                "agreement %.1f%% (95%% CI %.1f%%..%.1f%%) over %d samples",
                100 * stat.getAgreementRate(),
                100 * stat.getLower95(),
                100 * stat.getUpper95(),
                stat.getSamples());
        if (stat.getSamples() < minSamples) {
            return keep(rule, stat, Decision.UNDECIDED, agreement + ": fewer than " + minSamples + " samples");
        }
        if (rule.local() && stat.getUpper95() < minAgreement) {
            ModelPrice target = rule.fallbackModels().isEmpty()
                    ? catalog.cheapestCloud()
                    : catalog.require(rule.fallbackModels().get(0));
            List<String> fallbacks = rule.fallbackModels().stream()
                    .filter(id -> !id.equals(target.id()))
                    .toList();
            BigDecimal asCloud = calculator
                    .cloud(
                            target,
                            TokenUsage.of(traffic.localInputTokens(), traffic.localOutputTokens()),
                            Optional.empty())
                    .totalUsd();
            return new Recommendation(
                    rule.taskType(),
                    Decision.UP,
                    rule,
                    rule(rule.taskType(), Tier.CLOUD, target.id(), fallbacks, now),
                    stat.getSamples(),
                    stat.getAgreementRate(),
                    stat.getLower95(),
                    stat.getUpper95(),
                    stat.getSampleCostUsd(),
                    traffic.localAttempts(),
                    Money.usd(asCloud.subtract(traffic.localCostUsd())),
                    1 - stat.getAgreementRate(),
                    1 - stat.getUpper95(),
                    1 - stat.getLower95(),
                    stat.getRecentSamples(),
                    stat.getRecentAgreed(),
                    agreement + ": upper bound below the minimum " + percent(minAgreement) + "; move to "
                            + target.id());
        }
        if (!rule.local() && stat.getLower95() >= minAgreement) {
            List<String> fallbacks = new ArrayList<>();
            fallbacks.add(rule.model());
            rule.fallbackModels().stream()
                    .filter(id -> !fallbacks.contains(id))
                    .limit(RuleValidator.MAX_FALLBACKS - 1L)
                    .forEach(fallbacks::add);
            BigDecimal asLocal = Money.usd(localCostPerAttempt.multiply(BigDecimal.valueOf(traffic.cloudAttempts())));
            return new Recommendation(
                    rule.taskType(),
                    Decision.DOWN,
                    rule,
                    rule(rule.taskType(), Tier.LOCAL, calibrated, fallbacks, now),
                    stat.getSamples(),
                    stat.getAgreementRate(),
                    stat.getLower95(),
                    stat.getUpper95(),
                    stat.getSampleCostUsd(),
                    traffic.cloudAttempts(),
                    Money.usd(asLocal.subtract(traffic.cloudCostUsd())),
                    -(1 - stat.getAgreementRate()),
                    -(1 - stat.getLower95()),
                    -(1 - stat.getUpper95()),
                    stat.getRecentSamples(),
                    stat.getRecentAgreed(),
                    agreement + ": lower bound at or above the minimum " + percent(minAgreement) + "; serve on "
                            + calibrated);
        }
        boolean straddles = stat.getLower95() < minAgreement && stat.getUpper95() >= minAgreement;
        return keep(
                rule,
                stat,
                straddles ? Decision.UNDECIDED : Decision.KEEP,
                agreement
                        + (straddles
                                ? ": the interval contains the minimum " + percent(minAgreement)
                                        + "; more samples needed"
                                : rule.local()
                                        ? ": at or above the minimum " + percent(minAgreement)
                                        : ": the cloud rule stays"));
    }

    private static Recommendation keep(RouteRule rule, CalibrationStat stat, Decision decision, String why) {
        return new Recommendation(
                rule.taskType(),
                decision,
                rule,
                null,
                stat == null ? 0 : stat.getSamples(),
                stat == null ? Double.NaN : stat.getAgreementRate(),
                stat == null ? 0.0 : stat.getLower95(),
                stat == null ? 1.0 : stat.getUpper95(),
                stat == null ? Money.ZERO : stat.getSampleCostUsd(),
                0,
                Money.ZERO,
                0.0,
                0.0,
                0.0,
                stat == null ? 0 : stat.getRecentSamples(),
                stat == null ? 0 : stat.getRecentAgreed(),
                why);
    }

    private static RoutingRule rule(TaskType type, Tier tier, String model, List<String> fallbacks, Instant now) {
        return RoutingRule.newBuilder()
                .setTaskType(type.name())
                .setTier(tier)
                .setModel(model)
                .setFallbackModels(List.copyOf(fallbacks))
                .setLocalComplexityThreshold(null)
                .setUpdatedAt(now)
                .build();
    }

    /** What one local attempt cost on average over the look-back (all types); zero without local traffic. */
    static BigDecimal averageLocalCostPerAttempt(Map<TaskType, TaskTraffic> traffic) {
        long attempts = 0;
        BigDecimal cost = Money.ZERO;
        for (TaskTraffic t : traffic.values()) {
            attempts += t.localAttempts();
            cost = cost.add(t.localCostUsd());
        }
        return attempts == 0
                ? Money.ZERO
                : cost.divide(BigDecimal.valueOf(attempts), Money.SCALE, RoundingMode.HALF_EVEN);
    }

    private static TaskTraffic empty(TaskType type) {
        return new TaskTraffic(type, 0, 0, Money.ZERO, 0, 0, 0, Money.ZERO, null, null);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }
}
