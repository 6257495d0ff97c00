package io.tiergate.router.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.tiergate.router.Fixtures;
import io.tiergate.router.route.CloudSendRefusedException;
import io.tiergate.router.route.DecisionEvents;
import io.tiergate.router.route.RecordingSink;
import io.tiergate.router.route.SovereigntyGuard;
import io.tiergate.router.route.TierPublisher;
import io.tiergate.router.rules.InvalidRuleException;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The invariant of docs/architecture.md (policy 1): a sovereign or sensitive request never reaches
 * a cloud topic — over
 * generated requests × budget levels (both scopes, every onExhausted, admission refusals) × rule
 * tables (random valid overrides, and hostile ones that send every type to cloud, including local
 * rules with threshold 0) × local health states. Checked on the decision and on what the publisher
 * actually writes; the publisher-side guard is checked on its own with hand-made cloud records.
 *
 * <p>QuickTheories (not jqwik: docs/decisions.md) with fixed seeds, so CI sees the same cases every
 * run; {@code -Dtiergate.qt.seed=<n>} explores other cases locally. Numbers mix uniform values,
 * small magnitudes and explicit edge values; each property ends with assertions that the generated
 * cases covered what the invariant is about, or it would prove nothing.
 */
class SovereigntyInvariantProperties {

    private static final long SEED = Long.getLong("tiergate.qt.seed", 0x7165_5EEDL);
    private static final int WORLDS = 10_000;
    /** QuickTheories skips a case it has already tried (its first, boundary cases can coincide): ask for a few more. */
    private static final int EXAMPLES = WORLDS + 100;

    private static final List<String> CLOUD_MODELS = Fixtures.PRICES.models().stream()
            .filter(m -> m.tier() == Tier.CLOUD)
            .map(ModelPrice::id)
            .toList();
    private static final RoutingPolicy POLICY = new RoutingPolicy(Fixtures.CATALOG);

    /** One generated world. */
    record World(ClassifiedRequest request, GeneratedBudget budget, LocalCapacity local, Table table) {
        RulesBook rules() {
            return table.book();
        }

        @Override
        public String toString() {
            var q = request.getRequest();
            var c = request.getClassification();
            return "World[" + c.getTaskType() + " sovereign=" + q.getRequiresDataSovereignty() + " sensitive="
                    + c.getContainsSensitiveData() + " complexity=" + c.getComplexity() + " tokens="
                    + c.getEstimatedInputTokens()
                    + " latencyMs=" + q.getLatencyBudgetMs() + " costCenter=" + q.getCostCenter() + ", " + budget + ", "
                    + local
                    + ", " + table + "]";
        }
    }

    /** A rule table: default, hostile, or the defaults with random valid overrides. */
    record Table(String kind, List<RoutingRule> overrides, RulesBook book) {
        @Override
        public String toString() {
            return "Table[" + kind + " overrides="
                    + overrides.stream()
                            .map(SovereigntyInvariantProperties::brief)
                            .toList() + "]";
        }
    }

