package io.tiergate.worker.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.work.Output;
import io.tiergate.worker.work.SovereigntyViolationException;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import io.tiergate.worker.work.WorkOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowingHandlerTest {

    private static final WorkEnvironment LOCAL = WorkEnvironment.of(Tier.LOCAL, "lw-1", Fixtures.PRICER);
    private static final WorkEnvironment CLOUD = WorkEnvironment.of(Tier.CLOUD, "cw-1", Fixtures.PRICER);
    private static final ShadowPlan EXTRACTION_ONLY = new ShadowPlan(
            new ShadowSampler(Map.of(TaskType.EXTRACTION, 1.0)),
            "anthropic/claude-sonnet-4.6",
            Map.of(TaskType.CLASSIFICATION, "anthropic/claude-haiku-4.5"),
            "shadow",
            Topics.INFERENCE_SHADOW);

    private static ShadowingHandler handler(ShadowPlan plan) {
        return new ShadowingHandler(
                work -> {
                    work.recordAnswered("qwen3:8b", ShadowSamplingProperties.answer(), null);
                    return work.complete();
                },
                plan,
                new SimpleMeterRegistry());
    }

    @Test
    void aSampledRequestKeepsItsResultAndGainsAShadowBilledToTheShadowScopeAfterItsAttempts() throws Exception {
        RoutedRequest served = Fixtures.local("r1", TaskType.EXTRACTION, List.of("anthropic/claude-sonnet-4.6"));
        WorkOutcome plain = handler(ShadowPlan.OFF).handle(new Work(served, LOCAL));
        WorkOutcome outcome = handler(EXTRACTION_ONLY).handle(new Work(served, LOCAL));

        assertThat(plain.extras()).isEmpty();
        assertThat(outcome.result()).isPresent();
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getOutput()).isEqualTo(plain.result().orElseThrow().getOutput());
        assertThat(result.getTotalCostUsd())
                .isEqualTo(plain.result().orElseThrow().getTotalCostUsd());
        assertThat(outcome.extras()).hasSize(1);
        Output<?> extra = outcome.extras().get(0);
        assertThat(extra.topic()).isEqualTo(Topics.INFERENCE_SHADOW);
        RoutedRequest shadow = (RoutedRequest) extra.value();
        assertThat(shadow.getAttempt()).isEqualTo(2); // after the local attempt 1
        assertThat(shadow.getDecision().getModel()).isEqualTo("anthropic/claude-sonnet-4.6");
        assertThat(shadow.getDecision().getTier()).isEqualTo(Tier.CLOUD);
        assertThat(shadow.getDecision().getFallbackModels()).isEmpty();
        assertThat(shadow.getDecision().getCostCeilingUsd()).isNull();
        assertThat(shadow.getClassified().getRequest().getCostCenter()).isEqualTo("shadow");
        assertThat(shadow.getShadow().getCostCenter()).isEqualTo("team-a");
        assertThat(shadow.getShadow().getLocalModel()).isEqualTo("qwen3:8b");
        assertThat(shadow.getShadow().getLocalAnswer()).isEqualTo(result.getOutput());
    }

    @Test
    void anUnsampledTaskTypeIsNotShadowed() throws Exception {
        WorkOutcome outcome = handler(EXTRACTION_ONLY)
                .handle(new Work(Fixtures.local("r2", TaskType.SUMMARIZATION, List.of()), LOCAL));
        assertThat(outcome.extras()).isEmpty();
    }

    @Test
    void workRefusesToShadowASensitiveRequestEvenWhenAskedDirectly() {
        RoutedRequest sensitive =
                Fixtures.routed("r3", TaskType.EXTRACTION, Tier.LOCAL, "qwen3:8b", List.of(), false, true, false);
        Work work = new Work(sensitive, LOCAL);
        work.recordAnswered("qwen3:8b", ShadowSamplingProperties.answer(), null);
        WorkOutcome served = work.complete();
        RoutedRequest shadow = ShadowRequests.of(
                sensitive,
                served.result().orElseThrow(),
                2,
                "anthropic/claude-sonnet-4.6",
                io.tiergate.schemas.events.CapabilityClass.STRONG,
                "shadow",
                LOCAL.clock().instant());
        assertThatThrownBy(() -> work.withShadow(served, Topics.INFERENCE_SHADOW, shadow))
                .isInstanceOf(SovereigntyViolationException.class);
    }

    @Test
    void aShadowRequestNeverEndsInAResultWhateverFinishesIt() throws Exception {
        RoutedRequest served = Fixtures.local("r4", TaskType.EXTRACTION, List.of());
        WorkOutcome outcome = handler(EXTRACTION_ONLY).handle(new Work(served, LOCAL));
        RoutedRequest shadow = (RoutedRequest) outcome.extras().get(0).value();

        Work failed = new Work(shadow, CLOUD);
        assertThat(failed.fail("worker_error", "boom").result()).isEmpty();
        assertThat(new Work(shadow, CLOUD).reject("x", "y").kind()).isEqualTo(WorkOutcome.Kind.ASIDE);
        assertThatThrownBy(() -> new Work(shadow, CLOUD).handOff(Tier.LOCAL, "qwen3:8b", List.of(), "no"))
                .isInstanceOf(IllegalStateException.class);

        Work answered = new Work(shadow, CLOUD);
        answered.recordAnswered("anthropic/claude-sonnet-4.6", ShadowSamplingProperties.answer(), CostReason.SHADOW);
        WorkOutcome aside = answered.finishAside(List.of());
        assertThat(aside.result()).isEmpty();
        assertThat(aside.costEvents()).singleElement().satisfies(cost -> {
            assertThat(cost.getReason()).isEqualTo(CostReason.SHADOW);
            assertThat(cost.getCostCenter()).isEqualTo("shadow");
            assertThat(cost.getAttempt()).isEqualTo(2);
            assertThat(cost.getTier()).isEqualTo(Tier.CLOUD);
        });
        assertThat(aside.outputs())
                .allSatisfy(o -> assertThat(o.topic().name()).isEqualTo(Topics.Names.INFERENCE_COSTS));
    }

    @Test
    void configurationNamesTheBadPropertyAndDefaultsToOff() {
        ShadowPlan plan = ShadowPlan.parse(
                "tiergate.local-worker.shadow",
                Map.of("extraction", "0.25", "code-review", 1),
                "anthropic/claude-sonnet-4.6",
                Map.of("CLASSIFICATION", "anthropic/claude-haiku-4.5"),
                "");
        assertThat(plan.sampler().fraction(TaskType.EXTRACTION)).isEqualTo(0.25);
        assertThat(plan.sampler().fraction(TaskType.CODE_REVIEW)).isEqualTo(1.0);
        assertThat(plan.sampler().fraction(TaskType.SUMMARIZATION)).isZero();
        assertThat(plan.referenceModel(TaskType.CLASSIFICATION)).isEqualTo("anthropic/claude-haiku-4.5");
        assertThat(plan.referenceModel(TaskType.EXTRACTION)).isEqualTo("anthropic/claude-sonnet-4.6");
        assertThat(plan.scope()).isEqualTo(ShadowPlan.DEFAULT_SCOPE);
        assertThat(ShadowPlan.parse("p", Map.of(), "m", Map.of(), null)
                        .sampler()
                        .enabled())
                .isFalse();
        assertThatThrownBy(() -> ShadowPlan.parse("p", Map.of("extraction", "2"), "m", Map.of(), null))
                .hasMessageContaining("p.fractions.extraction");
        assertThatThrownBy(() -> ShadowPlan.parse("p", Map.of("poems", "0.1"), "m", Map.of(), null))
                .hasMessageContaining("not a task type");
        assertThatThrownBy(() -> ShadowPlan.parse("p", Map.of(), "m", Map.of(), "global"))
                .hasMessageContaining("cost center name");
    }

    @Test
    void theDrawIsUniformSoTheFractionIsTheShareShadowed() {
        ShadowSampler tenth = new ShadowSampler(Map.of(TaskType.EXTRACTION, 0.1));
        int sampled = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            sampled += tenth.sampled(Fixtures.local("draw-" + i, TaskType.EXTRACTION, List.of())) ? 1 : 0;
        }
        assertThat(sampled / (double) n).isBetween(0.09, 0.11);
    }
}
