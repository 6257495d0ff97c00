package io.tiergate.router.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.router.Fixtures;
import io.tiergate.router.budget.BudgetBook;
import io.tiergate.router.budget.BudgetGate;
import io.tiergate.router.budget.ReservationLedger;
import io.tiergate.router.budget.Thresholds;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.metrics.RouterMetrics;
import io.tiergate.router.policy.LocalCapacity;
import io.tiergate.router.policy.RoutingPolicy;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.router.route.EventSink;
import io.tiergate.router.route.RoutingPipeline;
import io.tiergate.router.route.SovereigntyGuard;
import io.tiergate.router.route.TierPublisher;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Decisions per second of the pure policy, and of the whole in-process pipeline (policy + budget
 * gate with live budgets + reservation + building the events, handed to a discarding sink), one
 * thread. Not a test. Run: see docs/benchmarks/router-service.md.
 */
public final class PolicyBenchmark {

    private PolicyBenchmark() {}

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Random random = new Random(42);
        TaskType[] types = TaskType.values();
        List<ClassifiedRequest> requests = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            requests.add(Fixtures.req()
                    .id("bench-" + i)
                    .costCenter("team-" + (i % 16))
                    .type(types[random.nextInt(types.length)])
                    .sovereign(random.nextInt(10) == 0)
                    .complexity(random.nextDouble())
                    .tokens(100 + random.nextInt(20_000))
                    .latencyMs(random.nextInt(4) == 0 ? (long) random.nextInt(5000) : null)
                    .build());
        }
        RoutingPolicy policy = new RoutingPolicy(Fixtures.CATALOG);
        RoutingTable table = Fixtures.rules().current();
        BudgetBook book = new BudgetBook(Thresholds.DEFAULT);
        long now = Instant.now().toEpochMilli();
        for (int i = 0; i < 16; i++) {
            String cc = "team-" + i;
            BudgetLevel level = BudgetLevel.values()[i % 4];
            book.onStatus(cc, Fixtures.status(cc, level, OnExhausted.values()[i % 3], "1", "1000000"), now);
        }
        book.onStatus(
                Topics.GLOBAL_SCOPE,
                Fixtures.status(Topics.GLOBAL_SCOPE, BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "1", "100000000"),
                now);
        // reservations expire quickly so the ledger stays at a realistic size over millions of decisions
        ReservationLedger ledger = new ReservationLedger(Duration.ofSeconds(2), book);
        BudgetGate gate =
                new BudgetGate(book, ledger, System::currentTimeMillis, RouterConfiguration.DEFAULTS.staleness());
        LocalCapacity local = new LocalCapacity(true, false, false, 3_000, "bench");

        double policyRate = measure(
                "policy only (fixed table, live budget gate)",
                seconds,
                requests,
                r -> policy.decide(r, table, gate, local, Instant.now()));

        EventSink discard = new EventSink() {
            @Override
            public <V extends org.apache.avro.specific.SpecificRecord> CompletableFuture<?> send(
                    io.tiergate.schemas.topics.Topic<V> topic,
                    String key,
                    V value,
                    java.util.Map<String, byte[]> headers) {
                return CompletableFuture.completedFuture(null);
            }
        };
        RouterMetrics metrics = new RouterMetrics(new SimpleMeterRegistry());
        RoutingPipeline pipeline = new RoutingPipeline(
                policy,
                () -> table,
                gate,
                t -> local,
                new TierPublisher(new SovereigntyGuard(discard, metrics::sovereigntyBlocked)),
                metrics,
                Clock.systemUTC());
        double pipelineRate = measure(
                "pipeline (policy + reservations + events + guard + metrics)",
                seconds,
                requests,
                r -> pipeline.route(r, 0, 0));
        System.out.printf(
                Locale.ROOT,
                "RESULT policy=%.0f/s pipeline=%.0f/s open-reservations=%d%n",
                policyRate,
                pipelineRate,
                ledger.stats(System.currentTimeMillis()).openCount());
    }

    private static double measure(
            String name,
            int seconds,
            List<ClassifiedRequest> requests,
            java.util.function.Consumer<ClassifiedRequest> step) {
        long warmupEnd = System.nanoTime() + 2_000_000_000L;
        int i = 0;
        while (System.nanoTime() < warmupEnd) {
            step.accept(requests.get(i++ % requests.size()));
        }
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long n = 0;
        while (System.nanoTime() < end) {
            step.accept(requests.get((int) (n++ % requests.size())));
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "%-62s %,12.0f decisions/s  (%.2f µs each)%n", name, rate, 1e6 / rate);
        return rate;
    }
}
