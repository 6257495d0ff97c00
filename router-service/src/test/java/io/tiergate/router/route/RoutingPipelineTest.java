package io.tiergate.router.route;

import static io.tiergate.router.Fixtures.req;
import static io.tiergate.router.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.router.Fixtures;
import io.tiergate.router.budget.BudgetBook;
import io.tiergate.router.budget.BudgetGate;
import io.tiergate.router.budget.ReservationLedger;
import io.tiergate.router.budget.Thresholds;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.metrics.RouterMetrics;
import io.tiergate.router.policy.LocalCapacity;
import io.tiergate.router.policy.RoutingPolicy;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RoutingPipelineTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private final BudgetBook book = new BudgetBook(Thresholds.DEFAULT);
    private final RulesBook rules = Fixtures.rules();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private record Node(RoutingPipeline pipeline, BudgetGate gate, RecordingSink sink) {}

    private Node node(int globalShares) {
        ReservationLedger ledger = new ReservationLedger(Duration.ofMinutes(5), book);
        BudgetGate gate = new BudgetGate(book, ledger, clock::millis, RouterConfiguration.DEFAULTS.staleness());
        gate.globalShareDivisor(globalShares);
        RecordingSink sink = new RecordingSink();
        RouterMetrics metrics = new RouterMetrics(registry);
        RoutingPipeline pipeline = new RoutingPipeline(
                new RoutingPolicy(Fixtures.CATALOG),
                rules::current,
                gate,
                now -> LocalCapacity.unknown(),
                new TierPublisher(new SovereigntyGuard(sink, metrics::sovereigntyBlocked)),
                metrics,
                clock);
        return new Node(pipeline, gate, sink);
    }

    private BigDecimal estimateOfOneCodeReview() {
        return Fixtures.CATALOG.estimate(Fixtures.PRICES.require(Fixtures.SONNET), TaskType.CODE_REVIEW, 1000);
    }

    @Test
    void aCloudDecisionReservesItsEstimateAndALocalOneDoesNot() {
        Node n = node(1);
        var cloud = n.pipeline()
                .route(req().id("c").type(TaskType.CODE_REVIEW).tokens(1000).build(), 0, 0);
        n.pipeline().route(req().id("l").type(TaskType.CONVERSATION).build(), 0, 0);
        assertThat(n.gate().ledger().committed(Topics.GLOBAL_SCOPE, clock.millis()))
                .isEqualByComparingTo(cloud.decision().estimatedCostUsd());
        n.pipeline().rollback(cloud.decision());
        assertThat(n.gate().ledger().committed(Topics.GLOBAL_SCOPE, clock.millis()))
                .isZero();
        assertThat(registry.get("tiergate.router.decisions")
                        .tag("rule", "TASK_TABLE")
                        .tag("tier", "CLOUD")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("tiergate.router.decisions")
                        .tag("task_type", "CODE_REVIEW")
                        .tag("tier", "CLOUD")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("tiergate.router.decisions")
                        .tag("task_type", "CONVERSATION")
                        .tag("tier", "LOCAL")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void reservationsStopABurstAtTheHeadroom() {
        int n = 7;
        BigDecimal headroom = estimateOfOneCodeReview().multiply(BigDecimal.valueOf(n));
        book.onStatus(
                "burst",
                status("burst", BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "0", headroom.toPlainString()),
                clock.millis());
        Node node = node(1);
        int cloud = 0;
        for (int i = 0; i < 20 * n; i++) {
            var routed = node.pipeline()
                    .route(
                            req().id("b-" + i)
                                    .costCenter("burst")
                                    .type(TaskType.CODE_REVIEW)
                                    .tokens(1000)
                                    .build(),
                            0,
                            0);
            if (routed.decision().tier() == Tier.CLOUD) {
                cloud++;
            }
        }
        assertThat(cloud).isEqualTo(n);
    }

    @Test
    void twoInstancesSharingTheGlobalBudgetStayUnderIt() {
        int n = 8;
        BigDecimal headroom = estimateOfOneCodeReview().multiply(BigDecimal.valueOf(n));
        book.onStatus(
                Topics.GLOBAL_SCOPE,
                status(Topics.GLOBAL_SCOPE, BudgetLevel.NORMAL, OnExhausted.REJECT, "0", headroom.toPlainString()),
                clock.millis());
        Node a = node(2);
        Node b = node(2);
        int cloud = 0;
        int rejected = 0;
        for (int i = 0; i < 20 * n; i++) {
            Node which = i % 2 == 0 ? a : b;
            var routed = which.pipeline()
                    .route(
                            req().id("g-" + i)
                                    .costCenter("cc-" + i % 5)
                                    .type(TaskType.CODE_REVIEW)
                                    .tokens(1000)
                                    .build(),
                            0,
                            0);
            cloud += routed.decision().tier() == Tier.CLOUD ? 1 : 0;
            rejected += routed.decision().action() == RoutingAction.REJECT ? 1 : 0;
        }
        assertThat(cloud).isEqualTo(n);
        assertThat(rejected).isEqualTo(20 * n - n);
    }

    @Test
    void anInvalidRequestIsRefusedBeforeAnythingIsSent() {
        Node n = node(1);
        assertThatThrownBy(() ->
                        n.pipeline().route(req().costCenter(Topics.GLOBAL_SCOPE).build(), 0, 0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> n.pipeline().route(req().complexity(Double.NaN).build(), 0, 0))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> n.pipeline().route(req().id(" ").build(), 0, 0))
                .isInstanceOf(InvalidInputException.class);
        assertThat(n.sink().sent()).isEmpty();
    }

    @Test
    void maxOutputTokensOutsideOneToTheConfiguredMaximumIsRefusedNamingTheField() {
        Node n = node(1);
        for (int invalid : new int[] {0, -1, 128_001}) {
            assertThatThrownBy(() -> n.pipeline()
                            .route(
                                    req().id("m" + invalid)
                                            .maxOutputTokens(invalid)
                                            .build(),
                                    0,
                                    0))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("request m" + invalid
                            + ": maxOutputTokens must be within [1, 128000] (tiergate.router.max-output-tokens), was "
                            + invalid);
        }
        assertThat(n.sink().sent()).isEmpty();
        n.pipeline().route(req().id("edge-low").maxOutputTokens(1).build(), 0, 0);
        n.pipeline().route(req().id("edge-high").maxOutputTokens(128_000).build(), 0, 0);
        assertThat(n.sink().sent()).isNotEmpty();
    }

    @Test
    void aRequestWhoseLargerOutputLimitDoesNotFitTheHeadroomTakesOnExhaustedWithTheReason() {
        // headroom for one CODE_REVIEW at the expected 800 output tokens (0.015), not at 5,000 (0.078)
        book.onStatus("tight", status("tight", BudgetLevel.NORMAL, OnExhausted.REJECT, "0", "0.05"), clock.millis());
        Node n = node(1);
        var big = n.pipeline()
                .route(
                        req().id("big")
                                .costCenter("tight")
                                .type(TaskType.CODE_REVIEW)
                                .tokens(1000)
                                .maxOutputTokens(5000)
                                .build(),
                        0,
                        0);
        assertThat(big.decision().action()).isEqualTo(RoutingAction.REJECT);
        assertThat(big.decision().rationale()).contains("budget 'tight' has no daily headroom for $0.078");
        assertThat(big.decision().costCeilingUsd()).isNull();
        var small = n.pipeline()
                .route(
                        req().id("small")
                                .costCenter("tight")
                                .type(TaskType.CODE_REVIEW)
                                .tokens(1000)
                                .build(),
                        0,
                        0);
        assertThat(small.decision().tier()).isEqualTo(Tier.CLOUD);
        assertThat(n.gate().ledger().committed("tight", clock.millis())).isEqualByComparingTo("0.015");
    }
}
