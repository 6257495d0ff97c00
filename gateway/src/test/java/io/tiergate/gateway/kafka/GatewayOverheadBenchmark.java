package io.tiergate.gateway.kafka;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tiergate.testkit.TestBrokers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The gateway's own overhead (docs/benchmarks.md, "Gateway"), open loop at 100 and 500 req/s: a
 * gateway on the in-JVM broker, a {@link ScriptedPipeline} answering every request at once.
 *
 * <ul>
 *   <li><b>in</b>: HTTP request sent by the client → the request record's timestamp (set by the
 *       gateway's producer when it sends);
 *   <li><b>out</b>: the result record's timestamp (acknowledged by the broker) → the HTTP response in
 *       the client's hands (includes the gateway's fetch of the result, read_committed).
 * </ul>
 * Both in milliseconds (record timestamps are ms), same JVM and clock. Not a test: run with
 * {@code ./mvnw -q -B -o -pl gateway -am test-compile} and then
 * {@code java -cp "$(cat gateway/target/test-classpath.txt)" io.tiergate.gateway.kafka.GatewayOverheadBenchmark}
 * (see docs/benchmarks.md for the exact command).
 */
public final class GatewayOverheadBenchmark {

    private GatewayOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String registry = "mock://gateway-bench";
        String bootstrap = TestBrokers.shared().bootstrapServers();
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 6);
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                        "kafka.bootstrap.servers",
                        bootstrap,
                        "tiergate.schema-registry-url",
                        registry,
                        "micronaut.server.port",
                        "-1",
                        "tiergate.gateway.require-key",
                        "false",
                        "tiergate.gateway.default-cost-center",
                        "bench" + suffix));
                EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
                ScriptedPipeline pipeline = new ScriptedPipeline(bootstrap, registry, suffix)) {
            // HTTP/1.1 as the gateway speaks it (the default client would offer an h2c upgrade on every new
            // connection), with its own threads for the answers so the sending loop keeps its schedule
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(4))
                    .build();
            URI uri = URI.create(server.getURL() + "/v1/chat/completions");
            run(http, uri, pipeline, 50, 3, "warm-up");
            for (int rate : new int[] {100, 500}) {
                run(http, uri, pipeline, rate, seconds, "measured");
            }
        }
        System.exit(0);
    }

    /** Threads that send on the schedule: each takes every {@code SENDERS}-th slot, so one slow send delays no other. */
    private static final int SENDERS = 4;

    private static void run(HttpClient http, URI uri, ScriptedPipeline pipeline, int rate, int seconds, String label)
            throws Exception {
        Map<String, long[]> sentReceived = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> calls = Collections.synchronizedList(new ArrayList<>());
        List<Long> lagMs = Collections.synchronizedList(new ArrayList<>());
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        int total = rate * seconds;
        String body =
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarize: the build is green.\"}]}";
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        long start = System.nanoTime();
        List<Future<?>> loops = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int first = s;
            loops.add(senders.submit(() -> {
                for (int i = first; i < total; i += SENDERS) {
                    long due = start + i * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    // how late the send is against its open-loop schedule
                    lagMs.add(TimeUnit.NANOSECONDS.toMillis(Math.max(0, System.nanoTime() - due)));
                    long sentAt = System.currentTimeMillis();
                    calls.add(http.sendAsync(
                                    HttpRequest.newBuilder(uri)
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .thenAccept(r -> {
                                long receivedAt = System.currentTimeMillis();
                                r.headers()
                                        .firstValue("x-tiergate-request-id")
                                        .ifPresent(id -> sentReceived.put(id, new long[] {sentAt, receivedAt}));
                            }));
                }
            }));
        }
        for (Future<?> loop : loops) {
            loop.get(120, TimeUnit.SECONDS);
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        senders.shutdown();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        double allSeconds = (System.nanoTime() - start) / 1e9;
        List<Long> in = new ArrayList<>();
        List<Long> out = new ArrayList<>();
        sentReceived.forEach((id, t) -> {
            Long requestTs = pipeline.requestTimestamps.get(id);
            Long resultTs = pipeline.resultTimestamps.get(id);
            if (requestTs != null && resultTs != null) {
                in.add(requestTs - t[0]);
                out.add(t[1] - resultTs);
            }
        });
        if (!label.equals("measured")) {
            return;
        }
        System.out.printf(
                "gateway overhead at %d req/s (sent at %.0f req/s, send lag p50 %d ms p99 %d ms; all answered after %.1f s;"
                        + " %d answered of %d): in p50 %d ms p99 %d ms | out p50 %d ms p99 %d ms%n",
                rate,
                total / sendSeconds,
                pct(lagMs, 50),
                pct(lagMs, 99),
                allSeconds,
                in.size(),
                total,
                pct(in, 50),
                pct(in, 99),
                pct(out, 50),
                pct(out, 99));
    }

    private static long pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
