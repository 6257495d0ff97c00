package io.tiergate.cli.bench;

import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.kafka.LedgerStores;
import io.tiergate.ledger.kafka.LedgerStreamsDefaults;
import io.tiergate.ledger.kafka.LedgerTopology;
import io.tiergate.ledger.metrics.LedgerMetrics;
import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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

/**
 * Ledger throughput on a real broker: N cost events (5 cost centers × 9 task types × 6 models, 20 %
 * cloud, 5 % escalations, 3 % sent twice as redeliveries, event times spread over the last hour)
 * are produced first, then the real ledger topology ({@link LedgerTopology}, RocksDB stores, the
 * production streams settings) starts from an empty state and consumes them. The clock stops when
 * the global scope has counted every unique event; its total must equal the sum the broker
 * acknowledged to the nano-dollar ({@link Result#exact()}). Command and numbers:
 * docs/benchmarks/ledger-streams.md.
 */
public final class LedgerBench {

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
    private static final String REGISTRY = "mock://ledger-bench";
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * @param commitIntervalMs the Streams commit interval: with exactly-once, outputs (budget.status,
     *     cost.windows) become visible to read_committed readers only at a commit
     */
    public record Options(int events, String guarantee, int threads, int partitions, long commitIntervalMs) {}

    /**
     * @param records input records produced (redeliveries included), acknowledged by the broker
     * @param events unique cost events among them
     * @param secondsToRunning from start() to RUNNING (not part of the rate)
     * @param seconds from RUNNING to the last event counted
     * @param exact the global total equals the produced total to the nano-dollar, and every unique
     *     event counted exactly once
     */
    public record Result(
            Options options,
            long records,
            long events,
            double produceSeconds,
            double secondsToRunning,
            double seconds,
            BigDecimal producedUsd,
            BigDecimal countedUsd,
            long countedEvents,
            boolean exact) {

        public double eventsPerSecond() {
            return events / seconds;
        }

        public double recordsPerSecond() {
            return records / seconds;
        }
    }

    private final String bootstrap;
    private final Options options;
    private final PrintStream progress;

    public LedgerBench(String bootstrap, Options options, PrintStream progress) {
        this.bootstrap = bootstrap;
        this.options = options;
        this.progress = progress;
    }

