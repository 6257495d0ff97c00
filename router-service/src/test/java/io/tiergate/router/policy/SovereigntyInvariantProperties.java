package io.tiergate.router.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.router.Fixtures;
import io.tiergate.router.rules.InvalidRuleException;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.router.route.DecisionEvents;
import io.tiergate.router.route.RecordingSink;
import io.tiergate.router.route.SovereigntyGuard;
import io.tiergate.router.route.SovereigntyViolationException;
import io.tiergate.router.route.TierPublisher;
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
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The invariant of DESIGN.md: a sovereign or sensitive request never reaches a cloud topic — over
 * generated requests × budget levels (both scopes, every onExhausted, admission refusals) × rule
 * tables (random valid overrides, and hostile ones that send every type to cloud, including local
 * rules with threshold 0) × local health states. Checked on the decision and on what the publisher
 * actually writes; the publisher-side guard is checked on its own with hand-made cloud records.
 */
class SovereigntyInvariantProperties {

  private static final List<String> CLOUD_MODELS =
      Fixtures.PRICES.models().stream().filter(m -> m.tier() == Tier.CLOUD).map(ModelPrice::id).toList();
  private static final RoutingPolicy POLICY = new RoutingPolicy(Fixtures.CATALOG);

  /** One generated world. */
  record World(ClassifiedRequest request, BudgetView budget, LocalCapacity local, RulesBook rules, String tableKind) {}

  @Property(tries = 10_000)
  void sovereignRequestsNeverReachACloudTopic(@ForAll("worlds") World w) {
    ClassifiedRequest r = w.request();
    boolean sovereign = r.getRequest().getRequiresDataSovereignty() || r.getClassification().getContainsSensitiveData();
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

    // the generated worlds must cover what the invariant is about, or the property proves nothing
    Statistics.label("sovereign").collect(sovereign);
    Statistics.label("table").collect(w.tableKind());
    Statistics.label("outcome").collect(d.action() + "/" + d.tier());
    Statistics.label("sovereign")
        .coverage(c -> {
          c.check(true).percentage(p -> p > 30);
          c.check(false).percentage(p -> p > 20);
        });
    Statistics.label("table").coverage(c -> c.check("hostile").percentage(p -> p > 15));
    Statistics.label("outcome")
        .coverage(c -> {
          c.check("ROUTE/CLOUD").percentage(p -> p > 2);
          c.check("ROUTE/LOCAL").percentage(p -> p > 30);
          c.check("DEFER/NONE").count(n -> n > 0);
          c.check("REJECT/NONE").count(n -> n > 0);
        });
  }

  @Property(tries = 10_000)
  void budgetLevelsNeverAllowForbiddenCloudSpend(@ForAll("worlds") World w) {
    ClassifiedRequest r = w.request();
    Decision d = POLICY.decide(r, w.rules().current(), w.budget(), w.local(), Instant.EPOCH);
    BudgetLevel level = w.budget().state(r.getRequest().getCostCenter()).level();
    TaskType type = r.getClassification().getTaskType();
    if (d.cloud()) {
      assertThat(level).isNotEqualTo(BudgetLevel.EXHAUSTED);
      assertThat(w.budget().admit(r.getRequest().getCostCenter(), d.estimatedCostUsd()).admitted()).isTrue();
      if (level == BudgetLevel.CRITICAL_ONLY) {
        assertThat(RoutingPolicy.CRITICAL).contains(type);
      }
    }
    if (level == BudgetLevel.EXHAUSTED || (level == BudgetLevel.CRITICAL_ONLY && !RoutingPolicy.CRITICAL.contains(type))) {
      assertThat(d.fallbackModels()).as("no cloud escalation when cloud spend is not allowed").isEmpty();
    }
    if (d.action() != RoutingAction.ROUTE) {
      assertThat(d.tier()).isEqualTo(Tier.NONE);
      assertThat(w.rules().current().rule(type).tier()).as("only work whose rule needs cloud is deferred/rejected").isEqualTo(Tier.CLOUD);
    }
  }

  @Property(tries = 2_000)
  void thePublisherGuardRefusesEverySovereignCloudRecord(
      @ForAll boolean requiresSovereignty, @ForAll boolean sensitive, @ForAll boolean decisionSovereign, @ForAll TaskType type) {
    ClassifiedRequest r = Fixtures.req().type(type).sovereign(requiresSovereignty).sensitive(sensitive).build();
    var routed = DecisionEvents.routed(r, cloudDecision(r, decisionSovereign));
    RecordingSink sink = new RecordingSink();
    SovereigntyGuard guard = new SovereigntyGuard(sink, () -> {});
    if (requiresSovereignty || sensitive || decisionSovereign) {
      assertThatThrownBy(() -> guard.send(Topics.TIER_CLOUD, "k", routed, Map.of())).isInstanceOf(SovereigntyViolationException.class);
      assertThat(sink.sent()).isEmpty();
    } else {
      guard.send(Topics.TIER_CLOUD, "k", routed, Map.of());
      assertThat(sink.sent()).hasSize(1);
    }
  }

