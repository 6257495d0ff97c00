package io.tiergate.router.bench;

import io.micronaut.context.ApplicationContext;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.router.Fixtures;
import io.tiergate.router.kafka.RouterNode;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * End-to-end router numbers on the real (in-JVM KRaft) broker, one router instance: from a
 * {@code ClassifiedRequest} produced to {@code inference.classified} to its record on a tier topic
 * (intake → routing.by-cost-center → decider → tier + audit, every send acks=all, offsets committed
 * after the sends). Phase 1: throughput of a burst. Phase 2: latency p50/p99 at a steady rate.
 * Not a test. Run: see docs/benchmarks/router-service.md.
 */
public final class RouterBenchmark {

    private RouterBenchmark() {}

    public static void main(String[] args) throws Exception {
        int burst = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        String bootstrap = TestBrokers.shared().bootstrapServers();
        String registry = "mock://router-benchmark";
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "kafka.bootstrap.servers",
                bootstrap,
                "tiergate.schema-registry-url",
                registry,
                "micronaut.server.port",
                "-1"))) {
            RouterNode node = ctx.getBean(RouterNode.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (node.ownedPartitions().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50); // harness start-up only; not a test
            }
            EventPublisher publisher = ctx.getBean(EventPublisher.class);
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Map<String, Long> routedAt = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread tail = tierTail(bootstrap, registry, routedAt, running);
            Random random = new Random(7);

            // warm-up
            send(publisher, "warm", 2_000, sentAt, random);
            awaitAll("warm", 2_000, routedAt);

            // 1. burst throughput
            long t0 = System.nanoTime();
            send(publisher, "burst", burst, sentAt, random);
            long produced = System.nanoTime();
            awaitAll("burst", burst, routedAt);
            long t1 = System.nanoTime();
            double throughput = burst / ((t1 - t0) / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "burst: %,d requests produced in %.2f s, all on tier topics after %.2f s → %,.0f decisions/s%n",
                    burst,
                    (produced - t0) / 1e9,
                    (t1 - t0) / 1e9,
                    throughput);

            // 2. latency at a steady rate
            int total = rate * seconds;
            long intervalNanos = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                String id = "steady-" + i;
                sentAt.put(id, System.nanoTime());
                publisher.send(Topics.INFERENCE_CLASSIFIED, id, request(id, random));
            }
            awaitAll("steady", total, routedAt);
            long[] lat = new long[total];
            for (int i = 0; i < total; i++) {
                String id = "steady-" + i;
                lat[i] = routedAt.get(id) - sentAt.get(id);
            }
            Arrays.sort(lat);
            System.out.printf(
                    Locale.ROOT,
                    "steady %d/s for %d s (%,d requests): classified→tier latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    rate,
                    seconds,
                    total,
                    lat[total / 2] / 1e6,
                    lat[(int) (total * 0.99)] / 1e6,
                    lat[total - 1] / 1e6);
            for (int h = 0; h < 4; h++) {
                final int hop = h;
                long[] v = HOPS.stream().mapToLong(x -> x[hop]).sorted().toArray();
                System.out.printf(
                        Locale.ROOT,
                        "  hop %s: p50 %d ms, p99 %d ms%n",
                        List.of(
                                        "classified → re-keyed (intake)",
                                        "re-keyed → decided (decider)",
                                        "decided → tier record written",
                                        "tier record → read by a consumer")
                                .get(h),
                        v[v.length / 2],
                        v[(int) (v.length * 0.99)]);
            }
            System.out.printf(
                    Locale.ROOT,
                    "RESULT burst=%.0f/s p50=%.1fms p99=%.1fms%n",
                    throughput,
                    lat[total / 2] / 1e6,
                    lat[(int) (total * 0.99)] / 1e6);
            running.set(false);
            tail.join(5000);
        }
        System.exit(0);
    }

    private static ClassifiedRequest request(String id, Random random) {
        TaskType[] types = TaskType.values();
        return Fixtures.req()
                .id(id)
                .costCenter("team-" + random.nextInt(32))
                .type(types[random.nextInt(types.length)])
                .sovereign(random.nextInt(10) == 0)
                .complexity(random.nextDouble())
                .tokens(100 + random.nextInt(8000))
                .build();
    }

    private static void send(EventPublisher publisher, String prefix, int n, Map<String, Long> sentAt, Random random)
            throws Exception {
        List<CompletableFuture<?>> sends = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            sentAt.put(id, System.nanoTime());
            sends.add(publisher.send(Topics.INFERENCE_CLASSIFIED, id, request(id, random)));
        }
        CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
    }

    private static final Map<String, AtomicLong> ROUTED_BY_PHASE = new ConcurrentHashMap<>();

    private static void awaitAll(String prefix, int n, Map<String, Long> routedAt) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        AtomicLong seen = ROUTED_BY_PHASE.computeIfAbsent(prefix, k -> new AtomicLong());
        while (System.nanoTime() < deadline) {
            if (seen.get() >= n) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("Not all " + prefix + " requests were routed (" + seen.get() + " of " + n + ", "
                + routedAt.size() + " in total)");
    }

    // Notes when each request id first appears on a tier topic (keys only: no decoding on the clock).
    /** Steady phase only, ms: [re-keyed − classified, decided − re-keyed, tier record written − decided, read − written]. */
    private static final List<long[]> HOPS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final Map<String, Long> REKEYED_AT = new ConcurrentHashMap<>();

    private static Thread tierTail(
            String bootstrap, String registry, Map<String, Long> routedAt, AtomicBoolean running) {
        io.tiergate.schemas.serde.AvroDeserializer<io.tiergate.schemas.events.RoutedRequest> decoder =
                new io.tiergate.schemas.serde.AvroDeserializer<>();
        decoder.configure(
                Map.of(
                        io.tiergate.schemas.serde.SerdeConfig.SCHEMA_REGISTRY_URL,
                        registry,
                        io.tiergate.schemas.serde.SerdeConfig.VALUE_TYPE,
                        io.tiergate.schemas.events.RoutedRequest.class),
                false);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        io.tiergate.schemas.serde.AvroDeserializer<ClassifiedRequest> classifiedDecoder =
                new io.tiergate.schemas.serde.AvroDeserializer<>();
        classifiedDecoder.configure(
                Map.of(
                        io.tiergate.schemas.serde.SerdeConfig.SCHEMA_REGISTRY_URL,
                        registry,
                        io.tiergate.schemas.serde.SerdeConfig.VALUE_TYPE,
                        ClassifiedRequest.class),
                false);
        for (String t :
                List.of(Topics.TIER_LOCAL.name(), Topics.TIER_CLOUD.name(), Topics.ROUTING_BY_COST_CENTER.name())) {
            consumer.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        AtomicLong n = new AtomicLong();
        Thread t = new Thread(
                () -> {
                    try (consumer) {
                        while (running.get()) {
                            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                                if (r.topic().equals(Topics.ROUTING_BY_COST_CENTER.name())) {
                                    ClassifiedRequest c = classifiedDecoder.deserialize(r.topic(), r.value());
                                    if (c.getRequest().getRequestId().startsWith("steady-")) {
                                        REKEYED_AT.put(c.getRequest().getRequestId(), r.timestamp());
                                    }
                                    continue;
                                }
                                if (routedAt.putIfAbsent(r.key(), System.nanoTime()) == null) {
                                    String phase = r.key().substring(0, r.key().indexOf('-'));
                                    if (phase.equals("steady")) {
                                        long now = System.currentTimeMillis();
                                        var routed = decoder.deserialize(r.topic(), r.value());
                                        long classified = routed.getClassified()
                                                .getClassifiedAt()
                                                .toEpochMilli();
                                        long decided = routed.getDecision()
                                                .getDecidedAt()
                                                .toEpochMilli();
                                        long rekeyed = REKEYED_AT.getOrDefault(r.key(), decided);
                                        HOPS.add(new long[] {
                                            rekeyed - classified,
                                            decided - rekeyed,
                                            r.timestamp() - decided,
                                            now - r.timestamp()
                                        });
                                    }
                                    ROUTED_BY_PHASE
                                            .computeIfAbsent(phase, k -> new AtomicLong())
                                            .incrementAndGet();
                                }
                                n.incrementAndGet();
                            }
                        }
                    }
                },
                "tier-tail");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
