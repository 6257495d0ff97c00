package io.tiergate.ledger.kafka;

import static org.awaitility.Awaitility.await;

import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.metrics.LedgerMetrics;
import io.tiergate.ledger.support.CostEvents;
import io.tiergate.ledger.windows.WindowTotals;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.KafkaBroker;
import io.tiergate.testkit.TestBrokers;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Ledger throughput with exactly-once on, on a real broker (in-JVM KRaft, its own, co-located on
 * this machine): N cost events (5 cost centers × 9 task types × 6 models, 20 % cloud, 3 %
 * redelivered) are produced first, then the ledger topology (RocksDB stores, exactly_once_v2,
 * commit.interval.ms 100) starts and consumes them; the clock stops when the global scope has
 * counted every unique event, and its total is checked against the sum produced, to the
 * nano-dollar. Not a test. Command and numbers: docs/benchmarks/ledger-streams.md.
 *
 * <p>Arguments: [events=100000] [stream threads=1] [partitions=3] [guarantee=exactly_once_v2|at_least_once]
 */
public final class LedgerStreamsBenchmark {

    private static final String[] COST_CENTERS = {
        "support-bot", "ci-agents", "data-pipeline", "docs-team", "platform-eng"
    };
    private static final String[] CLOUD_MODELS = {
        "anthropic/claude-haiku-4.5",
        "anthropic/claude-sonnet-4.6",
        "anthropic/claude-opus-4.6",
        "deepseek/deepseek-chat"
    };
    private static final String[] LOCAL_MODELS = {"qwen3:8b", "llama3.1:8b"};

    private LedgerStreamsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String guarantee = args.length > 3 ? args[3] : StreamsConfig.EXACTLY_ONCE_V2;
        String registry = "mock://ledger-benchmark";

