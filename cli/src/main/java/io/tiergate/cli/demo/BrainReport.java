package io.tiergate.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.cli.demo.DemoReport.Sent;
import io.tiergate.cli.demo.PipelineTracker.RequestState;
import io.tiergate.cli.whatif.RecordedLevel;
import io.tiergate.router.policy.Decision;
import io.tiergate.router.policy.LocalCapacity;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RoutingPolicy;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How well the classifier did in a demo run whose workload lines carry labels ({@code label} or
 * {@code expectedTaskType}, and {@code sensitive}), and what its mistakes cost:
 *
 * <ul>
 *   <li>task-type accuracy over the labelled requests, per type (recall), and over the ones the
 *       model decided (no valid hint);
 *   <li>sensitive-data recall and false-positive rate over the lines labelled {@code sensitive};
 *   <li>{@code oracleCostUsd}: what the same requests would have cost had each been routed with its
 *       true labels by the same routing policy code, table and budget level. A request the
 *       classifier got right costs what it really cost. One it got wrong is decided again with the
 *       true labels at the budget level its real decision saw: served by the model that really
 *       answered it, what it really cost; routed to another cloud model, that model's price for the
 *       input tokens and the answer's length (a real backend's answer as long as it really was; a
 *       simulated backend's as long as the simulator makes answers of the true type); routed locally, the mean local cost of this run's local requests;
 *       deferred or rejected, nothing.
 * </ul>
 *
 * Money is summed exactly. The reconstruction assumes the local tier had capacity and the budget
 * admitted the re-decided request (true at a NORMAL budget).
 */
