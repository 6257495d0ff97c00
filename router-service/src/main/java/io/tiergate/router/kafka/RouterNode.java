package io.tiergate.router.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.budget.BudgetBook;
import io.tiergate.router.budget.BudgetGate;
import io.tiergate.router.budget.ReservationLedger;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.health.HealthBoard;
import io.tiergate.router.metrics.RouterMetrics;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RoutingPolicy;
import io.tiergate.router.route.DecidedRequests;
import io.tiergate.router.route.EventSink;
import io.tiergate.router.route.RoutingPipeline;
import io.tiergate.router.route.SovereigntyGuard;
import io.tiergate.router.route.TierPublisher;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.topics.Topics;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One router instance, assembled from plain parts: its state feed (rules, budgets, health, costs),
 * its reservation ledger and budget gate, the policy, the guarded publisher, the decider on its
 * share of routing.by-cost-center and the deferral releaser. The Micronaut service builds one; a
 * test may build two in one JVM.
 */
public final class RouterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterNode.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final RouterConfiguration config;
    private final RulesBook rules;
    private final BudgetBook budgets;
    private final HealthBoard health;
    private final BudgetGate gate;
    private final RoutingPipeline pipeline;
    private final RouterMetrics metrics;
    private final StateFeed feed;
    private final DeciderLoop decider;
    private final DeferredReleaser releaser;
    private final KafkaClientSettings client;
    private final EventPublisher publisher;
    private final EventDecoder decoder;
    private Thread deciderThread;
    private Thread releaserThread;

    public RouterNode(
            RouterConfiguration config,
            KafkaClientSettings client,
            ModelCatalog catalog,
            DefaultRules.Table defaults,
            EventPublisher publisher,
            EventDecoder decoder,
            InboundRecords inbound,
            MeterRegistry registry,
            Clock clock) {
        this.config = config;
        String id = client.applicationName() + "-" + INSTANCES.incrementAndGet();
        this.rules = new RulesBook(defaults, new RuleValidator(catalog));
        this.budgets = new BudgetBook(config.defaultThresholds());
        this.health = new HealthBoard(config.healthStaleness(), config.localAverageService());
        ReservationLedger ledger = new ReservationLedger(config.reservationTimeout(), budgets);
        this.gate = new BudgetGate(budgets, ledger, clock::millis, config.staleness());
        this.metrics = new RouterMetrics(registry);
        metrics.bind(gate, clock::millis);
        EventSink sink = new SovereigntyGuard(new KafkaEventSink(publisher), metrics::sovereigntyBlocked);
        this.pipeline = new RoutingPipeline(
                new RoutingPolicy(catalog, config.requestCostLimits()),
                rules::current,
                gate,
                health::localCapacity,
                new TierPublisher(sink),
                metrics,
                clock);
        this.feed = new StateFeed(
                client,
                id + "-state",
                decoder,
                rules,
                budgets,
                health,
                ledger,
                config.reservationTimeout(),
                config.pollTimeout(),
                clock);
        this.decider = new DeciderLoop(
                client,
                config,
                inbound,
                pipeline,
                gate,
                new AuditScan(client, decoder, id + "-audit-scan"),
                new DecidedRequests(config.dedupeWindow(), config.dedupeMaxIds()),
                metrics,
                clock,
                id + "-decider");
        this.client = client;
        this.publisher = publisher;
        this.decoder = decoder;
        this.releaser = new DeferredReleaser(
                client,
                config,
                decoder,
                inbound.deadLetters(),
                sink,
                publisher,
                budgets,
                registry,
                clock,
                id + "-deferred");
    }

    /**
     * Makes inference.deferred keep its records long enough, reads the state topics to their end, then
     * starts deciding and releasing.
     */
    public void start() {
        DeferredRetention.ensure(client, config.deferralLimits().requiredRetention());
        feed.start();
        try {
            if (!feed.awaitCaughtUp(config.startupTimeout())) {
                throw new IllegalStateException("Router state topics not read within " + config.startupTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading router state", e);
        }
        decoder.warmUp(List.of(Topics.ROUTING_BY_COST_CENTER));
        publisher.warmUp(List.of(
                Topics.TIER_LOCAL,
                Topics.TIER_CLOUD,
                Topics.ROUTING_DECISIONS,
                Topics.INFERENCE_RESULTS,
                Topics.INFERENCE_DEFERRED));
        deciderThread = new Thread(decider, "tiergate-router-decider");
        releaserThread = new Thread(releaser, "tiergate-router-deferred");
        deciderThread.start();
        releaserThread.start();
        LOG.info("Router started: routing table {}", rules.current().version());
    }

    public RulesBook rules() {
        return rules;
    }

    public BudgetBook budgets() {
        return budgets;
    }

    public BudgetGate gate() {
        return gate;
    }

    public HealthBoard health() {
        return health;
    }

    public RoutingPipeline pipeline() {
        return pipeline;
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    /** The routing.by-cost-center partitions this instance decides right now. */
    public java.util.Set<Integer> ownedPartitions() {
        return decider.ownedPartitions();
    }

    @Override
    public void close() {
        decider.close();
        releaser.close();
        join(deciderThread);
        join(releaserThread);
        feed.close();
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