    @Test
    void sovereignRequestsNeverReachACloudTopic() {
        Tally tally = new Tally();
        qt().withFixedSeed(SEED).withExamples(EXAMPLES).forAll(worlds()).checkAssert(w -> {
            ClassifiedRequest r = w.request();
            boolean sovereign = r.getRequest().getRequiresDataSovereignty()
                    || r.getClassification().getContainsSensitiveData();
            Decision d = POLICY.decide(r, w.rules().current(), w.budget(), w.local(), Instant.EPOCH);
            RecordingSink sink = new RecordingSink();
            new TierPublisher(new SovereigntyGuard(sink, () -> {})).publish(d, r, 0);

            assertThat(d.sovereign()).isEqualTo(sovereign);
            if (sovereign) {
                assertThat(d.action()).isEqualTo(RoutingAction.ROUTE);
                assertThat(d.tier()).isEqualTo(Tier.LOCAL);
                assertThat(d.fallbackModels()).as("no escalation path to cloud").isEmpty();
                assertThat(d.rule()).isEqualTo(RuleName.SOVEREIGNTY);
                assertThat(sink.topics()).doesNotContain(Topics.TIER_CLOUD.name());
            }
            // every decision lands on exactly one destination plus one audit record
            assertThat(sink.topics()).hasSize(2).endsWith(Topics.ROUTING_DECISIONS.name());

            tally.collect("sovereign", sovereign);
            tally.collect("outcome", d.action() + "/" + d.tier());
            if (sovereign && w.table().kind().equals("hostile")) {
                tally.collect("sovereign under a hostile table", d.action() + "/" + d.tier());
            }
            tally.world(w);
        });

        // the generated worlds must cover what the invariant is about, or the property proves nothing
        tally.print("sovereignRequestsNeverReachACloudTopic");
        assertThat(tally.total()).as("distinct worlds checked").isGreaterThanOrEqualTo(WORLDS);
        assertThat(tally.percent("sovereign", true)).isGreaterThan(30);
        assertThat(tally.percent("sovereign", false)).isGreaterThan(20);
        assertThat(tally.percent("table", "hostile")).isGreaterThan(15);
        assertThat(tally.percent("outcome", "ROUTE/CLOUD")).isGreaterThan(2);
        assertThat(tally.percent("outcome", "ROUTE/LOCAL")).isGreaterThan(30);
        assertThat(tally.count("outcome", "DEFER/NONE")).isPositive();
        assertThat(tally.count("outcome", "REJECT/NONE")).isPositive();
        assertThat(tally.count("sovereign under a hostile table", "ROUTE/LOCAL"))
                .isGreaterThan(500);
        tally.assertGeneratorCoverage();
    }

    @Test
    void budgetLevelsNeverAllowForbiddenCloudSpend() {
        Tally tally = new Tally();
        qt().withFixedSeed(SEED + 1).withExamples(EXAMPLES).forAll(worlds()).checkAssert(w -> {
            ClassifiedRequest r = w.request();
            Decision d = POLICY.decide(r, w.rules().current(), w.budget(), w.local(), Instant.EPOCH);
            BudgetLevel level = w.budget().state(r.getRequest().getCostCenter()).level();
            TaskType type = r.getClassification().getTaskType();
            if (d.cloud()) {
                assertThat(level).isNotEqualTo(BudgetLevel.EXHAUSTED);
                assertThat(w.budget()
                                .admit(r.getRequest().getCostCenter(), d.estimatedCostUsd())
                                .admitted())
                        .isTrue();
                if (level == BudgetLevel.CRITICAL_ONLY) {
                    assertThat(RoutingPolicy.CRITICAL).contains(type);
                }
            }
            if (level == BudgetLevel.EXHAUSTED
                    || (level == BudgetLevel.CRITICAL_ONLY && !RoutingPolicy.CRITICAL.contains(type))) {
                assertThat(d.fallbackModels())
                        .as("no cloud escalation when cloud spend is not allowed")
                        .isEmpty();
            }
            if (d.action() != RoutingAction.ROUTE) {
                assertThat(d.tier()).isEqualTo(Tier.NONE);
                // work pinned to a cloud model needs cloud as a cloud rule does (the PINNED rule)
                boolean pinnedToCloud = RoutingPolicy.pinned(r.getRequest(), POLICY.catalog())
                        .map(m -> !m.local())
                        .orElse(false);
                assertThat(
                                pinnedToCloud
                                        ? Tier.CLOUD
                                        : w.rules().current().rule(type).tier())
                        .as("only work whose rule (or pinned model) needs cloud is deferred/rejected")
                        .isEqualTo(Tier.CLOUD);
            }

            tally.collect("decision by level", level + " " + d.action() + "/" + d.tier());
            if (!d.fallbackModels().isEmpty()) {
                tally.collect("fallbacks by level", level);
            }
            tally.world(w);
        });

        tally.print("budgetLevelsNeverAllowForbiddenCloudSpend");
        assertThat(tally.total()).as("distinct worlds checked").isGreaterThanOrEqualTo(WORLDS);
        // each branch of the property is exercised: cloud spend under every level that allows it (and
        // under CRITICAL_ONLY for critical work), deferrals and rejections, escalation paths where allowed
        for (BudgetLevel level : List.of(BudgetLevel.NORMAL, BudgetLevel.CONSERVE, BudgetLevel.CRITICAL_ONLY)) {
            assertThat(tally.count("decision by level", level + " ROUTE/CLOUD"))
                    .as(level + " cloud decisions")
                    .isPositive();
            assertThat(tally.count("fallbacks by level", level))
                    .as(level + " decisions with fallbacks")
                    .isPositive();
        }
        for (BudgetLevel level : List.of(BudgetLevel.EXHAUSTED, BudgetLevel.CRITICAL_ONLY)) {
            assertThat(tally.count("decision by level", level + " DEFER/NONE"))
                    .as(level + " deferrals")
                    .isPositive();
            assertThat(tally.count("decision by level", level + " REJECT/NONE"))
                    .as(level + " rejections")
                    .isPositive();
        }
        tally.assertGeneratorCoverage();
    }

