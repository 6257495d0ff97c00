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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
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
 * Ledger throughput on a real broker: cost events (5 cost centers × 9 task types × 6 models, 20 %
 * cloud, 5 % escalations, 3 % sent twice as redeliveries, event times spread over the last hour)
 * through the real ledger topology ({@link LedgerTopology}, RocksDB stores, the production streams
 * settings of {@link LedgerStreamsDefaults}) from an empty state. First the warm-up events are
 * produced and counted (unmeasured: the JIT compiles the hot path), then the measured events are
 * produced while the ledger runs; the clock stops when the global scope has counted the last. Its
 * total must equal the sum the broker acknowledged to the nano-dollar ({@link Result#exact()}).
 * Command and numbers: docs/benchmarks/ledger-streams.md.
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
    private static final String APPLICATION_ID = "ledger-bench";
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * @param events unique cost events measured
     * @param warmupEvents unique cost events the ledger counts first, unmeasured: the JIT compiles
     *     the hot path meanwhile (a cold JVM spends more CPU compiling than counting)
     * @param commitIntervalMs the Streams commit interval: with exactly-once, outputs (budget.status,
     *     cost.windows) become visible to read_committed readers only at a commit
     */
    public record Options(
            int events, int warmupEvents, String guarantee, int threads, int partitions, long commitIntervalMs) {}

    /**
     * @param records input records of the measured events (redeliveries included) the broker acknowledged
     * @param events unique cost events among them
     * @param secondsToRunning from start() to RUNNING (not part of the rate)
     * @param warmupSeconds from RUNNING to the warm-up events counted (not part of the rate)
     * @param seconds from the first measured event produced to the last counted
     * @param streamThreadCpuSeconds CPU time of the stream threads in those seconds: on a shared
     *     machine, events per stream-thread CPU second says what one thread does with a core of its
     *     own (waits on the broker not included)
     * @param processCpuSeconds CPU time of this JVM in those seconds (the ledger's threads, its and the
     *     input producer's network threads, GC, JIT; not the broker, which runs in its own process)
     * @param runQueueWaitSeconds summed over this JVM's threads: time ready to run but waiting for a
     *     core (other processes on the machine, or this JVM's own threads); 0 where Linux schedstat is missing
     * @param streamThreadRunQueueWaitSeconds the same for the stream threads alone: with one thread,
     *     seconds - its CPU - this = the time it waited on something else (broker, commits, polls)
     * @param compilerCpuSeconds CPU time of the JIT compiler threads in those seconds: what the
     *     warm-up left to compile, taken from the same two cores (0 where Linux /proc is missing)
     * @param gcCpuSeconds CPU time of the garbage collector's threads in those seconds (0 likewise)
     * @param loadAverageAtStart the machine's 1-minute load average when the measurement started
     * @param exact the global total equals the produced total (warm-up included) to the nano-dollar,
     *     and every unique event counted exactly once
     */
    public record Result(
            Options options,
            long records,
            long events,
            double secondsToRunning,
            double warmupSeconds,
            double seconds,
            double streamThreadCpuSeconds,
            double processCpuSeconds,
            double runQueueWaitSeconds,
            double streamThreadRunQueueWaitSeconds,
            double compilerCpuSeconds,
            double gcCpuSeconds,
            double loadAverageAtStart,
            double loadAverageAtEnd,
            BigDecimal producedUsd,
            BigDecimal countedUsd,
            long countedEvents,
            boolean exact) {

        public double eventsPerSecond() {
            return events / seconds;
        }

        public double eventsPerStreamThreadCpuSecond() {
            return events / streamThreadCpuSeconds;
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

    /**
     * Warm-up events produced and counted, then the measured events produced while the ledger runs;
     * the clock stops when the last is counted. The totals are checked against what was produced.
     */
    public Result run(Duration timeout) throws InterruptedException {
        provisionTopics();
        Path stateDir = tempDir();
        try (Input input = new Input(options.warmupEvents() + options.events())) {
            if (options.warmupEvents() > 0) {
                progress.printf(Locale.ROOT, "[bench] producing %d warm-up cost events ...%n", options.warmupEvents());
                input.send("warmup-", options.warmupEvents());
            }
            long warmupRecords = input.records();
            long warmupUnique = input.unique();
            StreamsBuilder builder = new StreamsBuilder();
            new LedgerTopology(
                            LedgerSettings.defaults(),
                            Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY),
                            LedgerMetrics.none())
                    .build(builder);
            progress.printf(
                    Locale.ROOT,
                    "[bench] starting the ledger (%s, %d stream thread(s), commit every %d ms) ...%n",
                    options.guarantee(),
                    options.threads(),
                    options.commitIntervalMs());
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            try (KafkaStreams streams = new KafkaStreams(builder.build(), streamsConfig(stateDir))) {
                streams.start();
                while (streams.state() != KafkaStreams.State.RUNNING) {
                    checkAlive(streams, deadline, "RUNNING");
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                long running = System.nanoTime();
                awaitCounted(streams, warmupUnique, deadline, "warm-up");
                long measuring = System.nanoTime();
                CpuTimes cpuBefore = CpuTimes.now();
                double loadAtStart = systemLoad();
                progress.printf(
                        Locale.ROOT,
                        "[bench] warm-up counted after %.1f s; producing %d cost events while the ledger runs ...%n",
                        (measuring - running) / 1e9,
                        options.events());
                input.send("bench-", options.events());
                ScopeSpend global = awaitCounted(streams, input.unique(), deadline, "measured");
                long end = System.nanoTime();
                CpuTimes cpu = CpuTimes.now().minus(cpuBefore);
                BigDecimal produced = input.total();
                boolean exact =
                        global.lifetimeAllTiers().compareTo(produced) == 0 && global.lifetimeEvents() == input.unique();
                return new Result(
                        options,
                        input.records() - warmupRecords,
                        input.unique() - warmupUnique,
                        (running - start) / 1e9,
                        (measuring - running) / 1e9,
                        (end - measuring) / 1e9,
                        cpu.streamThreadsSeconds(),
                        cpu.processSeconds(),
                        cpu.runQueueSeconds(),
                        cpu.streamRunQueueSeconds(),
                        cpu.compilerSeconds(),
                        cpu.gcSeconds(),
                        loadAtStart,
                        systemLoad(),
                        produced,
                        global.lifetimeAllTiers(),
                        global.lifetimeEvents(),
                        exact);
            }
        } finally {
            deleteRecursively(stateDir);
        }
    }

    /** Waits until the global scope has counted {@code events}; returns its spend then. */
    private ScopeSpend awaitCounted(KafkaStreams streams, long events, long deadline, String what)
            throws InterruptedException {
        long lastReport = System.nanoTime();
        ScopeSpend global = globalSpend(streams);
        while (global == null || global.lifetimeEvents() < events) {
            checkAlive(streams, deadline, "every " + what + " event counted");
            TimeUnit.MILLISECONDS.sleep(20);
            global = globalSpend(streams);
            if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS) {
                lastReport = System.nanoTime();
                progress.printf(
                        Locale.ROOT,
                        "[bench] counted %d of %d%n",
                        global == null ? 0 : global.lifetimeEvents(),
                        events);
            }
        }
        return global;
    }

    /** The ledger's production settings ({@link LedgerStreamsDefaults}), with the options applied. */
    private Properties streamsConfig(Path stateDir) {
        Properties props = new Properties();
        props.putAll(LedgerStreamsDefaults.settings());
        // every run has a broker of its own; the thread names start with it (see CpuTimes)
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
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

    /**
     * The cost events, produced as the real services do (acks=all, idempotent); what the broker
     * acknowledged is what the ledger must count. Event times spread over the last hour, in order.
     */
    private final class Input implements AutoCloseable {
        private final KafkaProducer<String, CostEvent> producer;
        private final Random random = new Random(42);
        private final Instant base = Instant.now().minus(Duration.ofHours(1));
        private final long spreadMs = Duration.ofHours(1).toMillis();
        private final int planned;
        private final ConcurrentHashMap<String, BigDecimal> acked = new ConcurrentHashMap<>();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicReference<Exception> firstError = new AtomicReference<>();
        private long sent;
        private long records;

        Input(int planned) {
            this.planned = Math.max(1, planned);
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 131_072);
            // on a broker that has just started, the first batch to a fresh partition sometimes gets no
            // answer (seen about once in five runs): give up on it after 15 s, not the default 120 s; the
            // totals count what was acknowledged, so the run stays exact
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
            config.put(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY);
            AvroSerializer<CostEvent> values = new AvroSerializer<>();
            values.configure(config, false);
            producer = new KafkaProducer<>(config, new StringSerializer(), values);
        }

        /** Sends {@code count} events (3 % of them twice, as redeliveries) and waits for the acknowledgements. */
        void send(String idPrefix, int count) {
            long failedBefore = failed.get();
            for (int i = 0; i < count; i++) {
                CostEvent event = randomEvent(random, idPrefix + i, base.plusMillis(sent++ * spreadMs / planned));
                ProducerRecord<String, CostEvent> record = new ProducerRecord<>(
                        Topics.INFERENCE_COSTS.name(),
                        null,
                        event.getOccurredAt().toEpochMilli(),
                        event.getRequestId(),
                        event);
                int copies = random.nextInt(100) < 3 ? 2 : 1;
                for (int copy = 0; copy < copies; copy++) {
                    producer.send(record, (metadata, error) -> {
                        if (error == null) {
                            acked.put(event.getRequestId(), event.getCostUsd());
                        } else {
                            failed.incrementAndGet();
                            firstError.compareAndSet(null, error);
                        }
                    });
                    records++;
                }
            }
            producer.flush();
            if (failed.get() > failedBefore) {
                progress.println("[bench] " + (failed.get() - failedBefore)
                        + " sends failed (the first: " + firstError.get()
                        + "); the expected totals count the acknowledged events only");
            }
        }

        long records() {
            return records - failed.get();
        }

        long unique() {
            return acked.size();
        }

        BigDecimal total() {
            return acked.values().stream().reduce(Money.ZERO, Money::sum);
        }

        @Override
        public void close() {
            producer.close();
        }
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

    private static double systemLoad() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * CPU seconds so far: the stream threads' (by name) and this whole process's; the time this
     * process's threads were ready to run but waited for a core (Linux schedstat; 0 elsewhere); and
     * the CPU of the JVM's compiler and garbage-collector threads (Linux /proc; 0 elsewhere).
     */
    private record CpuTimes(
            double streamThreadsSeconds,
            double processSeconds,
            double runQueueSeconds,
            double streamRunQueueSeconds,
            double compilerSeconds,
            double gcSeconds) {

        /** Linux's clock ticks per second for /proc/.../stat's utime and stime (USER_HZ, 100 on Linux). */
        private static final double TICKS_PER_SECOND = 100.0;

        static CpuTimes now() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long streamNanos = 0;
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null
                        && info.getThreadName().contains("-StreamThread-")
                        && !info.getThreadName().contains("network-thread")) {
                    streamNanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                }
            }
            long processNanos =
                    ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                            ? os.getProcessCpuTime()
                            : 0;
            // a thread's OS name is the first 15 characters of its Java name: "ledger-bench-" + 2 of the
            // client's id for the stream threads (and the mostly idle state updater), nothing else here;
            // HotSpot names its own threads "C1 CompilerThread0", "C2 CompilerThread1", "GC Thread#0",
            // "G1 Refine#0", "G1 Conc#0", "G1 Main Marker", "VM Thread"
            return new CpuTimes(
                    streamNanos / 1e9,
                    processNanos / 1e9,
                    runQueueNanos("") / 1e9,
                    runQueueNanos(APPLICATION_ID + "-") / 1e9,
                    cpuTicks(name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"))
                            / TICKS_PER_SECOND,
                    cpuTicks(name -> name.startsWith("GC Thread") || name.startsWith("G1 ")) / TICKS_PER_SECOND);
        }

        CpuTimes minus(CpuTimes before) {
            return new CpuTimes(
                    streamThreadsSeconds - before.streamThreadsSeconds,
                    processSeconds - before.processSeconds,
                    runQueueSeconds - before.runQueueSeconds,
                    streamRunQueueSeconds - before.streamRunQueueSeconds,
                    compilerSeconds - before.compilerSeconds,
                    gcSeconds - before.gcSeconds);
        }

        /** Sum over this process's threads of /proc/self/task/N/schedstat's second field (ns runnable, not running). */
        private static long runQueueNanos(String osNamePrefix) {
            return sumOverThreads(name -> name.startsWith(osNamePrefix), thread -> {
                String[] fields =
                        Files.readString(thread.resolve("schedstat")).trim().split(" ");
                return Long.parseLong(fields[1]);
            });
        }

        /** utime + stime (clock ticks) of this process's threads whose OS name matches. */
        private static long cpuTicks(Predicate<String> osName) {
            return sumOverThreads(osName, thread -> {
                String stat = Files.readString(thread.resolve("stat"));
                // the fields after the name, which is in parentheses and may contain blanks
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            });
        }

        private static long sumOverThreads(Predicate<String> osName, ThreadFigure figure) {
            Path tasks = Path.of("/proc/self/task");
            if (!Files.isDirectory(tasks)) {
                return 0;
            }
            long total = 0;
            try (Stream<Path> threads = Files.list(tasks)) {
                for (Path thread : threads.toList()) {
                    try {
                        if (osName.test(Files.readString(thread.resolve("comm")).strip())) {
                            total += figure.of(thread);
                        }
                    } catch (IOException | RuntimeException threadGone) {
                        // a thread that ended meanwhile
                    }
                }
            } catch (IOException e) {
                return 0;
            }
            return total;
        }

        @FunctionalInterface
        private interface ThreadFigure {
            long of(Path threadDir) throws IOException;
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
