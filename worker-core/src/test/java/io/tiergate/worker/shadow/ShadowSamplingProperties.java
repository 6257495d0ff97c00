package io.tiergate.worker.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.policy.SovereigntyRule;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.work.Output;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import io.tiergate.worker.work.WorkOutcome;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The shadow invariant (docs/calibration.md, "Shadow traffic"): no sovereign or sensitive request is
 * ever shadowed. Over generated locally served requests — every combination of the three sovereignty
 * flags, every task type, arbitrary ids — with every task type shadowed at fraction 1, so a sampler or
 * handler that ignored a flag would shadow that request. QuickTheories with a fixed seed, as the
 * schemas' sovereignty property.
 */
class ShadowSamplingProperties {

    private static final long SEED = Long.getLong("tiergate.qt.seed", 0x5AAD0L);
    private static final WorkEnvironment LOCAL = WorkEnvironment.of(Tier.LOCAL, "lw-1", Fixtures.PRICER);

    record Case(String id, TaskType type, boolean requires, boolean sensitive, boolean decided) {}

    private static Gen<Case> cases() {
        Gen<String> ids = strings().basicLatinAlphabet().ofLengthBetween(1, 24);
        Gen<TaskType> types =
                integers().between(0, TaskType.values().length - 1).map(i -> TaskType.values()[i]);
        return ids.zip(
                types,
                booleans().all(),
                booleans().all(),
                booleans().all(),
                (id, t, r, s, d) -> new Case(id, t, r, s, d));
    }

    private static ShadowPlan everything() {
        Map<TaskType, Double> all = new EnumMap<>(TaskType.class);
        for (TaskType t : TaskType.values()) {
            all.put(t, 1.0);
        }
        return new ShadowPlan(
                new ShadowSampler(all), "anthropic/claude-sonnet-4.6", Map.of(), "shadow", Topics.INFERENCE_SHADOW);
    }

    private static RoutedRequest request(Case c) {
        return Fixtures.routed(
                c.id(), c.type(), Tier.LOCAL, "qwen3:8b", List.of(), c.requires(), c.sensitive(), c.decided());
    }

    @Test
    void noSovereignOrSensitiveRequestIsEverShadowed() {
        ShadowPlan plan = everything();
        ShadowingHandler handler = new ShadowingHandler(
                work -> {
                    work.recordAnswered("qwen3:8b", answer(), null);
                    return work.complete();
                },
                plan,
                new SimpleMeterRegistry());
        AtomicInteger sovereign = new AtomicInteger();
        AtomicInteger shadowed = new AtomicInteger();
        qt().withFixedSeed(SEED).withExamples(4_000).forAll(cases()).checkAssert(c -> {
            RoutedRequest request = request(c);
            boolean isSovereign = c.requires() || c.sensitive() || c.decided();
            assertThat(SovereigntyRule.isSovereign(request)).isEqualTo(isSovereign);
            assertThat(plan.sampler().sampled(request)).as("sampled %s", c).isEqualTo(!isSovereign);
            WorkOutcome outcome;
            try {
                outcome = handler.handle(new Work(request, LOCAL));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.COMPLETED);
            List<Output<?>> onShadowTopic = outcome.outputs().stream()
                    .filter(o -> o.topic().name().equals(Topics.Names.INFERENCE_SHADOW))
                    .toList();
            if (isSovereign) {
                sovereign.incrementAndGet();
                assertThat(onShadowTopic).as("shadow of sovereign %s", c).isEmpty();
            } else {
                shadowed.incrementAndGet();
                assertThat(onShadowTopic).hasSize(1);
                RoutedRequest shadow = (RoutedRequest) onShadowTopic.get(0).value();
                assertThat(SovereigntyRule.isSovereign(shadow)).isFalse();
            }
        });
        // both sides of the property were exercised
        assertThat(sovereign.get()).isGreaterThan(1_000);
        assertThat(shadowed.get()).isGreaterThan(100);
    }

    static ModelResponse answer() {
        return ModelResponse.builder("ollama")
                .output("{\"a\": 1}")
                .usage(TokenUsage.of(100, 20))
                .latency(Duration.ofMillis(300))
                .build();
    }
}
