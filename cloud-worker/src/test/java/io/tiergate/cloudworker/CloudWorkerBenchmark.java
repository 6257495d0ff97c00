package io.tiergate.cloudworker;

import io.tiergate.cloudworker.testing.IsolatedCluster;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.testkit.KafkaBroker;
import io.tiergate.testkit.TestBrokers;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.kafka.TopicReader;
import io.tiergate.worker.testing.FakeProvider;
import io.tiergate.worker.testing.FakeProvider.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Cloud-worker throughput with 1, 2 and 4 instances in one consumer group, against the local fake
 * provider (OpenAI-compatible, streamed answers with a usage chunk, a fixed per-call latency), on a
 * real in-JVM broker. Not a test. Command and numbers: docs/benchmarks/cloud-worker.md.
 *
 * <p>Args (all optional): requests per run (2000), provider latency ms (100), max in flight per
 * instance (16), partitions (12).
 */
public final class CloudWorkerBenchmark {

    private CloudWorkerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int maxInFlight = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        KafkaBroker broker = TestBrokers.shared();
        System.out.printf(
                Locale.ROOT,
                "broker: %s; %d requests/run, provider latency %d ms, %d in flight/instance, %d partitions, %d cores%n",
                broker.description(),
                requests,
                latencyMs,
                maxInFlight,
                partitions,
                Runtime.getRuntime().availableProcessors());
        System.out.println(
                "instances | seconds | requests/s | results | cost events | duplicates | ceiling (instances x in-flight / latency)");
        run(broker, 1, 200, latencyMs, maxInFlight, partitions, false); // warm-up (JIT, registry, group coordinator)
        for (int instances : List.of(1, 2, 4)) {
            run(broker, instances, requests, latencyMs, maxInFlight, partitions, true);
        }
        System.exit(0);
    }

    private static void run(
            KafkaBroker broker, int instances, int n, int latencyMs, int maxInFlight, int partitions, boolean print)
            throws Exception {
        try (FakeProvider provider = new FakeProvider();
                IsolatedCluster cluster = new IsolatedCluster(broker.bootstrapServers(), partitions)) {
            provider.otherwise(
                    r -> Reply.sse("openai/chat-completion-stream.sse").delay(Duration.ofMillis(latencyMs)));
            for (int i = 0; i < n; i++) {
                cluster.send(Fixtures.cloud("bench-" + i, TaskType.BOILERPLATE, "deepseek/deepseek-chat", List.of()));
            }
            cluster.flush();
            try (TopicReader<InferenceResult> results = cluster.reader(cluster.results);
                    TopicReader<CostEvent> costs = cluster.reader(cluster.costs)) {
                long start = System.nanoTime();
                for (int i = 0; i < instances; i++) {
                    cluster.start("bench-" + i, cluster.handler(provider.baseUrl(), true), maxInFlight);
                }
                long deadline = start + Duration.ofMinutes(5).toNanos();
                long firstResult = 0;
                while (results.poll().size() < n && System.nanoTime() < deadline) {
                    if (firstResult == 0 && !results.poll().isEmpty()) {
                        firstResult = System.nanoTime();
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                List<InferenceResult> all = results.poll();
                long distinct = all.stream()
                        .map(InferenceResult::getRequestId)
                        .distinct()
                        .count();
                long costDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (costs.poll().size() < n && System.nanoTime() < costDeadline) {
                    // cost events commit with their results; drain them
                }
                int costEvents = costs.poll().size();
                if (print) {
                    System.out.printf(
                            Locale.ROOT,
                            "  (first result after %.2f s: group join + first calls)%n",
                            (firstResult - start) / 1e9);
                }
                if (print) {
                    System.out.printf(
                            Locale.ROOT,
                            "%9d | %7.2f | %10.1f | %7d | %11d | %10d | %.0f/s%n",
                            instances,
                            seconds,
                            all.size() / seconds,
                            all.size(),
                            costEvents,
                            all.size() - distinct,
                            instances * maxInFlight * 1000.0 / latencyMs);
                }
            }
        }
    }
}
