package io.tiergate.router.route;

import static io.tiergate.router.Fixtures.fixedBudget;
import static io.tiergate.router.Fixtures.normalBudget;
import static io.tiergate.router.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.router.Fixtures;
import io.tiergate.router.policy.Decision;
import io.tiergate.router.policy.LocalCapacity;
import io.tiergate.router.policy.RoutingPolicy;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TierPublisherTest {

    private final RecordingSink recorded = new RecordingSink();
    private final AtomicInteger blocked = new AtomicInteger();
    private final TierPublisher publisher = new TierPublisher(new SovereigntyGuard(recorded, blocked::incrementAndGet));
    private final RoutingPolicy policy = new RoutingPolicy(Fixtures.CATALOG);

    private Decision decide(ClassifiedRequest r, io.tiergate.router.policy.BudgetView budget) {
        return policy.decide(r, Fixtures.rules().current(), budget, LocalCapacity.unknown(), Instant.now());
    }

    @Test
    void aLocalDecisionGoesToTheLocalTierAsAFirstAttemptPlusAudit() {
        ClassifiedRequest r = req().id("l-1").type(TaskType.SUMMARIZATION).build();
        Decision d = decide(r, normalBudget());
        publisher.publish(d, r, 0);
        assertThat(recorded.topics()).containsExactly(Topics.TIER_LOCAL.name(), Topics.ROUTING_DECISIONS.name());
        RoutedRequest routed = (RoutedRequest) recorded.sent().get(0).value();
        assertThat(recorded.sent().get(0).key()).isEqualTo("l-1");
        assertThat(routed.getAttempt()).isEqualTo(1);
        assertThat(routed.getEscalationReason()).isNull();
        assertThat(routed.getPriorCostUsd()).isNull();
        assertThat(routed.getPriorReasons()).isEmpty();
        assertThat(routed.getClassified()).isEqualTo(r);
        assertThat(routed.getDecision().getFallbackModels()).containsExactly(Fixtures.DEEPSEEK);
        RoutingDecision audit = (RoutingDecision) recorded.sent().get(1).value();
        assertThat(audit.getRule()).isEqualTo("TASK_TABLE");
        assertThat(audit.getTier()).isEqualTo(Tier.LOCAL);
    }

    @Test
    void aCloudDecisionGoesToTheCloudTier() {
        ClassifiedRequest r = req().id("c-1").type(TaskType.CODE_REVIEW).build();
        publisher.publish(decide(r, normalBudget()), r, 0);
        assertThat(recorded.topics()).containsExactly(Topics.TIER_CLOUD.name(), Topics.ROUTING_DECISIONS.name());
    }

    @Test
    void aDeferredRequestGoesToTheDeferralTopicWithItsCount() {
        ClassifiedRequest r = req().id("d-1").type(TaskType.CODE_REVIEW).build();
        publisher.publish(decide(r, fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.DEFER)), r, 2);
        assertThat(recorded.topics())
                .containsExactly(Topics.INFERENCE_DEFERRED.name(), Topics.ROUTING_DECISIONS.name());
        assertThat(recorded.sent().get(0).value()).isEqualTo(r);
        assertThat(TierPublisher.deferCount(recorded.sent().get(0).headers().get(TierPublisher.DEFER_COUNT_HEADER)))
                .isEqualTo(3);
    }

    @Test
    void aFirstDeferralRecordsItsTimeAndARedeferralKeepsIt() {
        ClassifiedRequest r = req().id("d-2").type(TaskType.CODE_REVIEW).build();
        Decision d = decide(r, fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.DEFER));
        publisher.publish(d, r, Deferral.NONE);
        publisher.publish(d, r, new Deferral(4, 1_234L));
        var first = recorded.sent().get(0).headers();
        var again = recorded.sent().get(2).headers();
        assertThat(Deferral.of(first.get(Deferral.COUNT_HEADER), first.get(Deferral.FIRST_DEFERRED_AT_HEADER)))
                .isEqualTo(new Deferral(1, d.decidedAt().toEpochMilli()));
        assertThat(Deferral.of(again.get(Deferral.COUNT_HEADER), again.get(Deferral.FIRST_DEFERRED_AT_HEADER)))
                .isEqualTo(new Deferral(5, 1_234L));
    }

    @Test
    void unreadableDeferralHeadersCountAsNeverDeferred() {
        assertThat(Deferral.of(null, null)).isEqualTo(Deferral.NONE);
        assertThat(Deferral.of("x".getBytes(StandardCharsets.UTF_8), "-5".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Deferral.NONE);
        assertThat(Deferral.NONE.firstDeferredAtOr(77)).isEqualTo(77);
    }

    @Test
    void aRejectedRequestGetsAClearResult() {
        ClassifiedRequest r =
                req().id("x-1").costCenter("team-z").type(TaskType.ARCHITECTURE).build();
        publisher.publish(decide(r, fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.REJECT)), r, 0);
        assertThat(recorded.topics()).containsExactly(Topics.INFERENCE_RESULTS.name(), Topics.ROUTING_DECISIONS.name());
        InferenceResult result = (InferenceResult) recorded.sent().get(0).value();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
        assertThat(result.getTier()).isEqualTo(Tier.NONE);
        assertThat(result.getErrorCode()).isEqualTo(DecisionEvents.BUDGET_EXHAUSTED);
        assertThat(result.getErrorMessage())
                .contains("'team-z'")
                .contains("exhausted")
                .contains("REJECT");
        assertThat(result.getTotalCostUsd()).isZero();
        assertThat(result.getProvider()).isEqualTo("router");
    }

    @Test
    void theGuardRefusesASovereignRequestOnTheCloudTopicAndNothingIsSent() {
        for (int flags = 1; flags < 8; flags++) {
            RoutedRequest routed = cloudRouted(
                    req().sovereign((flags & 1) != 0)
                            .sensitive((flags & 2) != 0)
                            .build(),
                    (flags & 4) != 0);
            SovereigntyGuard guard = new SovereigntyGuard(recorded, blocked::incrementAndGet);
            assertThatThrownBy(() -> guard.send(Topics.TIER_CLOUD, "k", routed, java.util.Map.of()))
                    .isInstanceOf(CloudSendRefusedException.class);
        }
        assertThat(recorded.sent()).isEmpty();
        assertThat(blocked.get()).isEqualTo(7);
    }

    @Test
    void theGuardLetsNonSovereignCloudWorkAndSovereignLocalWorkThrough() {
        SovereigntyGuard guard = new SovereigntyGuard(recorded, blocked::incrementAndGet);
        guard.send(Topics.TIER_CLOUD, "k", cloudRouted(req().build(), false), java.util.Map.of());
        guard.send(Topics.TIER_LOCAL, "k", cloudRouted(req().sovereign(true).build(), true), java.util.Map.of());
        assertThat(recorded.sent()).hasSize(2);
        assertThat(blocked.get()).isZero();
    }

    @Test
    void theGuardRefusesAnythingButARoutedRequestOnTheCloudTopic() {
        SovereigntyGuard guard = new SovereigntyGuard(recorded, blocked::incrementAndGet);
        @SuppressWarnings({"unchecked", "rawtypes"})
        io.tiergate.schemas.topics.Topic<ClassifiedRequest> cloudAsClassified =
                (io.tiergate.schemas.topics.Topic) Topics.TIER_CLOUD;
        assertThatThrownBy(() -> guard.send(cloudAsClassified, "k", req().build(), java.util.Map.of()))
                .isInstanceOf(CloudSendRefusedException.class);
    }

    /** A hand-made cloud record, as a buggy policy might produce it. */
    static RoutedRequest cloudRouted(ClassifiedRequest r, boolean decisionSovereign) {
        RoutingDecision d = RoutingDecision.newBuilder()
                .setRequestId(r.getRequest().getRequestId())
                .setCostCenter(r.getRequest().getCostCenter())
                .setTaskType(r.getClassification().getTaskType())
                .setAction(io.tiergate.schemas.events.RoutingAction.ROUTE)
                .setTier(Tier.CLOUD)
                .setModel(Fixtures.SONNET)
                .setCapabilityClass(io.tiergate.schemas.events.CapabilityClass.STRONG)
                .setFallbackModels(List.of())
                .setEstimatedCostUsd(io.tiergate.schemas.money.Money.ZERO)
                .setBudgetLevel(BudgetLevel.NORMAL)
                .setRule("TASK_TABLE")
                .setRationale("hand-made")
                .setSovereign(decisionSovereign)
                .setDecidedAt(Instant.now())
                .build();
        return DecisionEvents.routed(r, d);
    }
}