  @Provide
  Arbitrary<World> worlds() {
    Arbitrary<ClassifiedRequest> requests =
        Combinators.combine(
                Arbitraries.of(TaskType.class),
                Arbitraries.frequency(Tuple.of(1, true), Tuple.of(2, false)),
                Arbitraries.frequency(Tuple.of(1, true), Tuple.of(2, false)),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 200_000),
                Arbitraries.longs().between(1, 120_000).injectNull(0.5),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6))
            .as(
                (type, sovereign, sensitive, complexity, tokens, latency, cc) ->
                    Fixtures.req()
                        .id("p-" + cc)
                        .costCenter(cc)
                        .type(type)
                        .sovereign(sovereign)
                        .sensitive(sensitive)
                        .complexity(complexity)
                        .tokens(tokens)
                        .latencyMs(latency)
                        .build());
    Arbitrary<BudgetView> budgets =
        Combinators.combine(Arbitraries.of(BudgetLevel.class), Arbitraries.of(OnExhausted.class), Arbitraries.of(true, false))
            .as(SovereigntyInvariantProperties::budget);
    Arbitrary<LocalCapacity> health =
        Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.longs().between(0, 600_000))
            .as((known, overloaded, open, wait) ->
                known
                    ? new LocalCapacity(true, overloaded || open, open, overloaded || open ? Long.MAX_VALUE : wait, "generated")
                    : LocalCapacity.unknown());
    Arbitrary<Tuple.Tuple2<String, RulesBook>> tables =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just("default").map(k -> Tuple.of(k, Fixtures.rules()))),
            Tuple.of(3, Arbitraries.just("hostile").map(k -> Tuple.of(k, hostileTable()))),
            Tuple.of(5, randomOverrides().map(rs -> Tuple.of("random", table(rs)))));
    return Combinators.combine(requests, budgets, health, tables).as((r, b, h, t) -> new World(r, b, h, t.get2(), t.get1()));
  }

  /** A budget view at a given level (UNKNOWN as the gate maps it); optionally refusing every admission. */
  static BudgetView budget(BudgetLevel raw, OnExhausted onExhausted, boolean refuseAdmission) {
    BudgetLevel level = raw == BudgetLevel.UNKNOWN ? BudgetLevel.EXHAUSTED : raw;
    return new BudgetView() {
      @Override
      public BudgetState state(String costCenter) {
        return new BudgetState(level, "global", onExhausted, "generated " + level);
      }

      @Override
      public Admission admit(String costCenter, BigDecimal estimatedUsd) {
        return level == BudgetLevel.EXHAUSTED || refuseAdmission
            ? new Admission(false, "global", onExhausted, "generated refusal")
            : Admission.ok();
      }
    };
  }

  /** Every type to the most expensive cloud model; local-tier types with threshold 0 and cloud fallbacks. */
  static RulesBook hostileTable() {
    RulesBook book = Fixtures.rules();
    int i = 0;
    for (TaskType t : TaskType.values()) {
      RoutingRule rule =
          i++ % 2 == 0
              ? Fixtures.rule(t.name(), Tier.CLOUD, Fixtures.OPUS, List.of(Fixtures.SONNET, Fixtures.HAIKU), null)
              : Fixtures.rule(t.name(), Tier.LOCAL, Fixtures.QWEN, List.of(Fixtures.OPUS, Fixtures.SONNET), 0.0);
      book.apply(t.name(), rule);
    }
    return book;
  }

  static Arbitrary<List<RoutingRule>> randomOverrides() {
    Arbitrary<RoutingRule> rule =
        Combinators.combine(
                Arbitraries.of(TaskType.class),
                Arbitraries.of(Tier.LOCAL, Tier.CLOUD),
                Arbitraries.of(CLOUD_MODELS),
                Arbitraries.subsetOf(CLOUD_MODELS),
                Arbitraries.doubles().between(0, 1).injectNull(0.4))
            .as(
                (type, tier, cloudModel, fallbacks, threshold) -> {
                  List<String> chain = new ArrayList<>(fallbacks);
                  if (tier == Tier.CLOUD) {
                    chain.remove(cloudModel);
                    return Fixtures.rule(type.name(), Tier.CLOUD, cloudModel, chain, null);
                  }
                  return Fixtures.rule(type.name(), Tier.LOCAL, Fixtures.QWEN, chain, chain.isEmpty() ? null : threshold);
                });
    return rule.list().ofMaxSize(10);
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