    /** Exhaustive over its 80 combinations (as before): QuickTheories skips repeats, the tally shows all were seen. */
    @Test
    void thePublisherGuardRefusesEverySovereignCloudRecord() {
        Set<List<Object>> seen = new HashSet<>();
        qt().withFixedSeed(SEED + 2)
                .withExamples(2_000)
                .forAll(
                        booleans().all(),
                        booleans().all(),
                        booleans().all(),
                        arbitrary().enumValues(TaskType.class))
                .checkAssert((requiresSovereignty, sensitive, decisionSovereign, type) -> {
                    ClassifiedRequest r = Fixtures.req()
                            .type(type)
                            .sovereign(requiresSovereignty)
                            .sensitive(sensitive)
                            .build();
                    var routed = DecisionEvents.routed(r, cloudDecision(r, decisionSovereign));
                    RecordingSink sink = new RecordingSink();
                    SovereigntyGuard guard = new SovereigntyGuard(sink, () -> {});
                    if (requiresSovereignty || sensitive || decisionSovereign) {
                        assertThatThrownBy(() -> guard.send(Topics.TIER_CLOUD, "k", routed, Map.of()))
                                .isInstanceOf(CloudSendRefusedException.class);
                        assertThat(sink.sent()).isEmpty();
                    } else {
                        guard.send(Topics.TIER_CLOUD, "k", routed, Map.of());
                        assertThat(sink.sent()).hasSize(1);
                    }
                    seen.add(List.of(requiresSovereignty, sensitive, decisionSovereign, type));
                });
        assertThat(seen).as("every combination checked").hasSize(2 * 2 * 2 * TaskType.values().length);
    }

    static final List<String> PINS = java.util.Arrays.asList(
            null, "tiergate/auto", Fixtures.QWEN, Fixtures.DEEPSEEK, Fixtures.HAIKU, Fixtures.SONNET, Fixtures.OPUS);

    static Gen<World> worlds() {
        Gen<ClassifiedRequest> requests = arbitrary()
                .enumValues(TaskType.class)
                .zip(
                        oneInThree(),
                        oneInThree(),
                        unitDoubles(),
                        (type, sovereign, sensitive, complexity) -> Fixtures.req()
                                .type(type)
                                .sovereign(sovereign)
                                .sensitive(sensitive)
                                .complexity(complexity))
                .zip(
                        numbers(0, 200_000).map(Long::intValue),
                        numbers(1, 120_000).mix(Generate.constant((Long) null), 50),
                        costCenters(),
                        (req, tokens, latency, cc) -> req.id("p-" + cc)
                                .costCenter(cc)
                                .tokens(tokens)
                                .latencyMs(latency)
                                // a gateway client's model: none, an alias, or any model of the table (a pin)
                                .requestedModel(PINS.get(tokens % PINS.size()))
                                .build());
        Gen<GeneratedBudget> budgets = arbitrary()
                .enumValues(BudgetLevel.class)
                .zip(arbitrary().enumValues(OnExhausted.class), booleans().all(), GeneratedBudget::new);
        Gen<LocalCapacity> health = booleans()
                .all()
                .zip(
                        booleans().all(),
                        booleans().all(),
                        numbers(0, 600_000),
                        (known, overloaded, open, wait) -> known
                                ? new LocalCapacity(
                                        true,
                                        overloaded || open,
                                        open,
                                        overloaded || open ? Long.MAX_VALUE : wait,
                                        "generated")
                                : LocalCapacity.unknown());
        Gen<Table> tables = Generate.frequency(List.of(
                Pair.of(2, Generate.constant(() -> new Table("default", List.of(), Fixtures.rules()))),
                Pair.of(3, Generate.constant(() -> new Table("hostile", hostileOverrides(), hostileTable()))),
                Pair.of(5, randomOverrides().map(rs -> new Table("random", rs, table(rs))))));
        return requests.zip(budgets, health, tables, World::new);
    }

