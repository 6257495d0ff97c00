package io.tiergate.cli.whatif;

import io.tiergate.router.policy.BudgetView;
import io.tiergate.router.policy.Decision;
import io.tiergate.router.policy.LocalCapacity;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RoutingPolicy;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.MinimumCapability;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.policy.BudgetLevelRule;
import io.tiergate.schemas.results.RequestAttributes;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What-if replay (docs/calibration.md, "What-if replay"): recorded requests decided again, offline,
 * by the router's own {@link RoutingPolicy} under another task table and budget, and priced with the
 * workers' {@link CostCalculator}. In decision order, each request is decided with its recorded
 * classification, at its recorded decision time, with the local capacity its recorded decision saw
 * ({@link RecordedCapacity}) and a budget that is either the level its recorded decision saw
 * ({@link RecordedLevel}) or the replay's own spend against another limit ({@link ReplayedBudgets}).
 * Its replayed cost:
 *
 * <ul>
 *   <li>the same outcome as recorded (same action and tier, and for a routed request the same model):
 *       exactly its recorded cost events, every attempt (retries, fallbacks, escalations, calibration);
 *   <li>routed elsewhere: one call of the new model for the tokens the request really used (its last
 *       successful serving attempt's input and output), priced by the price table for a cloud model
 *       and by local TCO for the time the local model's speed profile needs for them; a request no
 *       model ever ran for (deferred or rejected in the recording) uses the classifier's input
 *       estimate and the output length the router's estimate assumes;
 *   <li>deferred or rejected: nothing (a deferred request is released after the window, when the
 *       budget allows).
 * </ul>
 *
 * With the table and budgets of the recording every decision comes out as recorded and the replayed
 * cost equals the recorded cost to the nano-dollar: the check that the replay is faithful.
 */
public final class Replay {

    /** How many points the budget-level series has at most. */
    static final int LEVEL_SERIES_POINTS = 10;

    private final RoutingPolicy policy;
    private final CostCalculator costs;

    public Replay(ModelCatalog catalog, CostCalculator costs) {
        this.policy = new RoutingPolicy(catalog);
        this.costs = costs;
    }

    /** The budget a replayed decision sees, and what it learns from the decision. */
    public interface Budgets {
        BudgetView before(RecordedRequest request);

        /** The replayed request spent {@code cloudUsd} on cloud calls. */
        void after(RecordedRequest request, Decision replayed, BigDecimal cloudUsd);

        /**
         * Budgets unchanged: each decision sees the level its recorded decision saw, and the
         * onExhausted the recorded decision applied (else its cost center's configured one, else the
         * global one's).
         */
        static Budgets asRecorded(Map<String, BudgetConfig> configs) {
            return new Budgets() {
                @Override
                public BudgetView before(RecordedRequest request) {
                    return new RecordedLevel(
                            request.decision().getBudgetLevel(), onExhausted(request.decision(), configs));
                }

                @Override
                public void after(RecordedRequest request, Decision replayed, BigDecimal cloudUsd) {}
            };
        }

        /** Another global daily limit: levels from the replay's own cloud spend ({@link ReplayedBudgets}). */
        static Budgets withGlobalDailyLimit(Map<String, BudgetConfig> configs, BigDecimal limitUsd) {
            ReplayedBudgets budgets = new ReplayedBudgets(configs, limitUsd);
            return new Budgets() {
                @Override
                public BudgetView before(RecordedRequest request) {
                    budgets.at(request.decidedAt());
                    return budgets;
                }

                @Override
                public void after(RecordedRequest request, Decision replayed, BigDecimal cloudUsd) {
                    budgets.spent(request.classified().getRequest().getCostCenter(), cloudUsd);
                }
            };
        }
    }

    /**
     * One request, as recorded and as replayed: {@code taskType} is the classified type the table routes
     * by, {@code trueTaskType} the type its minimum tier is judged by. {@code *ServedWell} is null when
     * the side served nothing.
     */
    public record Row(
            String requestId,
            Instant createdAt,
            Instant decidedAt,
            String costCenter,
            TaskType taskType,
            TaskType trueTaskType,
            RoutingAction recordedAction,
            Tier recordedTier,
            String recordedModel,
            BudgetLevel recordedLevel,
            BigDecimal recordedCostUsd,
            Boolean recordedServedWell,
            RoutingAction replayedAction,
            Tier replayedTier,
            String replayedModel,
            BudgetLevel replayedLevel,
            BigDecimal replayedCostUsd,
            BigDecimal replayedCloudCostUsd,
            Boolean replayedServedWell,
            String replayedRule,
            boolean sameOutcome) {}

    /** Totals of one side (recorded or replayed). */
    public record Totals(
            BigDecimal costUsd,
            int cloud,
            int local,
            int deferred,
            int rejected,
            int servedWell,
            int served,
            List<BudgetLevel> levelSeries) {

        /** Share of the served requests whose model's class is at or above their type's minimum, in %. */
        public double atOrAboveMinimumTierPct() {
            return served == 0 ? 0.0 : Math.round(10_000.0 * servedWell / served) / 100.0;
        }
    }

    /** The outcome: per-request rows in decision order, and both sides' totals. */
    public record Result(List<Row> rows, Totals recorded, Totals replayed, int changedDecisions) {}

    /** Replays {@code requests} (any order; decided in recorded decision order) under {@code table} and {@code budgets}. */
    public Result run(List<RecordedRequest> requests, RoutingTable table, Budgets budgets) {
        List<RecordedRequest> ordered = new ArrayList<>(requests);
        ordered.sort(Comparator.comparing(RecordedRequest::decidedAt).thenComparing(RecordedRequest::requestId));
        List<Row> rows = new ArrayList<>(ordered.size());
        for (RecordedRequest r : ordered) {
            rows.add(replay(r, table, budgets));
        }
        return new Result(rows, totals(rows, true), totals(rows, false), (int)
                rows.stream().filter(r -> !r.sameOutcome()).count());
    }

    private Row replay(RecordedRequest r, RoutingTable table, Budgets budgets) {
        BudgetView view = budgets.before(r);
        LocalCapacity capacity = RecordedCapacity.of(r.decision());
        Decision d = policy.decide(r.classified(), table, view, capacity, r.decidedAt());
        RoutingDecision recorded = r.decision();
        boolean same = sameOutcome(recorded, d);
        BigDecimal cost;
        BigDecimal cloudCost;
        if (same) {
            cost = r.recordedCostUsd();
            cloudCost = r.recordedCloudCostUsd();
        } else if (d.action() != RoutingAction.ROUTE) {
            cost = Money.ZERO;
            cloudCost = Money.ZERO;
        } else {
            cost = price(d, r);
            cloudCost = d.tier() == Tier.CLOUD ? cost : Money.ZERO;
        }
        budgets.after(r, d, cloudCost);
        TaskType type = trueType(r.classified());
        InferenceResult result = r.result();
        Boolean recordedWell = result != null && result.getStatus() == ResultStatus.COMPLETED
                ? MinimumCapability.servedWell(type, result.getCapabilityClass())
                : null;
        Boolean replayedWell;
        if (same) {
            replayedWell = recordedWell;
        } else {
            replayedWell = d.action() == RoutingAction.ROUTE ? MinimumCapability.servedWell(type, classOf(d)) : null;
        }
        return new Row(
                r.requestId(),
                r.createdAt(),
                r.decidedAt(),
                r.classified().getRequest().getCostCenter(),
                d.taskType(),
                type,
                recorded.getAction(),
                recorded.getTier(),
                recorded.getModel(),
                recorded.getBudgetLevel(),
                r.recordedCostUsd(),
                recordedWell,
                d.action(),
                d.tier(),
                d.model(),
                d.budgetLevel(),
                Money.usd(cost),
                Money.usd(cloudCost),
                replayedWell,
                d.rule().name(),
                same);
    }

    /** Same action and tier, and for a routed request the same model (a deferral names the model it would have used). */
    static boolean sameOutcome(RoutingDecision recorded, Decision replayed) {
        if (recorded.getAction() != replayed.action() || recorded.getTier() != replayed.tier()) {
            return false;
        }
        return replayed.action() != RoutingAction.ROUTE || recorded.getModel().equals(replayed.model());
    }

    /** One call of the replayed decision's model for the tokens the request used (or would have). */
    private BigDecimal price(Decision d, RecordedRequest r) {
        ModelPrice model = policy.catalog().require(d.model());
        ClassifiedRequest c = r.classified();
        TokenUsage usage = r.servedTokens()
                .orElseGet(() -> TokenUsage.of(
                        Math.max(0, c.getClassification().getEstimatedInputTokens()),
                        costs.estimatedOutputTokens(
                                model, d.taskType(), c.getRequest().getMaxOutputTokens())));
        if (model.local()) {
            long ms = model.profile().estimatedMillis(usage.totalInput(), usage.output());
            return costs.local(Duration.ofMillis(ms)).totalUsd();
        }
        return costs.cloud(model, usage, Optional.empty()).totalUsd();
    }

    private CapabilityClass classOf(Decision d) {
        return d.capabilityClass() != null
                ? d.capabilityClass()
                : policy.catalog().require(d.model()).capabilityClass();
    }

    /**
     * The request's true task type when the run knew it (the demo passes each labelled line's type as
     * the simulation attribute), else the classifier's: the minimum tier is the truth's.
     */
    static TaskType trueType(ClassifiedRequest c) {
        String truth = c.getRequest().getAttributes() == null
                ? null
                : c.getRequest().getAttributes().get(RequestAttributes.SIMULATION_TASK_TYPE);
        if (truth != null) {
            for (TaskType t : TaskType.values()) {
                if (t.name().equals(truth)) {
                    return t;
                }
            }
        }
        TaskType classified = c.getClassification().getTaskType();
        return classified == null ? TaskType.UNKNOWN : classified;
    }

    /**
     * The onExhausted a recorded decision applied, when its rationale says (the policy writes
     * "onExhausted=X" whenever it applies one); else the cost center's configured policy, else the
     * global budget's, else DEGRADE_LOCAL.
     */
    static OnExhausted onExhausted(RoutingDecision decision, Map<String, BudgetConfig> configs) {
        if (decision.getAction() == RoutingAction.DEFER) {
            return OnExhausted.DEFER;
        }
        if (decision.getAction() == RoutingAction.REJECT) {
            return OnExhausted.REJECT;
        }
        String why = decision.getRationale() == null ? "" : decision.getRationale();
        for (OnExhausted o : OnExhausted.values()) {
            if (why.contains("onExhausted=" + o.name())) {
                return o;
            }
        }
        BudgetConfig own = configs.get(decision.getCostCenter());
        if (own != null) {
            return own.getOnExhausted();
        }
        BudgetConfig global = configs.get(Topics.GLOBAL_SCOPE);
        return global != null ? global.getOnExhausted() : OnExhausted.DEGRADE_LOCAL;
    }

    private static Totals totals(List<Row> rows, boolean recorded) {
        BigDecimal cost = Money.ZERO;
        int cloud = 0;
        int local = 0;
        int deferred = 0;
        int rejected = 0;
        int well = 0;
        int served = 0;
        for (Row r : rows) {
            cost = cost.add(recorded ? r.recordedCostUsd() : r.replayedCostUsd());
            RoutingAction action = recorded ? r.recordedAction() : r.replayedAction();
            Tier tier = recorded ? r.recordedTier() : r.replayedTier();
            switch (action) {
                case ROUTE -> {
                    if (tier == Tier.CLOUD) {
                        cloud++;
                    } else {
                        local++;
                    }
                }
                case DEFER -> deferred++;
                case REJECT -> rejected++;
                default -> {}
            }
            Boolean w = recorded ? r.recordedServedWell() : r.replayedServedWell();
            if (w != null) {
                served++;
                well += w ? 1 : 0;
            }
        }
        return new Totals(Money.usd(cost), cloud, local, deferred, rejected, well, served, levelSeries(rows, recorded));
    }

    /**
     * The most restrictive budget level decisions saw in each of up to {@link #LEVEL_SERIES_POINTS}
     * equal stretches of the window (first to last decision); an empty stretch repeats the last level.
     */
    static List<BudgetLevel> levelSeries(List<Row> rows, boolean recorded) {
        if (rows.isEmpty()) {
            return List.of();
        }
        int points = Math.min(LEVEL_SERIES_POINTS, rows.size());
        long first = rows.get(0).decidedAt().toEpochMilli();
        long span = Math.max(1, rows.get(rows.size() - 1).decidedAt().toEpochMilli() - first + 1);
        BudgetLevel[] worst = new BudgetLevel[points];
        for (Row r : rows) {
            int i = (int) Math.min(points - 1, (r.decidedAt().toEpochMilli() - first) * points / span);
            BudgetLevel level = recorded ? r.recordedLevel() : r.replayedLevel();
            worst[i] =
                    worst[i] == null ? BudgetLevelRule.known(level) : BudgetLevelRule.mostRestrictive(worst[i], level);
        }
        List<BudgetLevel> series = new ArrayList<>(points);
        BudgetLevel last = BudgetLevel.NORMAL;
        for (BudgetLevel l : worst) {
            last = l == null ? last : l;
            series.add(last);
        }
        return List.copyOf(series);
    }
}
