package io.tiergate.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.TaskType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    private static WorkloadItem line(int n, boolean sovereign) {
        return new WorkloadItem(
                n,
                "prompt " + n,
                "team-" + n,
                sovereign,
                Optional.of(1000L + n),
                Optional.empty(),
                Optional.of(TaskType.EXTRACTION),
                Optional.of(false));
    }

    private static final List<WorkloadItem> WORKLOAD =
            IntStream.rangeClosed(1, 10).mapToObj(n -> line(n, n % 3 == 0)).toList();

    @Test
    void everyWarmUpRequestIsSovereignOnItsOwnCostCenterWithThePromptAndLabelsItCameWith() {
        for (int i = 0; i < 25; i++) {
            WorkloadItem warm = WarmUp.item(WORKLOAD, i);
            WorkloadItem source = WORKLOAD.get(warm.line() - 1);
            assertThat(warm.requiresDataSovereignty()).isTrue();
            assertThat(warm.costCenter()).isEqualTo(WarmUp.COST_CENTER);
            assertThat(warm.prompt()).isEqualTo(source.prompt());
            assertThat(warm.latencyBudgetMs()).isEqualTo(source.latencyBudgetMs());
            assertThat(warm.expectedTaskType()).isEqualTo(source.expectedTaskType());
        }
    }

    @Test
    void theWarmUpReadsTheWorkloadFromItsEndSoTheRunsFirstPromptsComeLast() {
        assertThat(IntStream.range(0, 4).mapToObj(i -> WarmUp.item(WORKLOAD, i).line()))
                .containsExactly(10, 9, 8, 7);
        // a warm-up longer than the workload cycles, like the run
        assertThat(WarmUp.item(WORKLOAD, 10).line()).isEqualTo(10);
        assertThat(WarmUp.item(WORKLOAD, 19).line()).isEqualTo(1);
    }

    @Test
    void noWarmUpAddsNothing() {
        assertThat(WarmUp.Result.NONE.costUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(WarmUp.Result.NONE.toJson().get("requests").asInt()).isZero();
    }
}