        try (KafkaBroker broker = TestBrokers.startNew()) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
                new TopicProvisioner(admin, topic -> partitions, (short) 1).ensureAll();
                // a producer that starts while leaders are still being elected can lose its first batches
                // (out-of-order sequence on the fresh topic); wait for every leader first
                await("every inference.costs partition has a leader")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> admin
                                .describeTopics(List.of(Topics.INFERENCE_COSTS.name()))
                                .allTopicNames()
                                .get()
                                .get(Topics.INFERENCE_COSTS.name())
                                .partitions()
                                .stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            }

            // 1. the input, produced up front
            long produceStart = System.nanoTime();
            ProduceResult produced = produce(bootstrap, registry, events);
            double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

            // 2. the ledger, from an empty state, until it has counted everything
            Path stateDir = Files.createTempDirectory("ledger-benchmark-state");
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ledger-benchmark");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
            props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            StreamsBuilder builder = new StreamsBuilder();
            new LedgerTopology(
                            LedgerSettings.defaults(),
                            Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry),
                            LedgerMetrics.none())
                    .build(builder);
            long start = System.nanoTime();
            try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
                streams.start();
                await("the ledger running")
                        .atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
                double runningAfter = (System.nanoTime() - start) / 1e9;
                AtomicReference<ScopeSpend> counted = new AtomicReference<>();
                AtomicLong lastReport = new AtomicLong(System.nanoTime());
                try {
                    await("everything counted")
                            .atMost(Duration.ofMinutes(10))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> {
                                ScopeSpend now = globalSpend(streams);
                                counted.set(now);
                                if (System.nanoTime() - lastReport.get() > 5_000_000_000L) {
                                    lastReport.set(System.nanoTime());
                                    System.err.printf(
                                            Locale.ROOT,
                                            "%.0f s: %s, counted %d of %d%n",
                                            (lastReport.get() - start) / 1e9,
                                            streams.state(),
                                            now == null ? 0 : now.lifetimeEvents(),
                                            produced.unique);
                                }
                                return now != null && now.lifetimeEvents() >= produced.unique;
                            });
                } catch (ConditionTimeoutException e) {
                    diagnose(streams);
                    throw new IllegalStateException("Not everything counted after 10 minutes", e);
                }
                ScopeSpend global = counted.get();
                double seconds = (System.nanoTime() - start) / 1e9;
                double processing = seconds - runningAfter;
                boolean exact = global.lifetimeAllTiers().compareTo(produced.total) == 0
                        && global.lifetimeEvents() == produced.unique;
                System.out.printf(
                        Locale.ROOT,
                        "{\"benchmark\":\"ledger-streams\",\"guarantee\":\"%s\",\"threads\":%d,\"partitions\":%d,"
                                + "\"records\":%d,\"uniqueEvents\":%d,\"produceSeconds\":%.2f,\"secondsToRunning\":%.2f,"
                                + "\"secondsTotal\":%.2f,\"recordsPerSecond\":%.0f,\"recordsPerSecondAfterRunning\":%.0f,"
                                + "\"totalUsd\":\"%s\",\"exact\":%s}%n",
                        guarantee,
                        threads,
                        partitions,
                        produced.records,
                        produced.unique,
                        produceSeconds,
                        runningAfter,
                        seconds,
                        produced.records / seconds,
                        produced.records / processing,
                        global.lifetimeAllTiers().toPlainString(),
                        exact);
                if (!exact) {
                    throw new IllegalStateException(
                            "Totals differ: ledger " + global.lifetimeAllTiers() + " vs produced " + produced.total);
                }
            }
        }
    }

    private record ProduceResult(long records, long unique, BigDecimal total) {}

    private static ProduceResult produce(String bootstrap, String registry, int events) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 131_072);
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, registry);
        AvroSerializer<CostEvent> values = new AvroSerializer<>();
        values.configure(config, false);
        Random random = new Random(42);
        Instant base = Instant.now().minus(Duration.ofHours(1));
        long spreadMs = Duration.ofHours(1).toMillis();
        long records = 0;
        // what the broker acknowledged: the expected totals count only those
        ConcurrentHashMap<String, BigDecimal> acked = new ConcurrentHashMap<>();
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, CostEvent> producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
            for (int i = 0; i < events; i++) {
                boolean cloud = random.nextInt(5) == 0;
                CostEvent event = CostEvents.cost("bench-" + i)
                        .attempt(1)
                        .costCenter(COST_CENTERS[random.nextInt(COST_CENTERS.length)])
                        .taskType(TaskType.values()[random.nextInt(9)])
                        .tier(cloud ? Tier.CLOUD : Tier.LOCAL)
                        .model(
                                cloud
                                        ? CLOUD_MODELS[random.nextInt(CLOUD_MODELS.length)]
                                        : LOCAL_MODELS[random.nextInt(LOCAL_MODELS.length)])
                        .reason(random.nextInt(20) == 0 ? CostReason.ESCALATION : CostReason.PRIMARY)
                        .usd(BigDecimal.valueOf(
                                cloud ? 1_000 + random.nextInt(5_000_000) : 10 + random.nextInt(100_000), Money.SCALE))
                        .tokens(200 + random.nextInt(4000), 50 + random.nextInt(800))
                        .latencyMs(100 + random.nextInt(5000))
                        .at(base.plusMillis(i * spreadMs / events))
                        .build();
                ProducerRecord<String, CostEvent> record = new ProducerRecord<>(
                        Topics.INFERENCE_COSTS.name(),
                        null,
                        event.getOccurredAt().toEpochMilli(),
                        event.getRequestId(),
                        event);
                int copies = random.nextInt(100) < 3 ? 2 : 1; // 3 % redelivered
                for (int copy = 0; copy < copies; copy++) {
                    producer.send(record, (metadata, error) -> {
                        if (error == null) {
                            acked.put(event.getRequestId(), event.getCostUsd());
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                    records++;
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            System.err.println(failed.get() + " sends failed; expected totals count the acknowledged events only");
        }
        BigDecimal total = acked.values().stream().reduce(Money.ZERO, Money::sum);
        return new ProduceResult(records - failed.get(), acked.size(), total);
    }

    /** Where did events go? Per-scope counts in each store. */
    private static void diagnose(KafkaStreams streams) {
        ReadOnlyKeyValueStore<String, ScopeSpend> spend = streams.store(
                StoreQueryParameters.fromNameAndType(LedgerStores.SCOPE_SPEND, QueryableStoreTypes.keyValueStore()));
        spend.all()
                .forEachRemaining(
                        e -> System.err.println("scope-spend " + e.key + " events=" + e.value.lifetimeEvents()));
        ReadOnlyKeyValueStore<String, WindowTotals> dims = streams.store(StoreQueryParameters.fromNameAndType(
                LedgerStores.SPEND_BY_DIMENSION, QueryableStoreTypes.keyValueStore()));
        Map<String, Long> perScope = new TreeMap<>();
        dims.all().forEachRemaining(e -> perScope.merge(e.value.scope(), e.value.requestCount(), Long::sum));
        perScope.forEach((scope, count) -> System.err.println("spend-by-dimension " + scope + " events=" + count));
    }

    private static ScopeSpend globalSpend(KafkaStreams streams) {
        try {
            ReadOnlyKeyValueStore<String, ScopeSpend> spend = streams.store(StoreQueryParameters.fromNameAndType(
                    LedgerStores.SCOPE_SPEND, QueryableStoreTypes.keyValueStore()));
            return spend.get(Topics.GLOBAL_SCOPE);
        } catch (RuntimeException notQueryableYet) {
            return null;
        }
    }
}