    /** Produces the input, runs the ledger until it has counted it, and checks the totals. */
    public Result run(Duration timeout) throws InterruptedException {
        provisionTopics();
        progress.printf(Locale.ROOT, "[bench] producing %d cost events ...%n", options.events());
        long produceStart = System.nanoTime();
        Produced produced = produce();
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
        progress.printf(
                Locale.ROOT,
                "[bench] produced %d records (%d unique events) in %.1f s; starting the ledger (%s, %d thread(s), commit"
                        + " every %d ms) ...%n",
                produced.records,
                produced.unique,
                produceSeconds,
                options.guarantee(),
                options.threads(),
                options.commitIntervalMs());

        Path stateDir = tempDir();
        try {
            StreamsBuilder builder = new StreamsBuilder();
            new LedgerTopology(
                            LedgerSettings.defaults(),
                            Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY),
                            LedgerMetrics.none())
                    .build(builder);
            long start = System.nanoTime();
            try (KafkaStreams streams = new KafkaStreams(builder.build(), streamsConfig(stateDir))) {
                streams.start();
                long deadline = start + timeout.toNanos();
                while (streams.state() != KafkaStreams.State.RUNNING) {
                    checkAlive(streams, deadline, "RUNNING");
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                long running = System.nanoTime();
                long lastReport = running;
                ScopeSpend global = globalSpend(streams);
                while (global == null || global.lifetimeEvents() < produced.unique) {
                    checkAlive(streams, deadline, "every event counted");
                    TimeUnit.MILLISECONDS.sleep(50);
                    global = globalSpend(streams);
                    if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS) {
                        lastReport = System.nanoTime();
                        progress.printf(
                                Locale.ROOT,
                                "[bench] %.0f s: counted %d of %d%n",
                                (lastReport - running) / 1e9,
                                global == null ? 0 : global.lifetimeEvents(),
                                produced.unique);
                    }
                }
                double seconds = (System.nanoTime() - running) / 1e9;
                boolean exact = global.lifetimeAllTiers().compareTo(produced.total) == 0
                        && global.lifetimeEvents() == produced.unique;
                return new Result(
                        options,
                        produced.records,
                        produced.unique,
                        produceSeconds,
                        (running - start) / 1e9,
                        seconds,
                        produced.total,
                        global.lifetimeAllTiers(),
                        global.lifetimeEvents(),
                        exact);
            }
        } finally {
            deleteRecursively(stateDir);
        }
    }

    /** The ledger's production settings ({@link LedgerStreamsDefaults}), with the options applied. */
    private Properties streamsConfig(Path stateDir) {
        Properties props = new Properties();
        props.putAll(LedgerStreamsDefaults.settings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ledger-bench-" + System.currentTimeMillis());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, options.guarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.threads());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, options.commitIntervalMs());
        return props;
    }

    private void provisionTopics() throws InterruptedException {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            new TopicProvisioner(admin, topic -> options.partitions(), (short) 1).ensureAll();
            // a producer that starts while leaders are still being elected can lose its first batches
            // (out-of-order sequence on a fresh topic): wait for every leader first
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!leadersElected(admin)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(Topics.INFERENCE_COSTS.name() + " has no leader after 30 s");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    private static boolean leadersElected(Admin admin) throws InterruptedException {
        try {
            return admin
                    .describeTopics(List.of(Topics.INFERENCE_COSTS.name()))
                    .allTopicNames()
                    .get()
                    .get(Topics.INFERENCE_COSTS.name())
                    .partitions()
                    .stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException notYet) {
            return false;
        }
    }

    private record Produced(long records, long unique, BigDecimal total) {}

    private Produced produce() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 131_072);
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY);
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
            for (int i = 0; i < options.events(); i++) {
                CostEvent event = randomEvent(random, "bench-" + i, base.plusMillis(i * spreadMs / options.events()));
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
            progress.println("[bench] " + failed.get()
                    + " sends failed; the expected totals count the acknowledged events only");
        }
        BigDecimal total = acked.values().stream().reduce(Money.ZERO, Money::sum);
        return new Produced(records - failed.get(), acked.size(), total);
    }

    private static CostEvent randomEvent(Random random, String requestId, Instant occurredAt) {
        boolean cloud = random.nextInt(5) == 0;
        TaskType taskType = TaskType.values()[random.nextInt(9)];
        String model = cloud
                ? CLOUD_MODELS[random.nextInt(CLOUD_MODELS.length)]
                : LOCAL_MODELS[random.nextInt(LOCAL_MODELS.length)];
        BigDecimal costUsd = Money.usd(BigDecimal.valueOf(
                cloud ? 1_000 + random.nextInt(5_000_000) : 10 + random.nextInt(100_000), Money.SCALE));
        return CostEvent.newBuilder()
                .setRequestId(requestId)
                .setAttempt(1)
                .setCostCenter(COST_CENTERS[random.nextInt(COST_CENTERS.length)])
                .setTaskType(taskType)
                .setTier(cloud ? Tier.CLOUD : Tier.LOCAL)
                .setModel(model)
                .setProvider(cloud ? "openrouter" : "ollama")
                .setReason(random.nextInt(20) == 0 ? CostReason.ESCALATION : CostReason.PRIMARY)
                .setInputTokens(200 + random.nextInt(4000))
                .setOutputTokens(50 + random.nextInt(800))
                .setCostUsd(costUsd)
                .setBreakdown(CostBreakdown.newBuilder()
                        .setSource(cloud ? CostSource.PRICE_TABLE : CostSource.LOCAL_TCO)
                        .setInputUsd(costUsd)
                        .setOutputUsd(Money.ZERO)
                        .setCachedReadUsd(Money.ZERO)
                        .setCacheWriteUsd(Money.ZERO)
                        .setEnergyUsd(Money.ZERO)
                        .setDepreciationUsd(Money.ZERO)
                        .setMaintenanceUsd(Money.ZERO)
                        .build())
                .setLatencyMs(100 + random.nextInt(5000))
                .setOccurredAt(occurredAt)
                .build();
    }

    private static void checkAlive(KafkaStreams streams, long deadline, String waitingFor) {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR
                || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING) {
            throw new IllegalStateException("The ledger stopped (" + state + ") before " + waitingFor);
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Timed out waiting for " + waitingFor + "; the ledger is " + state);
        }
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

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tiergate-ledger-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
