package io.tiergate.router.policy;

import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.policy.SovereigntyRule;
import io.tiergate.schemas.results.RequestAttributes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The routing policy of docs/architecture.md ("Policy order"), first match wins:
 *
 * <ol>
 *   <li><b>SOVEREIGNTY</b> ({@link io.tiergate.schemas.policy.SovereigntyRule}): {@code
 *       requiresDataSovereignty} or sensitive data → local, no cloud
 *       fallback, whatever the table, budget, latency or capacity say;
 *   <li><b>BUDGET</b>: the more restrictive level of the cost center and the global scope (spend +
 *       reservations) constrains everything below it: CONSERVE moves BOILERPLATE/IMPLEMENTATION down
 *       one capability class, CRITICAL_ONLY keeps only CODE_REVIEW/DEBUGGING/ARCHITECTURE on cloud,
 *       EXHAUSTED (or a spend that does not fit the remaining headroom) allows no new cloud spend and
 *       applies the scope's onExhausted (DEGRADE_LOCAL, DEFER, REJECT);
 *       <b>PINNED</b> (docs/architecture.md's 2b): the request names a model of the catalog
 *       ({@code tiergate.requested-model}, the gateway's {@code model}): that model serves, in place
 *       of LATENCY, TASK_TABLE and CAPACITY; the budget constrains it as it constrains them (a pinned
 *       cloud model under EXHAUSTED follows onExhausted);
 *   <li><b>LATENCY</b>: a latency budget below the local estimate (TTFT + queue wait) picks the faster tier;
 *   <li><b>TASK_TABLE</b> (with the local complexity threshold), then <b>CAPACITY</b>: local queue full or
 *       circuit open → overflow to the cloud fallback.
 * </ol>
 *
 * The budget step is applied as a constraint over the outcome of the pin or of steps 3–4, so a lower rule can never
 * undo it (an overloaded local tier does not overflow to cloud when the budget forbids cloud); it is
 * recorded as the firing rule whenever it changed the outcome. Pure: no I/O, no clock, no Kafka.
 */
public final class RoutingPolicy {

    /** Work that docs/architecture.md calls cheap-eligible: moves down a tier under CONSERVE. */
    public static final Set<TaskType> CHEAP_ELIGIBLE = EnumSet.of(TaskType.BOILERPLATE, TaskType.IMPLEMENTATION);

    /** The only types that may use cloud under CRITICAL_ONLY. */
    public static final Set<TaskType> CRITICAL =
            EnumSet.of(TaskType.CODE_REVIEW, TaskType.DEBUGGING, TaskType.ARCHITECTURE);

    private final ModelCatalog catalog;
    private final RequestCostLimits limits;

    /** With the default {@link RequestCostLimits} (the CLI's explanations, tests). */
    public RoutingPolicy(ModelCatalog catalog) {
        this(catalog, RequestCostLimits.DEFAULT);
    }

    public RoutingPolicy(ModelCatalog catalog, RequestCostLimits limits) {
        this.catalog = catalog;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    public RequestCostLimits limits() {
        return limits;
    }

    /** A tentative outcome while the rules are applied. */
    private record Candidate(
            RoutingAction action, Tier tier, ModelPrice model, List<String> chain, RuleName rule, String why) {
        Candidate with(RuleName newRule, String newWhy) {
            return new Candidate(action, tier, model, chain, newRule, newWhy);
        }

        Candidate withChain(List<String> newChain) {
            return new Candidate(action, tier, model, newChain, rule, why);
        }

        boolean sameOutcome(Candidate other) {
            return action == other.action && tier == other.tier && model.id().equals(other.model.id());
        }
    }

    public Decision decide(
            ClassifiedRequest classified, RoutingTable table, BudgetView budgets, LocalCapacity local, Instant now) {
        InferenceRequest request = classified.getRequest();
        Classification classification = classified.getClassification();
        TaskType type = classification.getTaskType() == null ? TaskType.UNKNOWN : classification.getTaskType();
        RouteRule rule = table.rule(type);
        long inputTokens = Math.max(0, classification.getEstimatedInputTokens());
        boolean sovereign = SovereigntyRule.isSovereign(classified);
        String costCenter = request.getCostCenter();
        BudgetView.BudgetState budget = budgets.state(costCenter);
        Optional<ModelPrice> pin = pinned(request);
        // a pinned local model serves the request's local work (sovereign or not)
        ModelPrice localModel = pin.filter(ModelPrice::local).orElseGet(() -> localModelFor(rule, table));

        // 1. Sovereignty: local, always; no cloud fallback, so no escalation can leave the machine either.
        if (sovereign) {
            String why = "SOVEREIGNTY: " + sovereignReason(request, classification) + " → local " + localModel.id()
                    + ", no cloud fallback";
            if (pin.isPresent() && !pin.get().local()) {
                why += "; the requested model " + pin.get().id() + " is a cloud model and is not used";
            }
            if (local.overloaded()) {
                why += "; local tier is overloaded (" + local.summary()
                        + ") but sovereign work never overflows to cloud";
            }
            Candidate c =
                    new Candidate(RoutingAction.ROUTE, Tier.LOCAL, localModel, List.of(), RuleName.SOVEREIGNTY, why);
            return toDecision(classified, type, inputTokens, c, budget.level(), true, null, now);
        }

        Candidate unconstrained;
        boolean cloudRule;
        if (pin.isPresent()) {
            // 2b. Pinned: the client named a model; it replaces latency, table and capacity, never the budget.
            unconstrained = pinnedCandidate(pin.get(), rule, type);
            cloudRule = !pin.get().local();
        } else {
            // 4 (base). The task table, with the local complexity threshold.
            Candidate fromTable = tableCandidate(rule, type, localModel, classification.getComplexity());
            // 3, 4. Latency budget, then capacity, as if no budget applied.
            unconstrained = latencyThenCapacity(fromTable, localModel, request.getLatencyBudgetMs(), local);
            cloudRule = !rule.local();
        }
        // 2. Budget: a constraint that outranks everything below it, a pin included.
        Candidate constrained = applyBudgetLevel(unconstrained, type, budget, localModel, cloudRule);
        BudgetLevel levelSeen = budget.level();
        String blockingScope = constrained.action() == RoutingAction.ROUTE ? null : budget.bindingScope();
        if (constrained.action() == RoutingAction.ROUTE && constrained.tier() == Tier.CLOUD) {
            BigDecimal estimate =
                    catalog.estimate(constrained.model(), type, inputTokens, request.getMaxOutputTokens());
            BudgetView.Admission admission = budgets.admit(costCenter, estimate);
            if (!admission.admitted()) {
                levelSeen = BudgetLevel.EXHAUSTED;
                blockingScope = admission.blockingScope();
                constrained = exhausted(
                        constrained,
                        admission.onExhausted(),
                        admission.blockingScope(),
                        admission.reason(),
                        localModel,
                        cloudRule);
            }
        }
        Candidate result;
        if (!constrained.sameOutcome(unconstrained)) {
            result = constrained.with(
                    RuleName.BUDGET, "BUDGET: " + constrained.why() + ". Without the budget: " + unconstrained.why());
        } else if (!constrained.chain().equals(unconstrained.chain())) {
            result = unconstrained
                    .withChain(constrained.chain())
                    .with(unconstrained.rule(), unconstrained.why() + "; " + constrained.why());
        } else {
            result = unconstrained;
        }
        return toDecision(classified, type, inputTokens, result, levelSeen, false, blockingScope, now);
    }

    /**
     * The model the request pins ({@link RequestAttributes#REQUESTED_MODEL}): a model of the catalog;
     * an alias ({@code tiergate/auto}, {@code tiergate/local}) or an unknown name pins nothing.
     */
    static Optional<ModelPrice> pinned(InferenceRequest request, ModelCatalog catalog) {
        Map<String, String> attributes = request.getAttributes();
        String asked = attributes == null ? null : attributes.get(RequestAttributes.REQUESTED_MODEL);
        return asked == null || asked.isBlank() ? Optional.empty() : catalog.find(asked.strip());
    }

    private Optional<ModelPrice> pinned(InferenceRequest request) {
        return pinned(request, catalog);
    }

    /**
     * The pinned model as it is asked for. A cloud pin keeps the task table's cloud models of its class
     * or below as fallbacks (a pin pins the tier, and never makes a call dearer than the pinned model's
     * class; the result names the model that served); a local pin stays local, with no cloud escalation.
     */
    private Candidate pinnedCandidate(ModelPrice pin, RouteRule rule, TaskType type) {
        if (pin.local()) {
            return new Candidate(
                    RoutingAction.ROUTE,
                    Tier.LOCAL,
                    pin,
                    List.of(),
                    RuleName.PINNED,
                    "PINNED: the client asked for local " + pin.id() + " → local, no cloud escalation");
        }
        List<String> candidates = new ArrayList<>();
        if (!rule.local()) {
            candidates.add(rule.model());
        }
        candidates.addAll(rule.fallbackModels());
        // as a table rule's fallbacks: cloud models never above the pinned model's class
        List<String> chain = new ArrayList<>();
        for (String id : candidates) {
            boolean fits = catalog.find(id)
                    .map(m -> !m.local() && m.capabilityClass().compareTo(pin.capabilityClass()) <= 0)
                    .orElse(false);
            if (fits && !id.equals(pin.id())) {
                chain.add(id);
            }
        }
        return new Candidate(
                RoutingAction.ROUTE,
                Tier.CLOUD,
                pin,
                distinct(chain),
                RuleName.PINNED,
                "PINNED: the client asked for " + describe(pin) + " (the task table would use "
                        + (rule.local() ? "local " + rule.model() : rule.model()) + " for " + type + ")");
    }

    private Candidate tableCandidate(RouteRule rule, TaskType type, ModelPrice localModel, double complexity) {
        if (rule.local()) {
            Double threshold = rule.localComplexityThreshold();
            List<String> chain = rule.fallbackModels();
            if (threshold != null && complexity > threshold && !chain.isEmpty()) {
                ModelPrice cloud = catalog.require(chain.get(0));
                return new Candidate(
                        RoutingAction.ROUTE,
                        Tier.CLOUD,
                        cloud,
                        chain.subList(1, chain.size()),
                        RuleName.TASK_TABLE,
                        "TASK_TABLE: " + type + " is a local type but complexity " + fmt(complexity) + " > threshold "
                                + fmt(threshold) + " → fallback cloud model " + describe(cloud));
            }
            return new Candidate(
                    RoutingAction.ROUTE,
                    Tier.LOCAL,
                    localModel,
                    chain,
                    RuleName.TASK_TABLE,
                    "TASK_TABLE: " + type + " → local " + localModel.id()
                            + (threshold != null
                                    ? " (complexity " + fmt(complexity) + " ≤ threshold " + fmt(threshold) + ")"
                                    : ""));
        }
        ModelPrice cloud = catalog.require(rule.model());
        return new Candidate(
                RoutingAction.ROUTE,
                Tier.CLOUD,
                cloud,
                rule.fallbackModels(),
                RuleName.TASK_TABLE,
                "TASK_TABLE: " + type + " → cloud " + describe(cloud));
    }

    private Candidate latencyThenCapacity(
            Candidate table, ModelPrice localModel, Long latencyBudgetMs, LocalCapacity local) {
        long localEstimate = localEstimateMs(localModel, local);
        if (latencyBudgetMs != null && latencyBudgetMs < localEstimate) {
            Candidate cloud = table.tier() == Tier.CLOUD ? table : escalation(table, RuleName.LATENCY, "");
            long cloudEstimate = cloud.model().profile().ttftMs();
            String head = "LATENCY: latency budget " + latencyBudgetMs + " ms < local estimate " + ms(localEstimate)
                    + " (TTFT " + localModel.profile().ttftMs() + " ms + queue wait " + ms(local.queueWaitMs()) + ")";
            if (cloudEstimate < localEstimate) {
                return new Candidate(
                        RoutingAction.ROUTE,
                        Tier.CLOUD,
                        cloud.model(),
                        cloud.chain(),
                        RuleName.LATENCY,
                        head + "; cloud " + cloud.model().id() + " (TTFT " + cloudEstimate + " ms) is faster");
            }
            List<String> escalateTo = new ArrayList<>();
            if (table.tier() == Tier.CLOUD) {
                escalateTo.add(table.model().id());
            }
            escalateTo.addAll(table.chain());
            return new Candidate(
                    RoutingAction.ROUTE,
                    Tier.LOCAL,
                    localModel,
                    distinct(escalateTo),
                    RuleName.LATENCY,
                    head + "; local is still faster than cloud " + cloud.model().id() + " (TTFT " + cloudEstimate
                            + " ms)");
        }
        if (table.tier() == Tier.LOCAL && local.overloaded()) {
            return escalation(
                    table,
                    RuleName.CAPACITY,
                    "CAPACITY: local tier overloaded (" + local.summary() + ") → overflow to cloud ");
        }
        return table;
    }

    /** The cloud alternative of a local candidate: its first fallback, or the cheapest cloud model. */
    private Candidate escalation(Candidate localCandidate, RuleName rule, String whyPrefix) {
        List<String> chain = localCandidate.chain();
        ModelPrice cloud = chain.isEmpty() ? catalog.cheapestCloud() : catalog.require(chain.get(0));
        List<String> rest = chain.isEmpty() ? List.of() : chain.subList(1, chain.size());
        return new Candidate(RoutingAction.ROUTE, Tier.CLOUD, cloud, rest, rule, whyPrefix + describe(cloud));
    }

    private Candidate applyBudgetLevel(
            Candidate c, TaskType type, BudgetView.BudgetState budget, ModelPrice localModel, boolean cloudRule) {
        BudgetLevel level = budget.level();
        String state = budget.summary();
        switch (level) {
            case NORMAL:
                return c;
            case CONSERVE:
                if (!CHEAP_ELIGIBLE.contains(type)) {
                    return c;
                }
                if (c.tier() == Tier.CLOUD) {
                    ModelPrice down = catalog.oneClassDown(c.model(), c.chain());
                    List<String> chain = downshift(c.chain(), down);
                    if (down == null) {
                        return new Candidate(
                                RoutingAction.ROUTE,
                                Tier.LOCAL,
                                localModel,
                                chain,
                                RuleName.BUDGET,
                                state + ": cheap-eligible " + type + " moves down a tier: " + describe(c.model())
                                        + " → local " + localModel.id());
                    }
                    return new Candidate(
                            RoutingAction.ROUTE,
                            Tier.CLOUD,
                            down,
                            chain,
                            RuleName.BUDGET,
                            state + ": cheap-eligible " + type + " moves down a tier: " + describe(c.model()) + " → "
                                    + describe(down));
                }
                return c.withChain(downshift(c.chain(), null))
                        .with(
                                c.rule(),
                                state + ": " + type + " escalation chain moved down a tier "
                                        + downshift(c.chain(), null));
            case CRITICAL_ONLY:
                if (CRITICAL.contains(type)) {
                    return c;
                }
                if (c.tier() == Tier.CLOUD) {
                    return new Candidate(
                            RoutingAction.ROUTE,
                            Tier.LOCAL,
                            localModel,
                            List.of(),
                            RuleName.BUDGET,
                            state + ": only CODE_REVIEW, DEBUGGING, ARCHITECTURE may use cloud → " + type
                                    + " served by local " + localModel.id());
                }
                return c.withChain(List.of())
                        .with(c.rule(), state + ": cloud escalation removed (only critical types may use cloud)");
            default: // EXHAUSTED; UNKNOWN was mapped to EXHAUSTED by the budget view
                if (c.tier() == Tier.CLOUD) {
                    return exhausted(
                            c,
                            budget.onExhausted(),
                            budget.bindingScope(),
                            state + ": no new cloud spend",
                            localModel,
                            cloudRule);
                }
                return c.withChain(List.of()).with(c.rule(), state + ": cloud escalation removed (no new cloud spend)");
        }
    }

    /**
     * No cloud spend is allowed for {@code cloud}. Work whose rule is a local rule (it was headed for
     * cloud only through its complexity threshold, latency or capacity) is served locally; the
     * scope's onExhausted applies to work whose rule needs cloud.
     */
    private Candidate exhausted(
            Candidate cloud,
            OnExhausted onExhausted,
            String scope,
            String reason,
            ModelPrice localModel,
            boolean cloudRule) {
        if (!cloudRule) {
            return new Candidate(
                    RoutingAction.ROUTE,
                    Tier.LOCAL,
                    localModel,
                    List.of(),
                    RuleName.BUDGET,
                    reason + "; local-tier work → local " + localModel.id() + " instead of "
                            + cloud.model().id());
        }
        OnExhausted policy = onExhausted == null ? OnExhausted.DEGRADE_LOCAL : onExhausted;
        return switch (policy) {
            case DEFER ->
                new Candidate(
                        RoutingAction.DEFER,
                        Tier.NONE,
                        cloud.model(),
                        List.of(),
                        RuleName.BUDGET,
                        reason + "; onExhausted=DEFER for scope '" + scope
                                + "' → held on inference.deferred until the budget is no longer exhausted"
                                + " (would have used " + cloud.model().id() + ")");
            case REJECT ->
                new Candidate(
                        RoutingAction.REJECT,
                        Tier.NONE,
                        cloud.model(),
                        List.of(),
                        RuleName.BUDGET,
                        reason + "; onExhausted=REJECT for scope '" + scope + "' → rejected (would have used "
                                + cloud.model().id() + ")");
            default ->
                new Candidate(
                        RoutingAction.ROUTE,
                        Tier.LOCAL,
                        localModel,
                        List.of(),
                        RuleName.BUDGET,
                        reason + "; onExhausted=DEGRADE_LOCAL for scope '" + scope + "' → local " + localModel.id()
                                + " instead of " + cloud.model().id());
        };
    }

    /** Each fallback one class down (local results dropped), without {@code chosen}. */
    private List<String> downshift(List<String> chain, ModelPrice chosen) {
        List<String> out = new ArrayList<>();
        for (String id : chain) {
            ModelPrice down = catalog.oneClassDown(catalog.require(id), List.of());
            if (down != null && (chosen == null || !down.id().equals(chosen.id())) && !out.contains(down.id())) {
                out.add(down.id());
            }
        }
        return List.copyOf(out);
    }

    private Decision toDecision(
            ClassifiedRequest classified,
            TaskType type,
            long inputTokens,
            Candidate c,
            BudgetLevel level,
            boolean sovereign,
            String blockingScope,
            Instant now) {
        if (sovereign && (c.tier() != Tier.LOCAL || !c.chain().isEmpty())) {
            // cannot happen by construction; the publisher guards the cloud topic as well
            throw new IllegalStateException(
                    "Sovereign request " + classified.getRequest().getRequestId() + " routed off the local tier");
        }
        Integer maxOutputTokens = classified.getRequest().getMaxOutputTokens();
        return new Decision(
                classified.getRequest().getRequestId(),
                classified.getRequest().getCostCenter(),
                type,
                c.action(),
                c.tier(),
                c.model().id(),
                c.model().capabilityClass(),
                c.chain(),
                catalog.estimate(c.model(), type, inputTokens, maxOutputTokens),
                level,
                c.rule(),
                c.why(),
                sovereign,
                blockingScope,
                now,
                c.action() == RoutingAction.ROUTE ? costCeiling(c, inputTokens, maxOutputTokens) : null);
    }

    /**
     * The request's USD ceiling (docs/budgets.md, "The cost of one request"): the configured factor ×
     * the worst case of the most expensive call the decision permits — its model, or one of the
     * fallback (cloud decision) or escalation (local decision) models it carries.
     */
    private BigDecimal costCeiling(Candidate c, long inputTokens, Integer maxOutputTokens) {
        BigDecimal worst = catalog.worstCase(c.model(), inputTokens, maxOutputTokens);
        for (String id : c.chain()) {
            BigDecimal fallback = catalog.worstCase(catalog.require(id), inputTokens, maxOutputTokens);
            if (fallback.compareTo(worst) > 0) {
                worst = fallback;
            }
        }
        return Money.usd(worst.multiply(limits.costCeilingFactor()));
    }

    private ModelPrice localModelFor(RouteRule rule, RoutingTable table) {
        return catalog.require(rule.local() ? rule.model() : table.localModel());
    }

    static long localEstimateMs(ModelPrice localModel, LocalCapacity local) {
        if (local.circuitOpen() || local.queueWaitMs() == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return localModel.profile().ttftMs() + local.queueWaitMs();
    }

    private static String sovereignReason(InferenceRequest request, Classification classification) {
        List<String> why = new ArrayList<>();
        if (request.getRequiresDataSovereignty()) {
            why.add("request requires data sovereignty");
        }
        if (classification.getContainsSensitiveData()) {
            List<String> kinds = classification.getSensitiveKinds();
            why.add("sensitive data detected" + (kinds == null || kinds.isEmpty() ? "" : " " + kinds));
        }
        return String.join(" and ", why);
    }

    private static List<String> distinct(List<String> ids) {
        return ids.stream().distinct().toList();
    }

    private static String describe(ModelPrice m) {
        return m.id() + " (" + m.capabilityClass() + ")";
    }

    private static String ms(long value) {
        return value == Long.MAX_VALUE ? "∞ (no local worker available)" : value + " ms";
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
