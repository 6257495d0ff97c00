package io.tiergate.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.cli.demo.PipelineTracker.RequestState;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.MinimumCapability;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The numbers of one demo run, computed from what the tracker saw: completeness (lost, duplicated,
 * deferred), where requests went, what they cost against an all-frontier baseline, how well they
 * were served, budget behaviour and routing latency. Money is summed exactly.
 */
public final class DemoReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One sent request: its workload line and request id. */
    public record Sent(WorkloadItem item, String requestId, long sentAtMs) {}

    private DemoReport() {}

    public static ObjectNode compute(
            List<Sent> sent,
            Map<String, RequestState> states,
            PipelineTracker.Snapshot snapshot,
            CostCalculator costs,
            Optional<BigDecimal> ledgerTotalUsd,
            BigDecimal budgetUsd,
            WarmUp.Result warmUp) {
        int completed = 0;
        int lost = 0;
        int deferred = 0;
        int duplicated = 0;
        int judged = 0;
        int servedWell = 0;
        BigDecimal total = Money.ZERO;
        BigDecimal baseline = Money.ZERO;
        Map<String, Integer> byTier = new TreeMap<>();
        Map<String, Integer> byRule = new TreeMap<>();
        Map<String, ObjectNode> byType = new TreeMap<>();
        Map<String, String> backends = new TreeMap<>();
        List<Long> routingLatencies = new ArrayList<>();
        ModelPrice frontier = costs.prices().strongestCloudModel();
        for (Sent s : sent) {
            RequestState state = states.get(s.requestId());
            if (state == null || (state.results.isEmpty() && !state.deferred)) {
                lost++;
                continue;
            }
            total = total.add(state.cost());
            if (state.routedAtMs >= 0) {
                routingLatencies.add(state.routedAtMs - s.sentAtMs());
            }
            if (state.results.isEmpty()) {
                deferred++;
                continue;
            }
            completed++;
            if (state.results.size() > 1) {
                duplicated++;
            }
            InferenceResult result = state.results.get(0);
            String tier = result.getTier().name();
            byTier.merge(tier, 1, Integer::sum);
            byRule.merge(state.rule == null ? "NOT_ROUTED" : state.rule, 1, Integer::sum);
            backends.merge(
                    tier,
                    result.getSimulated() ? "simulated:" + result.getProvider() : result.getProvider(),
                    DemoReport::joinDistinct);
            TaskType type = s.item().expectedTaskType().orElse(result.getTaskType());
            ObjectNode t = byType.computeIfAbsent(
                    type.name(), k -> JSON.createObjectNode().put("requests", 0));
            t.put("requests", t.get("requests").asInt() + 1);
            t.put(tier, t.path(tier).asInt(0) + 1);
            if (result.getStatus() == io.tiergate.schemas.events.ResultStatus.COMPLETED) {
                judged++;
                if (MinimumCapability.servedWell(type, result.getCapabilityClass())) {
                    servedWell++;
                }
            }
            long input = state.classified != null
                    ? state.classified.getClassification().getEstimatedInputTokens()
                    : result.getInputTokens();
            long output = result.getOutputTokens() > 0
                    ? result.getOutputTokens()
                    : costs.prices().expectedOutputTokens(type);
            baseline = baseline.add(costs.cloud(frontier, TokenUsage.of(input, output), Optional.empty())
                    .totalUsd());
        }
        ObjectNode report = JSON.createObjectNode();
        report.put("requests", sent.size());
        report.put("completed", completed);
        report.put("lost", lost);
        report.put("deferred", deferred);
        report.put("duplicated", duplicated);
        report.set("byTier", JSON.valueToTree(byTier));
        report.set("byTaskType", JSON.valueToTree(byType));
        report.set("byRoutingRule", JSON.valueToTree(byRule));
        report.put("totalCostUsd", Money.usd(total).toPlainString());
        report.put("baselineAllFrontierCostUsd", Money.usd(baseline).toPlainString());
        report.put("baselineModel", frontier.id());
        report.put(
                "costReductionPct",
                baseline.signum() == 0
                        ? 0.0
                        : BigDecimal.ONE
                                .subtract(total.divide(baseline, 12, RoundingMode.HALF_EVEN))
                                .movePointRight(2)
                                .setScale(2, RoundingMode.HALF_EVEN)
                                .doubleValue());
        report.put("servedAtOrAboveMinimumTierPct", judged == 0 ? 0.0 : round2(100.0 * servedWell / judged));
        ArrayNode levels = report.putArray("budgetLevelsSeen");
        snapshot.levelsSeen().forEach(l -> levels.add(l.name()));
        report.put("budgetUsd", Money.usd(budgetUsd).toPlainString());
        report.put("budgetOvershootUsd", overshoot(snapshot.statusByScope()).toPlainString());
        Collections.sort(routingLatencies);
        ObjectNode latency = report.putObject("routingLatencyMs");
        latency.put("p50", percentile(routingLatencies, 50));
        latency.put("p99", percentile(routingLatencies, 99));
        latency.put("samples", routingLatencies.size());
        report.set("backends", JSON.valueToTree(backends));
        report.put("sovereignOnCloud", snapshot.sovereignOnCloud());
        // the ledger counts the warm-up's (local) costs too
        BigDecimal countedTotal = Money.usd(total.add(warmUp.costUsd()));
        ledgerTotalUsd.ifPresentOrElse(
                l -> report.put("ledgerTotalUsd", Money.usd(l).toPlainString()),
                () -> report.putNull("ledgerTotalUsd"));
        report.put(
                "ledgerMatches",
                ledgerTotalUsd.map(l -> Money.usd(l).equals(countedTotal)).orElse(false));
        report.set("warmUp", warmUp.toJson());
        return report;
    }

    /** Spend over limit, summed over the scopes' daily and monthly budgets; zero when within. */
    static BigDecimal overshoot(Map<String, BudgetStatus> statusByScope) {
        BigDecimal over = Money.ZERO;
        for (BudgetStatus s : statusByScope.values()) {
            over = over.add(excess(s.getDailySpendUsd(), s.getDailyLimitUsd()));
            over = over.add(excess(s.getMonthlySpendUsd(), s.getMonthlyLimitUsd()));
        }
        return Money.usd(over);
    }

    private static BigDecimal excess(BigDecimal spend, BigDecimal limit) {
        if (limit == null || spend == null) {
            return BigDecimal.ZERO;
        }
        return spend.subtract(limit).max(BigDecimal.ZERO);
    }

    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    private static String joinDistinct(String a, String b) {
        return a.contains(b) ? a : a + "," + b;
    }
}
