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
import java.util.concurrent.TimeUnit;

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
            HttpClient http = HttpClient.newBuilder().build();
            URI uri = URI.create(server.getURL() + "/v1/chat/completions");
            run(http, uri, pipeline, 50, 3, "warm-up");
            for (int rate : new int[] {100, 500}) {
                run(http, uri, pipeline, rate, seconds, "measured");
            }
        }
        System.exit(0);
    }

    private static void run(HttpClient http, URI uri, ScriptedPipeline pipeline, int rate, int seconds, String label)
            throws Exception {
        Map<String, long[]> sentReceived = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        int total = rate * seconds;
        String body =
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarize: the build is green.\"}]}";
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
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
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        double achieved = total / ((System.nanoTime() - start) / 1e9);
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
                "gateway overhead at %d req/s (achieved %.0f, %d answered of %d): in p50 %d ms p99 %d ms | out p50 %d ms p99 %d ms%n",
                rate, achieved, in.size(), total, pct(in, 50), pct(in, 99), pct(out, 50), pct(out, 99));
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
