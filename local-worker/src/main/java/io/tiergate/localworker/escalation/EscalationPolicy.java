package io.tiergate.localworker.escalation;

import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.policy.SovereigntyRule;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.runtime.BudgetBoard;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * When local work goes to the cloud tier instead (the policy order of docs/architecture.md, applied
 * at the worker):
 *
 * <ol>
 *   <li><b>Sovereignty</b>: a request that requires data sovereignty, carries sensitive data, or was
 *       routed as sovereign never leaves the machine: it waits, or fails with a clear error.
 *   <li><b>Budget</b>: no new cloud spend when the request's cost center or the global budget is
 *       EXHAUSTED (or UNKNOWN, read as the most restrictive level); at CRITICAL_ONLY only
 *       CODE_REVIEW, DEBUGGING and ARCHITECTURE may use the cloud.
 *   <li>Otherwise escalate, to the first cloud model among the decision's fallbacks, else to the
 *       configured default cloud model; the reason says what went wrong locally.
 * </ol>
 * Quality escalation happens once: a request that already arrived as an escalation is not handed on again.
 */
public final class EscalationPolicy {

    /** What the local machine is short of. */
    public enum Shortage {
        QUEUE_FULL("LOCAL_QUEUE_FULL"),
        CIRCUIT_OPEN("LOCAL_CIRCUIT_OPEN");

        private final String code;

        Shortage(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private static final Set<TaskType> CRITICAL =
            EnumSet.of(TaskType.CODE_REVIEW, TaskType.DEBUGGING, TaskType.ARCHITECTURE);

    private final PriceTable prices;
    private final String defaultCloudModel;
    private final BudgetBoard budgets;

    /**
     * @param budgets the budget levels the ledger reports ({@code budget.status}, kept current by the
     *     worker runtime's {@code BudgetStatusFollower}); a scope without a status has no budget
     */
    public EscalationPolicy(PriceTable prices, String defaultCloudModel, BudgetBoard budgets) {
        ModelPrice fallback = prices.require(defaultCloudModel);
        if (fallback.tier() != Tier.CLOUD) {
            throw new IllegalArgumentException(
                    "tiergate.local-worker.default-cloud-model must be a cloud model of the price table, was "
                            + defaultCloudModel);
        }
        this.prices = prices;
        this.defaultCloudModel = defaultCloudModel;
        this.budgets = budgets;
    }

    /**
     * requiresDataSovereignty, sensitive data found by the classifier, or a sovereign routing decision:
     * the shared {@link SovereigntyRule#isSovereign(RoutedRequest)}.
     */
    public static boolean sovereign(RoutedRequest request) {
        return SovereigntyRule.isSovereign(request);
    }

    /** The local machine has no room (queue full) or its circuit is open. */
    public Verdict onShortage(RoutedRequest request, Shortage shortage, String detail) {
        return escalateUnlessBlocked(request, shortage.code() + ": " + detail);
    }

    /** The local model call failed with {@code errorCode} (e.g. LOCAL_MODEL_NOT_FOUND). */
    public Verdict onLocalFailure(RoutedRequest request, String errorCode, String message) {
        return escalateUnlessBlocked(request, errorCode + ": " + message);
    }

    /** The local answer failed its check (not JSON, not one of the labels). */
    public Verdict onQualityFailure(RoutedRequest request, String problem) {
        if (request.getEscalationReason() != null) {
            return new Verdict.StayLocal("QUALITY: " + problem + "; not escalated again (already an escalation: "
                    + request.getEscalationReason() + ")");
        }
        return escalateUnlessBlocked(request, "QUALITY: " + problem);
    }

    private Verdict escalateUnlessBlocked(RoutedRequest request, String reason) {
        Optional<String> sovereign = SovereigntyRule.why(request);
        if (sovereign.isPresent()) {
            // the reason in the result says which flag keeps it here, never the bare word "sovereign"
            return new Verdict.StayLocal(
                    reason + "; stays on this machine, never sent to a cloud model: " + sovereign.get());
        }
        Optional<String> blocked = budgetBlock(request);
        if (blocked.isPresent()) {
            return new Verdict.StayLocal(reason + "; not escalated: " + blocked.get());
        }
        ModelPrice target = cloudModelFor(request);
        return new Verdict.Escalate(target.id(), target.capabilityClass(), reason);
    }

    /** Why the budget forbids cloud spend for this request, if it does. */
    public Optional<String> budgetBlock(RoutedRequest request) {
        TaskType type = request.getDecision().getTaskType();
        String costCenter = request.getClassified().getRequest().getCostCenter();
        for (String scope : new String[] {costCenter, Topics.GLOBAL_SCOPE}) {
            Optional<BudgetLevel> level = budgets.levelOf(scope);
            if (level.isEmpty()) {
                continue;
            }
            switch (level.get()) {
                case EXHAUSTED, UNKNOWN -> {
                    return Optional.of("budget " + scope + " is " + level.get());
                }
                case CRITICAL_ONLY -> {
                    if (!CRITICAL.contains(type)) {
                        return Optional.of("budget " + scope + " is CRITICAL_ONLY and " + type + " is not critical");
                    }
                }
                default -> {
                    // NORMAL, CONSERVE: local work overflowing to the cloud is allowed
                }
            }
        }
        return Optional.empty();
    }

    /** The first cloud model among the decision's fallbacks that the price table knows, else the default. */
    public ModelPrice cloudModelFor(RoutedRequest request) {
        for (String id : request.getDecision().getFallbackModels()) {
            Optional<ModelPrice> m = prices.model(id);
            if (m.isPresent() && m.get().tier() == Tier.CLOUD) {
                return m.get();
            }
        }
        return prices.require(defaultCloudModel);
    }
}
