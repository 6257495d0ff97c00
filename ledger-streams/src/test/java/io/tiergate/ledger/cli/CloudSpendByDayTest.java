package io.tiergate.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The ledger side of {@code costs reconcile}: what counts, and the part billed in doubt. */
class CloudSpendByDayTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void inDoubtCallsCountInTheSpendAndAreShownApart() {
        CloudSpendByDay tally = new CloudSpendByDay("openrouter", null, null, AT.toEpochMilli());

        tally.accept(cost("r1", 1, "0.010000000", false));
        tally.accept(cost("r1", 2, "0.030000000", true));
        tally.accept(cost("r1", 2, "0.030000000", true)); // a copy: counted once
        tally.accept(cost("r2", 1, "0.020000000", true));

        assertThat(tally.spend())
                .containsExactly(new CloudSpendByDay.Spend(
                        LocalDate.of(2026, 11, 22),
                        "anthropic/claude-sonnet-4.6",
                        Money.usd("0.060000000"),
                        30,
                        30,
                        3,
                        Money.usd("0.050000000"),
                        2));
        assertThat(tally.counts().duplicates()).isEqualTo(1);
    }

    private static CostEvent cost(String request, int attempt, String usd, boolean inDoubt) {
        return CostEvent.newBuilder()
                .setRequestId(request)
                .setAttempt(attempt)
                .setCostCenter("team-a")
                .setTaskType(TaskType.CODE_REVIEW)
                .setTier(Tier.CLOUD)
                .setModel("anthropic/claude-sonnet-4.6")
                .setProvider("openrouter")
                .setReason(attempt == 1 ? CostReason.PRIMARY : CostReason.RETRY)
                .setInputTokens(10)
                .setOutputTokens(10)
                .setCostUsd(Money.usd(usd))
                .setBreakdown(CostBreakdown.newBuilder()
                        .setSource(CostSource.PRICE_TABLE)
                        .setInputUsd(Money.usd(usd))
                        .setOutputUsd(Money.ZERO)
                        .setCachedReadUsd(Money.ZERO)
                        .setCacheWriteUsd(Money.ZERO)
                        .setEnergyUsd(Money.ZERO)
                        .setDepreciationUsd(Money.ZERO)
                        .setMaintenanceUsd(Money.ZERO)
                        .build())
                .setLatencyMs(100)
                .setOccurredAt(AT)
                .setInDoubt(inDoubt)
                .build();
    }
}
