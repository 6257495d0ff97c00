package io.tiergate.localworker.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.localworker.escalation.EscalationPolicy.Shortage;
import io.tiergate.localworker.testing.Budgets;
import io.tiergate.localworker.testing.Requests;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.runtime.BudgetBoard;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Invariants over many generated situations (seeded, so a failure reproduces): whatever the task
 * type, budget levels, fallbacks, shortage, failure or quality problem, a request with any
 * sovereignty signal never gets an Escalate verdict; and no Escalate verdict is given while the
 * request's cost center or the global budget is EXHAUSTED.
 */
class SovereignNeverEscalatesProperties {

    private static final long SEED = 20261122L;
    private static final int CASES = 5_000;
    private static final List<String> MODELS = List.of(
            "qwen3:8b",
            "deepseek/deepseek-chat",
            "anthropic/claude-opus-4.6",
            "unknown/model",
            "anthropic/claude-haiku-4.5");
    /** Error codes of failed local calls, as LocalRequestHandler passes them on (LOCAL_ + the backend's code). */
    private static final List<String> LOCAL_FAILURES = List.of(
            "LOCAL_MODEL_NOT_FOUND",
            "LOCAL_BAD_REQUEST",
            "LOCAL_HTTP_500",
            "LOCAL_TIMEOUT",
            "LOCAL_UNREACHABLE",
            "LOCAL_MALFORMED_RESPONSE");

    @Test
    void sovereignWorkNeverEscalatesAndExhaustedBudgetsNeverPayForEscalation() {
        Random random = new Random(SEED);
        PriceTable prices = PriceTable.loadDefault();
        int escalations = 0;
        for (int i = 0; i < CASES; i++) {
            boolean requires = random.nextInt(4) == 0;
            boolean sensitive = random.nextInt(4) == 0;
            boolean decided = random.nextInt(4) == 0;
            TaskType type = TaskType.values()[random.nextInt(TaskType.values().length)];
            String costCenter = "cc-" + random.nextInt(3);
            RoutedRequest request = Requests.local("p-" + i, type)
                    .costCenter(costCenter)
                    .requiresSovereignty(requires)
                    .sensitive(sensitive)
                    .decisionSovereign(decided)
                    .fallbacks(List.of(
                            MODELS.get(random.nextInt(MODELS.size())), MODELS.get(random.nextInt(MODELS.size()))))
                    .build();
            BudgetBoard budgets = Budgets.board();
            BudgetLevel ccLevel = maybeLevel(random);
            BudgetLevel globalLevel = maybeLevel(random);
            if (ccLevel != null) {
                Budgets.level(budgets, costCenter, ccLevel);
            }
            if (globalLevel != null) {
                Budgets.level(budgets, Topics.GLOBAL_SCOPE, globalLevel);
            }
            EscalationPolicy policy = new EscalationPolicy(prices, "anthropic/claude-haiku-4.5", budgets);

            Verdict verdict = switch (random.nextInt(3)) {
                case 0 -> policy.onShortage(request, Shortage.values()[random.nextInt(2)], "busy");
                case 1 ->
                    policy.onLocalFailure(request, LOCAL_FAILURES.get(random.nextInt(LOCAL_FAILURES.size())), "boom");
                default -> policy.onQualityFailure(request, "not JSON");
            };

            boolean sovereign = requires || sensitive || decided;
            boolean exhausted = ccLevel == BudgetLevel.EXHAUSTED || globalLevel == BudgetLevel.EXHAUSTED;
            if (sovereign || exhausted) {
                assertThat(verdict)
                        .as("case %d: sovereign=%s exhausted=%s", i, sovereign, exhausted)
                        .isInstanceOf(Verdict.StayLocal.class);
            }
            if (verdict instanceof Verdict.Escalate e) {
                escalations++;
                assertThat(prices.require(e.model()).local())
                        .as("case %d escalates to a cloud model", i)
                        .isFalse();
            }
        }
        // the generator must also produce the other side, or the property says nothing
        assertThat(escalations).isGreaterThan(CASES / 10);
    }

    private static BudgetLevel maybeLevel(Random random) {
        int pick = random.nextInt(BudgetLevel.values().length + 1);
        return pick == BudgetLevel.values().length ? null : BudgetLevel.values()[pick];
    }
}
