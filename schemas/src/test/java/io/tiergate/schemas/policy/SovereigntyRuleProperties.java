package io.tiergate.schemas.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.serde.SampleEvents;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The sovereignty predicate the router and the workers share (docs/architecture.md, policy 1): a
 * request is sovereign exactly when one of its three flags says so, whatever else it carries (task
 * type, tier and model of the decision, sensitive kinds, hint, attempt). Generated over every flag
 * combination × the other fields, from one fully populated sample, so a predicate that looked at any
 * other field, or missed a flag, fails.
 *
 * <p>QuickTheories (not jqwik: docs/decisions.md) with a fixed seed; {@code -Dtiergate.qt.seed=<n>}
 * explores other cases locally. The property ends by asserting that every combination was checked.
 */
class SovereigntyRuleProperties {

    private static final long SEED = Long.getLong("tiergate.qt.seed", 0x50_7E2EL);

    /** A routed request with the three flags and the fields that must not matter. */
    record Case(
            boolean requires, boolean sensitive, boolean decided, TaskType type, Tier tier, int kinds, int attempt) {

        RoutedRequest routed() {
            RoutedRequest sample = SampleEvents.routedRequest();
            ClassifiedRequest classified = sample.getClassified();
            InferenceRequest request = InferenceRequest.newBuilder(classified.getRequest())
                    .setRequiresDataSovereignty(requires)
                    .setTaskTypeHint(kinds % 2 == 0 ? null : type.name())
                    .build();
            Classification classification = Classification.newBuilder(classified.getClassification())
                    .setTaskType(type)
                    .setContainsSensitiveData(sensitive)
                    .setSensitiveKinds(List.of("EMAIL", "IBAN", "API_KEY").subList(0, kinds))
                    .build();
            RoutingDecision decision = RoutingDecision.newBuilder(sample.getDecision())
                    .setTaskType(type)
                    .setTier(tier)
                    .setSovereign(decided)
                    .build();
            return RoutedRequest.newBuilder(sample)
                    .setClassified(ClassifiedRequest.newBuilder(classified)
                            .setRequest(request)
                            .setClassification(classification)
                            .build())
                    .setDecision(decision)
                    .setAttempt(attempt)
                    .build();
        }
    }

    record Flags(boolean requires, boolean sensitive, boolean decided, TaskType type) {}

    static Gen<Case> cases() {
        return booleans()
                .all()
                .zip(booleans().all(), booleans().all(), arbitrary().enumValues(TaskType.class), Flags::new)
                .zip(
                        arbitrary().enumValues(Tier.class),
                        integers().between(0, 3),
                        integers().between(1, 4),
                        (f, tier, kinds, attempt) ->
                                new Case(f.requires(), f.sensitive(), f.decided(), f.type(), tier, kinds, attempt));
    }

    @Test
    void aRequestIsSovereignExactlyWhenOneOfItsThreeFlagsSaysSo() {
        Set<List<Boolean>> flagCombinations = new HashSet<>();
        Set<Tier> tiers = new HashSet<>();
        Set<TaskType> types = new HashSet<>();
        int[] sensitiveWithoutKinds = {0};
        qt().withFixedSeed(SEED).withExamples(3_000).forAll(cases()).checkAssert(c -> {
            RoutedRequest routed = c.routed();

            assertThat(SovereigntyRule.isSovereign(routed.getClassified()))
                    .as("before routing: %s", c)
                    .isEqualTo(c.requires() || c.sensitive());
            assertThat(SovereigntyRule.isSovereign(routed))
                    .as("after routing: %s", c)
                    .isEqualTo(c.requires() || c.sensitive() || c.decided());
            // routing can add sovereignty (the decision's flag) but never take it away
            if (SovereigntyRule.isSovereign(routed.getClassified())) {
                assertThat(SovereigntyRule.isSovereign(routed))
                        .as("routing kept it sovereign: %s", c)
                        .isTrue();
            }

            flagCombinations.add(List.of(c.requires(), c.sensitive(), c.decided()));
            tiers.add(c.tier());
            types.add(c.type());
            if (c.sensitive() && c.kinds() == 0) {
                sensitiveWithoutKinds[0]++;
            }
        });
        System.out.printf(
                "SovereigntyRuleProperties: flag combinations %s, tiers %s, %d task types, %d sensitive without kinds (seed %d)%n",
                flagCombinations.size(), tiers, types.size(), sensitiveWithoutKinds[0], SEED);
        assertThat(flagCombinations)
                .as("every combination of the three flags checked")
                .hasSize(8);
        assertThat(tiers).as("decisions on every tier, CLOUD among them").containsExactlyInAnyOrder(Tier.values());
        assertThat(types).as("every task type").hasSize(TaskType.values().length);
        assertThat(sensitiveWithoutKinds[0])
                .as("sensitive data with no kinds named is still sovereign: covered")
                .isPositive();
    }
}