    /** A budget view at a given level (UNKNOWN as the gate maps it); optionally refusing every admission. */
    record GeneratedBudget(BudgetLevel raw, OnExhausted onExhausted, boolean refuseAdmission) implements BudgetView {
        BudgetLevel level() {
            return raw == BudgetLevel.UNKNOWN ? BudgetLevel.EXHAUSTED : raw;
        }

        @Override
        public BudgetState state(String costCenter) {
            return new BudgetState(level(), "global", onExhausted, "generated " + level());
        }

        @Override
        public Admission admit(String costCenter, BigDecimal estimatedUsd) {
            return level() == BudgetLevel.EXHAUSTED || refuseAdmission
                    ? new Admission(false, "global", onExhausted, "generated refusal")
                    : Admission.ok();
        }
    }

    /** Every type to the most expensive cloud model; local-tier types with threshold 0 and cloud fallbacks. */
    static List<RoutingRule> hostileOverrides() {
        List<RoutingRule> rules = new ArrayList<>();
        int i = 0;
        for (TaskType t : TaskType.values()) {
            rules.add(
                    i++ % 2 == 0
                            ? Fixtures.rule(
                                    t.name(), Tier.CLOUD, Fixtures.OPUS, List.of(Fixtures.SONNET, Fixtures.HAIKU), null)
                            : Fixtures.rule(
                                    t.name(), Tier.LOCAL, Fixtures.QWEN, List.of(Fixtures.OPUS, Fixtures.SONNET), 0.0));
        }
        return rules;
    }

    static RulesBook hostileTable() {
        RulesBook book = Fixtures.rules();
        for (RoutingRule rule : hostileOverrides()) {
            book.apply(rule.getTaskType(), rule);
        }
        return book;
    }

    /** Up to 10 valid overrides: any type, either tier, any cloud model, any subset of cloud fallbacks in any order. */
    static Gen<List<RoutingRule>> randomOverrides() {
        Gen<RoutingRule> rule = arbitrary()
                .enumValues(TaskType.class)
                .zip(
                        arbitrary().pick(List.of(Tier.LOCAL, Tier.CLOUD)),
                        arbitrary().pick(CLOUD_MODELS),
                        subsetsInAnyOrder(CLOUD_MODELS),
                        unitDoubles().mix(Generate.constant((Double) null), 40),
                        (type, tier, cloudModel, fallbacks, threshold) -> {
                            List<String> chain = new ArrayList<>(fallbacks);
                            if (tier == Tier.CLOUD) {
                                chain.remove(cloudModel);
                                return Fixtures.rule(type.name(), Tier.CLOUD, cloudModel, chain, null);
                            }
                            return Fixtures.rule(
                                    type.name(), Tier.LOCAL, Fixtures.QWEN, chain, chain.isEmpty() ? null : threshold);
                        });
        return lists().of(rule).ofSizeBetween(0, 10);
    }

    static RulesBook table(List<RoutingRule> overrides) {
        RulesBook book = Fixtures.rules();
        for (RoutingRule r : overrides) {
            try {
                book.apply(r.getTaskType(), r);
            } catch (InvalidRuleException e) {
                throw new AssertionError("generated an invalid rule: " + e.getMessage(), e);
            }
        }
        return book;
    }

    // ---- generators: jqwik's defaults (biased integral ranges, 2-decimal doubles, edge cases) spelled out

    /** true one time in three, as the frequency 1:2 before. */
    static Gen<Boolean> oneInThree() {
        return Generate.frequency(List.of(Pair.of(1, Generate.constant(true)), Pair.of(2, Generate.constant(false))));
    }