public final class BrainReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RoutingPolicy policy;
    private final RoutingTable table;
    private final CostCalculator costs;

    public BrainReport(ModelCatalog catalog, RoutingTable table, CostCalculator costs) {
        this.policy = new RoutingPolicy(catalog);
        this.table = table;
        this.costs = costs;
    }

    /**
     * Adds {@code classifier} (accuracy, per-type recall, sensitive recall and false positives),
     * {@code oracleCostUsd} and {@code costToOracleRatio} to {@code report}; nothing when no line is
     * labelled.
     */
    public void addTo(ObjectNode report, List<Sent> sent, Map<String, RequestState> states) {
        Map<TaskType, int[]> byType = new EnumMap<>(TaskType.class); // [requests, correct]
        int labelled = 0;
        int correct = 0;
        int modelDecided = 0;
        int modelCorrect = 0;
        int sensitiveLines = 0;
        int sensitiveFound = 0;
        int benignLines = 0;
        int benignFlagged = 0;
        BigDecimal actual = Money.ZERO;
        BigDecimal oracle = Money.ZERO;
        BigDecimal localMean = meanLocalCost(states);
        for (Sent s : sent) {
            RequestState state = states.get(s.requestId());
            if (state == null || state.classified == null) {
                continue;
            }
            Classification c = state.classified.getClassification();
            Optional<TaskType> truth = s.item().expectedTaskType();
            Optional<Boolean> sensitive = s.item().sensitive();
            if (truth.isEmpty() && sensitive.isEmpty()) {
                continue;
            }
            if (truth.isPresent()) {
                labelled++;
                int[] t = byType.computeIfAbsent(truth.get(), k -> new int[2]);
                t[0]++;
                boolean right = c.getTaskType() == truth.get();
                if (right) {
                    correct++;
                    t[1]++;
                }
                if (!c.getHintUsed()) {
                    modelDecided++;
                    modelCorrect += right ? 1 : 0;
                }
            }
            if (sensitive.isPresent()) {
                if (sensitive.get()) {
                    sensitiveLines++;
                    sensitiveFound += c.getContainsSensitiveData() ? 1 : 0;
                } else {
                    benignLines++;
                    benignFlagged += c.getContainsSensitiveData() ? 1 : 0;
                }
            }
            BigDecimal real = state.cost();
            actual = actual.add(real);
            oracle = oracle.add(oracleCost(state, truth, sensitive, real, localMean));
        }
        if (labelled == 0 && sensitiveLines + benignLines == 0) {
            return;
        }
        ObjectNode brain = report.putObject("classifier");
        brain.put("labelled", labelled);
        brain.put("accuracyPct", pct(correct, labelled));
        brain.put("modelDecided", modelDecided);
        brain.put("modelAccuracyPct", pct(modelCorrect, modelDecided));
        ObjectNode types = brain.putObject("recallPctByType");
        byType.forEach((type, n) -> types.put(type.name(), pct(n[1], n[0])));
        brain.put("sensitiveLabelled", sensitiveLines);
        brain.put("sensitiveRecallPct", pct(sensitiveFound, sensitiveLines));
        brain.put("benignLabelled", benignLines);
        brain.put("sensitiveFalsePositivePct", pct(benignFlagged, benignLines));
        report.put("labelledCostUsd", Money.usd(actual).toPlainString());
        report.put("oracleCostUsd", Money.usd(oracle).toPlainString());
        report.put(
                "costToOracleRatio",
                oracle.signum() == 0
                        ? 0.0
                        : actual.divide(oracle, 6, RoundingMode.HALF_EVEN).doubleValue());
    }

    private BigDecimal oracleCost(
            RequestState state,
            Optional<TaskType> truth,
            Optional<Boolean> sensitive,
            BigDecimal real,
            BigDecimal localMean) {
        Classification c = state.classified.getClassification();
        TaskType type = truth.orElse(c.getTaskType());
        boolean isSensitive = sensitive.orElse(c.getContainsSensitiveData());
        if (type == c.getTaskType() && isSensitive == c.getContainsSensitiveData()) {
            return real; // routed as the truth would have been
        }
        ClassifiedRequest asTruth = ClassifiedRequest.newBuilder(state.classified)
                .setClassification(Classification.newBuilder(c)
                        .setTaskType(type)
                        .setContainsSensitiveData(isSensitive)
                        .build())
                .build();
        BudgetLevel level = state.budgetLevel == null ? BudgetLevel.NORMAL : state.budgetLevel;
        Decision d = policy.decide(
                asTruth,
                table,
                new RecordedLevel(level, OnExhausted.DEGRADE_LOCAL),
                LocalCapacity.unknown(),
                Instant.now());
        if (d.toEvent().getAction() != RoutingAction.ROUTE) {
            return Money.ZERO;
        }
        InferenceResult result = state.results.isEmpty() ? null : state.results.get(0);
        if (result != null && result.getModel().equals(d.toEvent().getModel())) {
            return real; // the truth would have been served by the same model
        }
        if (d.toEvent().getTier() == Tier.LOCAL) {
            return localMean;
        }
        // an answer is as long as the request needs, whatever it was typed as (a simulated one too: the
        // demo tells the simulated backend each labelled line's true type), so the truth's model would
        // have written as many tokens as this run's answer has
        long output = result != null && result.getOutputTokens() > 0
                ? result.getOutputTokens()
                : costs.prices().expectedOutputTokens(type);
        return costs.cloud(
                        policy.catalog().require(d.toEvent().getModel()),
                        TokenUsage.of(c.getEstimatedInputTokens(), output),
                        Optional.empty())
                .totalUsd();
    }

    /** Mean cost of this run's requests whose answer came from the local tier. */
    private static BigDecimal meanLocalCost(Map<String, RequestState> states) {
        BigDecimal sum = Money.ZERO;
        int n = 0;
        for (RequestState s : states.values()) {
            if (!s.results.isEmpty() && s.results.get(0).getTier() == Tier.LOCAL) {
                sum = sum.add(s.cost());
                n++;
            }
        }
        return n == 0 ? Money.ZERO : Money.usd(sum.divide(BigDecimal.valueOf(n), 12, RoundingMode.HALF_EVEN));
    }

    private static double pct(int part, int whole) {
        return whole == 0 ? 0.0 : Math.round(10_000.0 * part / whole) / 100.0;
    }
}
