package io.tiergate.localworker.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.localworker.escalation.EscalationPolicy.Shortage;
import io.tiergate.localworker.testing.Budgets;
import io.tiergate.localworker.testing.Requests;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.runtime.BudgetBoard;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscalationPolicyTest {

    private final BudgetBoard budgets = Budgets.board();
    private final EscalationPolicy policy =
            new EscalationPolicy(PriceTable.loadDefault(), "anthropic/claude-haiku-4.5", budgets);

    private static RoutedRequest plain(TaskType type) {
        return Requests.local("r-1", type).build();
    }

    @Test
    void fullQueueEscalatesNonSovereignWorkToTheDefaultCloudModelWithTheReason() {
        Verdict v = policy.onShortage(plain(TaskType.SUMMARIZATION), Shortage.QUEUE_FULL, "4 waiting, limit 4");

        assertThat(v).isInstanceOfSatisfying(Verdict.Escalate.class, e -> {
            assertThat(e.model()).isEqualTo("anthropic/claude-haiku-4.5");
            assertThat(e.capabilityClass()).isEqualTo(CapabilityClass.STANDARD);
            assertThat(e.reason()).isEqualTo("LOCAL_QUEUE_FULL: 4 waiting, limit 4");
        });
    }

    @Test
    void escalationGoesToTheFirstCloudFallbackOfTheDecision() {
        RoutedRequest r = Requests.local("r-2", TaskType.BOILERPLATE)
                .fallbacks(
                        List.of("qwen3:8b", "no/such-model", "deepseek/deepseek-chat", "anthropic/claude-sonnet-4.6"))
                .build();

        Verdict v = policy.onShortage(r, Shortage.CIRCUIT_OPEN, "5 consecutive failures");

        assertThat(v).isInstanceOfSatisfying(Verdict.Escalate.class, e -> {
            assertThat(e.model()).isEqualTo("deepseek/deepseek-chat");
            assertThat(e.capabilityClass()).isEqualTo(CapabilityClass.CHEAP);
            assertThat(e.reason()).startsWith("LOCAL_CIRCUIT_OPEN");
        });
    }

    @Test
    void qualityFailureEscalatesOnce() {
        Verdict first = policy.onQualityFailure(plain(TaskType.EXTRACTION), "EXTRACTION output is not valid JSON");
        Verdict again = policy.onQualityFailure(
                Requests.local("r-3", TaskType.EXTRACTION)
                        .escalated(2, "QUALITY: earlier")
                        .build(),
                "EXTRACTION output is not valid JSON");

        assertThat(first).isInstanceOf(Verdict.Escalate.class);
        assertThat(first.reason()).isEqualTo("QUALITY: EXTRACTION output is not valid JSON");
        assertThat(again).isInstanceOf(Verdict.StayLocal.class);
        assertThat(again.reason()).contains("not escalated again");
    }

    @Test
    void localFailureEscalatesWithTheErrorCode() {
        assertThat(policy.onLocalFailure(
                                plain(TaskType.CONVERSATION),
                                "LOCAL_MODEL_NOT_FOUND",
                                "HTTP 404: model 'qwen3:8b' not found")
                        .reason())
                .startsWith("LOCAL_MODEL_NOT_FOUND: HTTP 404: model 'qwen3:8b' not found");
    }

    @Test
    void eachSovereigntySignalAloneKeepsTheRequestLocal() {
        List<RoutedRequest> sovereign = List.of(
                Requests.local("s-1", TaskType.EXTRACTION)
                        .requiresSovereignty(true)
                        .build(),
                Requests.local("s-2", TaskType.EXTRACTION).sensitive(true).build(),
                Requests.local("s-3", TaskType.EXTRACTION)
                        .decisionSovereign(true)
                        .build());

        List<String> why = List.of(
                "upstream requires data sovereignty (requiresDataSovereignty)",
                "it contains sensitive data (EMAIL)",
                "the router routed it as sovereign");
        for (int i = 0; i < sovereign.size(); i++) {
            RoutedRequest r = sovereign.get(i);
            assertThat(EscalationPolicy.sovereign(r)).isTrue();
            for (Shortage s : Shortage.values()) {
                Verdict v = policy.onShortage(r, s, "busy");
                assertThat(v).isInstanceOf(Verdict.StayLocal.class);
                assertThat(v.reason()).endsWith("; stays on this machine, never sent to a cloud model: " + why.get(i));
            }
            assertThat(policy.onQualityFailure(r, "not JSON")).isInstanceOf(Verdict.StayLocal.class);
        }
    }

    @Test
    void exhaustedCostCenterBlocksEscalation() {
        Budgets.level(budgets, "team-a", BudgetLevel.EXHAUSTED);

        Verdict v = policy.onShortage(plain(TaskType.SUMMARIZATION), Shortage.QUEUE_FULL, "full");

        assertThat(v).isInstanceOf(Verdict.StayLocal.class);
        assertThat(v.reason()).contains("not escalated: budget team-a is EXHAUSTED");
    }

    @Test
    void exhaustedGlobalBudgetBlocksEscalationForEveryCostCenter() {
        Budgets.level(budgets, "team-a", BudgetLevel.NORMAL);
        Budgets.level(budgets, Topics.GLOBAL_SCOPE, BudgetLevel.EXHAUSTED);

        assertThat(policy.onQualityFailure(plain(TaskType.EXTRACTION), "not JSON")
                        .reason())
                .contains("budget global is EXHAUSTED");
    }

    @Test
    void criticalOnlyBlocksNonCriticalWorkButNotCriticalWork() {
        Budgets.level(budgets, "team-a", BudgetLevel.CRITICAL_ONLY);

        assertThat(policy.onShortage(plain(TaskType.EXTRACTION), Shortage.QUEUE_FULL, "full"))
                .isInstanceOf(Verdict.StayLocal.class);
        assertThat(policy.onShortage(plain(TaskType.DEBUGGING), Shortage.QUEUE_FULL, "full"))
                .isInstanceOf(Verdict.Escalate.class);
    }

    @Test
    void conserveAndNormalAllowEscalationAndATombstoneLiftsABlock() {
        Budgets.level(budgets, "team-a", BudgetLevel.CONSERVE);
        assertThat(policy.budgetBlock(plain(TaskType.EXTRACTION))).isEmpty();

        Budgets.level(budgets, "team-a", BudgetLevel.EXHAUSTED);
        assertThat(policy.budgetBlock(plain(TaskType.EXTRACTION))).isPresent();

        Budgets.remove(budgets, "team-a");
        assertThat(policy.budgetBlock(plain(TaskType.EXTRACTION))).isEmpty();
    }

    @Test
    void unknownLevelIsReadAsTheMostRestrictive() {
        Budgets.level(budgets, "team-a", BudgetLevel.UNKNOWN);

        assertThat(policy.budgetBlock(plain(TaskType.ARCHITECTURE))).isPresent();
    }

    @Test
    void defaultCloudModelMustBeACloudModelOfThePriceTable() {
        assertThatThrownBy(() -> new EscalationPolicy(PriceTable.loadDefault(), "qwen3:8b", budgets))
                .hasMessageContaining("tiergate.local-worker.default-cloud-model");
        assertThatThrownBy(() -> new EscalationPolicy(PriceTable.loadDefault(), "gpt-9", budgets))
                .hasMessageContaining("Unknown model");
    }
}
