package io.tiergate.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.work.BudgetAdmission.Refusal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BudgetBoardTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final BudgetBoard board = new BudgetBoard(clock, Duration.ofHours(1));

    static BudgetStatus status(String scope, String spend, String limit, Map<String, Long> counted) {
        return BudgetStatus.newBuilder()
                .setScope(scope)
                .setLevel(BudgetLevel.NORMAL)
                .setOnExhausted(OnExhausted.DEFER)
                .setDailySpendUsd(Money.usd(spend))
                .setDailyLimitUsd(limit == null ? null : Money.usd(limit))
                .setMonthlySpendUsd(Money.usd(spend))
                .setUtilization(0)
                .setBurnRateUsdPerHour(Money.ZERO)
                .setPeriodDayStart(T0)
                .setPeriodMonthStart(T0)
                .setUpdatedAt(T0)
                .setCountedCostOffsets(counted)
                .build();
    }

    static CostEvent cost(String requestId, int attempt, String costCenter, Tier tier, String usd) {
        return CostEvent.newBuilder()
                .setRequestId(requestId)
                .setAttempt(attempt)
                .setCostCenter(costCenter)
                .setTaskType(TaskType.IMPLEMENTATION)
                .setTier(tier)
                .setModel("anthropic/claude-haiku-4.5")
                .setProvider("openrouter")
                .setSimulated(false)
                .setReason(CostReason.RETRY)
                .setSuccess(true)
                .setInputTokens(1)
                .setOutputTokens(1)
                .setCostUsd(Money.usd(usd))
                .setBreakdown(Fixtures.PRICER
                        .priceWorstCase("anthropic/claude-haiku-4.5", 1, 1, Duration.ofSeconds(1))
                        .breakdown())
                .setLatencyMs(1)
                .setOccurredAt(T0)
                .build();
    }

    static AttemptStarted started(String requestId, int attempt, String costCenter, Tier tier, String worstUsd) {
        return AttemptStarted.newBuilder()
                .setRequestId(requestId)
                .setAttempt(attempt)
                .setSourceTopic(Topics.TIER_CLOUD.name())
                .setSourcePartition(0)
                .setSourceOffset(7)
                .setWorkerId("cw-1")
                .setStartedAt(T0)
                .setWorstCase(CostEvent.newBuilder(cost(requestId, attempt, costCenter, tier, worstUsd))
                        .setInDoubt(true)
                        .setSuccess(false)
                        .build())
                .build();
    }

    @Test
    void aScopeWithoutAStatusHasNoBudgetAndAdmitsAnything() {
        assertThat(board.refusal("team-a", Money.usd("1000"))).isEmpty();
        assertThat(board.levelOf("team-a")).isEmpty();
    }

    @Test
    void aCallFitsWhenSpendPlusWhatThisWorkerHoldsPlusItsWorstCaseIsWithinTheLimit() {
        board.status("team-a", status("team-a", "0.90", "1", Map.of()));
        board.started(started("r1", 1, "team-a", Tier.CLOUD, "0.06"));
        // 0.90 + 0.06 + 0.04 = 1.00: fits exactly; a nano-dollar more does not
        assertThat(board.refusal("team-a", Money.usd("0.04"))).isEmpty();
        assertThat(board.refusal("team-a", Money.usd("0.040000001")))
                .contains(new Refusal(
                        "team-a",
                        OnExhausted.DEFER,
                        "budget 'team-a' has no daily headroom for $0.040000001: spent $0.90 + held $0.06 of $1.00"));
    }

    @Test
    void theGlobalBudgetCountsTheCallsOfEveryCostCenterAndRefusesWhenTheCostCenterWouldNot() {
        board.status(Topics.GLOBAL_SCOPE, status(Topics.GLOBAL_SCOPE, "0.5", "1", Map.of()));
        board.status("team-a", status("team-a", "0", "10", Map.of()));
        board.started(started("r1", 1, "team-b", Tier.CLOUD, "0.45"));
        assertThat(board.held("team-a")).isEqualTo(Money.ZERO);
        assertThat(board.held(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.45"));
        assertThat(board.refusal("team-a", Money.usd("0.06")))
                .map(Refusal::scope)
                .contains(Topics.GLOBAL_SCOPE);
        assertThat(board.refusal("team-a", Money.usd("0.05"))).isEmpty();
    }

    @Test
    void aCommittedCallIsHeldAtItsRealCostUntilBothStatusesCoverItsOffset() {
        board.status("team-a", status("team-a", "0", "1", Map.of("2", 10L)));
        board.status(Topics.GLOBAL_SCOPE, status(Topics.GLOBAL_SCOPE, "0", "1", Map.of("2", 10L)));
        board.started(started("r1", 2, "team-a", Tier.CLOUD, "0.30"));
        assertThat(board.held("team-a")).isEqualTo(Money.usd("0.30"));

        board.committed(cost("r1", 2, "team-a", Tier.CLOUD, "0.12"), 2, 15);
        assertThat(board.held("team-a")).isEqualTo(Money.usd("0.12"));
        // the cost center's status covers offset 15, global's not yet: still held
        board.status("team-a", status("team-a", "0.12", "1", Map.of("2", 16L)));
        assertThat(board.held("team-a")).isEqualTo(Money.usd("0.12"));
        // a status of another partition covers nothing
        board.status(Topics.GLOBAL_SCOPE, status(Topics.GLOBAL_SCOPE, "0.12", "1", Map.of("1", 99L)));
        assertThat(board.heldCount()).isEqualTo(1);
        board.status(Topics.GLOBAL_SCOPE, status(Topics.GLOBAL_SCOPE, "0.12", "1", Map.of("1", 99L, "2", 16L)));
        assertThat(board.heldCount()).isZero();
    }

    @Test
    void aCallThatReturnedIsHeldAtItsRealCostUntilItsCostEventIsCovered() {
        board.status("team-a", status("team-a", "0", "1", Map.of()));
        board.started(started("r1", 1, "team-a", Tier.CLOUD, "0.30"));
        board.finished("r1", 1, Money.ZERO);
        assertThat(board.held("team-a")).isEqualTo(Money.ZERO);
        assertThat(board.heldCount()).isEqualTo(1);
        board.finished("r-unknown", 1, Money.usd("5")); // not a call of this worker: nothing to update
        assertThat(board.heldCount()).isEqualTo(1);
    }

    @Test
    void aCostEventWithoutAnAttemptHeldHereIsHeldToo() {
        // an in-doubt settlement of a call another worker started
        board.status("team-a", status("team-a", "0", "1", Map.of()));
        board.committed(cost("r9", 1, "team-a", Tier.CLOUD, "0.2"), 0, 3);
        assertThat(board.held("team-a")).isEqualTo(Money.usd("0.2"));
    }

    @Test
    void localCallsAreNotHeldTheBudgetCountsCloudSpend() {
        board.started(started("r1", 1, "team-a", Tier.LOCAL, "0.30"));
        board.committed(cost("r1", 1, "team-a", Tier.LOCAL, "0.01"), 0, 1);
        assertThat(board.heldCount()).isZero();
    }

    @Test
    void anAttemptNeverCommittedHereStopsBeingHeldAfterMaxHold() {
        board.started(started("r1", 1, "team-a", Tier.CLOUD, "0.30"));
        now.set(T0.plus(Duration.ofMinutes(59)));
        assertThat(board.heldCount()).isEqualTo(1);
        now.set(T0.plus(Duration.ofMinutes(61)));
        assertThat(board.heldCount()).isZero();
    }

    @Test
    void aTombstoneRemovesTheBudget() {
        board.status("team-a", status("team-a", "5", "1", Map.of()));
        assertThat(board.refusal("team-a", Money.usd("0.01"))).isPresent();
        board.status("team-a", null);
        assertThat(board.refusal("team-a", Money.usd("0.01"))).isEmpty();
    }
}