    /**
     * Integral values in [min, max]: uniform, or small (a uniformly chosen number of digits, then a
     * value of that size: as many 1-digit values as 6-digit ones), or an edge (min, min+1, max-1, max).
     */
    static Gen<Long> numbers(long min, long max) {
        int digits = Long.toString(max - min).length();
        Gen<Long> small = integers()
                .between(1, digits)
                .flatMap(d -> longs().between(min, min + Math.min(max - min, pow10(d) - 1)));
        Gen<Long> edges = arbitrary().pick(List.of(min, min + 1, max - 1, max));
        // mix(other, w) takes other w% of the time and shrinks towards it: failures shrink to small values, not edges
        return edges.mix(longs().between(min, max).mix(small, 40), 80);
    }

    /** Doubles in [0, 1]: at two decimals (so they meet thresholds exactly), at full precision, or an edge. */
    static Gen<Double> unitDoubles() {
        Gen<Double> twoDecimals = integers().between(0, 100).map(i -> i / 100.0);
        Gen<Double> edges = arbitrary().pick(List.of(0.0, 1.0, 0.01, 0.99, Double.MIN_VALUE, Math.nextDown(1.0)));
        return edges.mix(doubles().between(0, 1).mix(twoDecimals, 50), 80);
    }

    /** 1 to 6 ASCII letters. */
    static Gen<String> costCenters() {
        List<Character> letters = new ArrayList<>();
        IntStream.rangeClosed('a', 'z').forEach(c -> letters.add((char) c));
        IntStream.rangeClosed('A', 'Z').forEach(c -> letters.add((char) c));
        return lists().of(arbitrary().pick(letters))
                .ofSizeBetween(1, 6)
                .map(cs -> cs.stream().map(String::valueOf).reduce("", String::concat));
    }

    /** Any subset (each element in or out with equal odds), in any order. */
    static <T> Gen<List<T>> subsetsInAnyOrder(List<T> all) {
        return lists().of(booleans().all())
                .ofSize(all.size())
                .zip(
                        lists().of(integers().between(0, 1_000)).ofSize(all.size()),
                        (in, order) -> IntStream.range(0, all.size())
                                .filter(in::get)
                                .boxed()
                                .sorted(Comparator.comparing(order::get))
                                .map(all::get)
                                .toList());
    }

    private static long pow10(int digits) {
        long p = 1;
        for (int i = 0; i < digits; i++) {
            p *= 10;
        }
        return p;
    }

    private static String brief(RoutingRule r) {
        return r.getTaskType() + "->" + r.getTier() + ":" + r.getModel() + r.getFallbackModels()
                + (r.getLocalComplexityThreshold() == null ? "" : "@" + r.getLocalComplexityThreshold());
    }

    /** Counts per label and value, collected while the property runs; checked and printed after. */
    static final class Tally {
        private final Map<String, Map<String, Integer>> counts = new TreeMap<>();
        private int total;

        void collect(String label, Object value) {
            counts.computeIfAbsent(label, l -> new TreeMap<>()).merge(String.valueOf(value), 1, Integer::sum);
        }

        /** What the generators produced, for {@link #assertGeneratorCoverage()}. */
        void world(World w) {
            total++;
            var q = w.request().getRequest();
            var c = w.request().getClassification();
            collect("table", w.table().kind());
            collect("task type", c.getTaskType());
            collect("budget", w.budget().raw() + " " + w.budget().onExhausted());
            collect("admission refused", w.budget().refuseAdmission());
            LocalCapacity local = w.local();
            collect(
                    "local",
                    !local.known()
                            ? "unknown"
                            : local.circuitOpen() ? "open" : local.overloaded() ? "overloaded" : "healthy");
            collect("complexity", c.getComplexity() == 0.0 || c.getComplexity() == 1.0 ? c.getComplexity() : "between");
            int tokens = c.getEstimatedInputTokens();
            collect("tokens", tokens == 0 || tokens == 200_000 ? tokens : tokens < 10 ? "1 digit" : "more digits");
            Long latency = q.getLatencyBudgetMs();
            collect("latency", latency == null || latency == 1 || latency == 120_000 ? latency : "between");
            collect("cost center length", q.getCostCenter().length());
            if (w.table().kind().equals("random")) {
                collect("random overrides", w.table().overrides().size());
                for (RoutingRule r : w.table().overrides()) {
                    Double t = r.getLocalComplexityThreshold();
                    collect("threshold", t == null || t == 0.0 || t == 1.0 ? t : "between");
                    collect("fallbacks", r.getFallbackModels().size());
                }
            }
        }

