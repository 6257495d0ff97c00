package io.tiergate.gateway.pending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.gateway.chat.Outcome;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.results.Rejections;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class PendingCallsTest {

    private static RoutingDecision decision(String id, RoutingAction action) {
        return RoutingDecision.newBuilder()
                .setRequestId(id)
                .setCostCenter("cc")
                .setTaskType(TaskType.CONVERSATION)
                .setAction(action)
                .setTier(Tier.NONE)
                .setModel("m")
                .setEstimatedCostUsd(Money.ZERO)
                .setBudgetLevel(BudgetLevel.EXHAUSTED)
                .setRule("BUDGET")
                .setRationale("r")
                .setSovereign(false)
                .setDecidedAt(Instant.EPOCH)
                .build();
    }

    @Test
    void aResultAnswersItsCallWithTheDecisionSeenBeforeAndForgetsIt() throws Exception {
        PendingCalls calls = new PendingCalls(10);
        CompletableFuture<Outcome> call = calls.register("r1", 60_000).orElseThrow();
        assertThat(calls.waitingFor("r1")).isTrue();
        assertThat(calls.waitingFor("r2")).isFalse();
        calls.onDecision(decision("r1", RoutingAction.ROUTE));
        assertThat(call).isNotDone();
        calls.onResult(
                Rejections.rejected("r1", "cc", TaskType.CONVERSATION, "router", "X", "m", "r", 0, Instant.EPOCH));
        Outcome o = call.get();
        assertThat(o.result()).isPresent();
        assertThat(o.decision()).map(RoutingDecision::getRule).contains("BUDGET");
        assertThat(calls.size()).isZero();
        assertThat(calls.waitingFor("r1")).isFalse();
    }

    @Test
    void aDeferralAnswersAtOnce() throws Exception {
        PendingCalls calls = new PendingCalls(10);
        CompletableFuture<Outcome> call = calls.register("r1", 60_000).orElseThrow();
        calls.onDecision(decision("r1", RoutingAction.DEFER));
        assertThat(call.get().result()).isEmpty();
        assertThat(calls.size()).isZero();
    }

    @Test
    void aCallIsForgottenWhenItTimesOutOrIsCancelledAndTheBoundHolds() {
        PendingCalls calls = new PendingCalls(2);
        CompletableFuture<Outcome> slow = calls.register("slow", 50).orElseThrow();
        CompletableFuture<Outcome> left = calls.register("left", 60_000).orElseThrow();
        assertThat(calls.register("third", 60_000)).as("beyond max-pending").isEmpty();

        left.cancel(false);
        assertThat(calls.waitingFor("left")).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(slow::isDone);
        assertThat(slow)
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
        assertThat(calls.size()).isZero();
        assertThat(calls.register("fourth", 60_000)).isPresent();
    }

    @Test
    void resultsOfOtherInstancesCallsAreIgnored() {
        PendingCalls calls = new PendingCalls(2);
        calls.onResult(
                Rejections.rejected("other", "cc", TaskType.CONVERSATION, "router", "X", "m", "r", 0, Instant.EPOCH));
        calls.onDecision(decision("other", RoutingAction.DEFER));
        assertThat(calls.size()).isZero();
    }
}