        int total() {
            return total;
        }

        int count(String label, Object value) {
            return counts.getOrDefault(label, Map.of()).getOrDefault(String.valueOf(value), 0);
        }

        double percent(String label, Object value) {
            int all = counts.getOrDefault(label, Map.of()).values().stream()
                    .mapToInt(Integer::intValue)
                    .sum();
            return all == 0 ? 0 : 100.0 * count(label, value) / all;
        }

        /** The generators' edge cases and every enum value really appeared. */
        void assertGeneratorCoverage() {
            for (String kind : List.of("default", "hostile", "random")) {
                assertThat(count("table", kind)).as("table " + kind).isPositive();
            }
            for (TaskType t : TaskType.values()) {
                assertThat(count("task type", t)).as("task type " + t).isPositive();
            }
            for (BudgetLevel level : BudgetLevel.values()) {
                for (OnExhausted onExhausted : OnExhausted.values()) {
                    assertThat(count("budget", level + " " + onExhausted))
                            .as("budget " + level + " " + onExhausted)
                            .isPositive();
                }
            }
            for (Object v : Arrays.asList(true, false)) {
                assertThat(count("admission refused", v))
                        .as("admission refused " + v)
                        .isPositive();
            }
            for (String v : List.of("unknown", "healthy", "overloaded", "open")) {
                assertThat(count("local", v)).as("local " + v).isPositive();
            }
            for (Object v : Arrays.asList(0.0, 1.0)) {
                assertThat(count("complexity", v)).as("complexity " + v).isPositive();
            }
            for (Object v : Arrays.asList(0, 200_000, "1 digit")) {
                assertThat(count("tokens", v)).as("tokens " + v).isPositive();
            }
            for (Object v : Arrays.asList(null, 1L, 120_000L)) {
                assertThat(count("latency", v)).as("latency " + v).isPositive();
            }
            for (int length : List.of(1, 6)) {
                assertThat(count("cost center length", length))
                        .as("cost center length " + length)
                        .isPositive();
            }
            for (int size : List.of(0, 1, 10)) {
                assertThat(count("random overrides", size))
                        .as(size + " random overrides")
                        .isPositive();
            }
            for (Object v : Arrays.asList(null, 0.0, 1.0, "between")) {
                assertThat(count("threshold", v)).as("threshold " + v).isPositive();
            }
            for (int size = 0; size <= CLOUD_MODELS.size(); size++) {
                assertThat(count("fallbacks", size)).as(size + " fallbacks").isPositive();
            }
        }

        void print(String property) {
            StringBuilder out = new StringBuilder(property + ": " + total + " cases (seeds from " + SEED + ")\n");
            counts.forEach((label, values) -> {
                int all = values.values().stream().mapToInt(Integer::intValue).sum();
                out.append("  ").append(label).append(":");
                values.forEach((v, n) -> out.append(String.format(" %s=%d (%.1f%%)", v, n, 100.0 * n / all)));
                out.append('\n');
            });
            System.out.print(out);
        }
    }

    private static io.tiergate.schemas.events.RoutingDecision cloudDecision(ClassifiedRequest r, boolean sovereign) {
        return io.tiergate.schemas.events.RoutingDecision.newBuilder()
                .setRequestId(r.getRequest().getRequestId())
                .setCostCenter(r.getRequest().getCostCenter())
                .setTaskType(r.getClassification().getTaskType())
                .setAction(RoutingAction.ROUTE)
                .setTier(Tier.CLOUD)
                .setModel(Fixtures.OPUS)
                .setCapabilityClass(io.tiergate.schemas.events.CapabilityClass.FRONTIER)
                .setFallbackModels(List.of())
                .setEstimatedCostUsd(io.tiergate.schemas.money.Money.ZERO)
                .setBudgetLevel(BudgetLevel.NORMAL)
                .setRule("TASK_TABLE")
                .setRationale("hand-made cloud decision")
                .setSovereign(sovereign)
                .setDecidedAt(Instant.EPOCH)
                .build();
    }
}
