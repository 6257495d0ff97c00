package io.tiergate.ledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.budget.BudgetPolicy;
import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.kafka.LedgerStores;
import io.tiergate.ledger.kafka.LedgerTopology;
import io.tiergate.ledger.metrics.LedgerMetrics;
import io.tiergate.ledger.scope.CostEventValidator;
import io.tiergate.ledger.scope.CostRepricer;
import io.tiergate.ledger.windows.WindowTotals;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.WindowKind;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.AvroSerdes;
import io.tiergate.schemas.serde.MockSchemaRegistry;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The ledger topology in a {@link TopologyTestDriver} with a mock:// registry: pipe cost events
 * and budgets in, read cost.windows, budget.status and the dead-letter topics, query the stores,
 * move the wall clock. Every test also keeps its own exact sum of what it sent, to compare with
 * the ledger's totals to the nano-dollar.
 */
public final class LedgerDriver implements AutoCloseable {

    private final String registryScope = "ledger-ttd-" + UUID.randomUUID();
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, CostEvent> costs;
    private final TestInputTopic<String, BudgetConfig> budgets;
    private final TestInputTopic<String, AttemptStarted> attempts;
    private final TestOutputTopic<byte[], byte[]> attemptsDlq;
    private final TestInputTopic<byte[], byte[]> rawCosts;
    private final TestInputTopic<byte[], byte[]> rawBudgets;
    private final TestOutputTopic<String, CostWindow> windows;
    private final TestOutputTopic<String, BudgetStatus> statuses;
    private final TestOutputTopic<byte[], byte[]> costsDlq;
    private final TestOutputTopic<byte[], byte[]> budgetsDlq;
    private final TestInputTopic<String, CalibrationSample> samples;
    private final TestInputTopic<byte[], byte[]> rawSamples;
    private final TestOutputTopic<String, CalibrationStat> calibration;
    private final TestOutputTopic<byte[], byte[]> samplesDlq;
    private long clock;
    private final LedgerSettings settings;
    /** The first copy of every valid (requestId, attempt) sent: what the ledger must have counted. */
    private final Map<String, CostEvent> counted = new LinkedHashMap<>();

    public LedgerDriver(LedgerSettings settings, Instant wallClock) {
        this(settings, wallClock, LedgerMetrics.none());
    }

    public LedgerDriver(LedgerSettings settings, Instant wallClock, LedgerMetrics metrics) {
        this.settings = settings;
        String registryUrl = "mock://" + registryScope;
        StreamsBuilder builder = new StreamsBuilder();
        new LedgerTopology(
                        settings.withInMemoryStores(true),
                        Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl),
                        metrics)
                .build(builder);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ledger-ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Path.of("target", "ttd-state", UUID.randomUUID().toString()).toString());
        driver = new TopologyTestDriver(builder.build(), props, wallClock);
        clock = wallClock.toEpochMilli();
        var costSerde = AvroSerdes.value(CostEvent.class, registryUrl);
        var budgetSerde = AvroSerdes.value(BudgetConfig.class, registryUrl);
        var windowSerde = AvroSerdes.value(CostWindow.class, registryUrl);
        var statusSerde = AvroSerdes.value(BudgetStatus.class, registryUrl);
        costs = driver.createInputTopic(
                Topics.INFERENCE_COSTS.name(), Serdes.String().serializer(), costSerde.serializer());
        budgets = driver.createInputTopic(
                Topics.BUDGET_CONFIG.name(), Serdes.String().serializer(), budgetSerde.serializer());
        attempts = driver.createInputTopic(
                Topics.INFERENCE_ATTEMPTS.name(),
                Serdes.String().serializer(),
                AvroSerdes.value(AttemptStarted.class, registryUrl).serializer());
        attemptsDlq = driver.createOutputTopic(
                Topics.INFERENCE_ATTEMPTS.dlq(),
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        rawCosts = driver.createInputTopic(
                Topics.INFERENCE_COSTS.name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        rawBudgets = driver.createInputTopic(
                Topics.BUDGET_CONFIG.name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        windows = driver.createOutputTopic(
                Topics.COST_WINDOWS.name(), Serdes.String().deserializer(), windowSerde.deserializer());
        statuses = driver.createOutputTopic(
                Topics.BUDGET_STATUS.name(), Serdes.String().deserializer(), statusSerde.deserializer());
        costsDlq = driver.createOutputTopic(
                Topics.INFERENCE_COSTS.dlq(),
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        budgetsDlq = driver.createOutputTopic(
                Topics.BUDGET_CONFIG.dlq(),
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        samples = driver.createInputTopic(
                Topics.CALIBRATION_SAMPLES.name(),
                Serdes.String().serializer(),
                AvroSerdes.value(CalibrationSample.class, registryUrl).serializer());
        rawSamples = driver.createInputTopic(
                Topics.CALIBRATION_SAMPLES.name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        calibration = driver.createOutputTopic(
                Topics.CALIBRATION.name(),
                Serdes.String().deserializer(),
                AvroSerdes.value(CalibrationStat.class, registryUrl).deserializer());
        samplesDlq = driver.createOutputTopic(
                Topics.CALIBRATION_SAMPLES.dlq(),
                Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    public static LedgerDriver at(String wallClockIso) {
        return new LedgerDriver(LedgerSettings.defaults(), Instant.parse(wallClockIso));
    }

    /** Pipes one cost event keyed by its request id, record timestamp = occurredAt (as a worker's send). */
    public LedgerDriver send(CostEvents cost) {
        return send(cost.build());
    }

    public LedgerDriver send(CostEvent event) {
        try {
            new CostEventValidator(settings.maxClockSkew(), settings.maxCostUsdPerEvent(), settings.maxTokensPerEvent())
                    .validate(event, clock);
            counted.putIfAbsent(event.getRequestId() + "|" + event.getAttempt(), event);
        } catch (InvalidInputException rejected) {
            // goes to the dead-letter topic: nothing to count
        }
        costs.pipeInput(event.getRequestId(), event, event.getOccurredAt());
        return this;
    }

    /**
     * Pipes an {@code inference.attempts} record for {@code worstCase}'s (requestId, attempt), keyed
     * by its request id, started at the worst case's {@code occurredAt} (as a worker writes it).
     */
    public LedgerDriver attemptStarted(CostEvents worstCase) {
        CostEvent worst = worstCase.build();
        worst.setInDoubt(true);
        return attemptStarted(
                worst.getRequestId(),
                AttemptStarted.newBuilder()
                        .setRequestId(worst.getRequestId())
                        .setAttempt(worst.getAttempt())
                        .setSourceTopic(Topics.Names.TIER_CLOUD)
                        .setSourcePartition(0)
                        .setSourceOffset(0L)
                        .setWorkerId("worker-1")
                        .setStartedAt(worst.getOccurredAt())
                        .setWorstCase(worst)
                        .build());
    }

    public LedgerDriver attemptStarted(String key, AttemptStarted started) {
        attempts.pipeInput(key, started, started.getStartedAt());
        return this;
    }

    public List<TestRecord<byte[], byte[]>> attemptDeadLetters() {
        return attemptsDlq.readRecordsToList();
    }

    /** Moves the wall clock to {@code isoInstant} (never backwards). */
    public LedgerDriver wallClockTo(String isoInstant) {
        long target = Instant.parse(isoInstant).toEpochMilli();
        if (target > clock) {
            advanceWallClock(Duration.ofMillis(target - clock));
        }
        return this;
    }

    public LedgerDriver budget(BudgetConfig config) {
        budgets.pipeInput(config.getScope(), config, Instant.ofEpochMilli(wallClockMs()));
        return this;
    }

    public LedgerDriver budget(String key, BudgetConfig config) {
        budgets.pipeInput(key, config, Instant.ofEpochMilli(wallClockMs()));
        return this;
    }

    public LedgerDriver removeBudget(String scope) {
        budgets.pipeInput(scope, null, Instant.ofEpochMilli(wallClockMs()));
        return this;
    }

    /** A cost event as a worker's serializer writes it (Confluent framing, this driver's registry). */
    public byte[] serialize(CostEvent event) {
        try (var serde = AvroSerdes.value(CostEvent.class, "mock://" + registryScope)) {
            return serde.serializer().serialize(Topics.INFERENCE_COSTS.name(), event);
        }
    }

    public LedgerDriver rawCost(byte[] key, byte[] value) {
        rawCosts.pipeInput(key, value, Instant.ofEpochMilli(wallClockMs()));
        return this;
    }

    public LedgerDriver rawBudget(byte[] key, byte[] value) {
        rawBudgets.pipeInput(key, value, Instant.ofEpochMilli(wallClockMs()));
        return this;
    }

    public LedgerDriver advanceWallClock(Duration by) {
        clock += by.toMillis();
        driver.advanceWallClockTime(by);
        return this;
    }

    /** The driver's wall clock (TopologyTestDriver does not expose it, so it is tracked here). */
    public long wallClockMs() {
        return clock;
    }

    /** Budget config with daily/monthly limits (null for none), default thresholds, UTC. */
    public static BudgetConfig budgetOf(String scope, String dailyUsd, String monthlyUsd) {
        return BudgetConfig.newBuilder()
                .setScope(scope)
                .setDailyLimitUsd(dailyUsd == null ? null : Money.usd(dailyUsd))
                .setMonthlyLimitUsd(monthlyUsd == null ? null : Money.usd(monthlyUsd))
                .setOnExhausted(OnExhausted.DEFER)
                .setUpdatedAt(Instant.parse("2026-11-01T00:00:00Z"))
                .build();
    }

    public List<CostWindow> windows() {
        return windows.readValuesToList();
    }

    public List<KeyValue<String, CostWindow>> windowRecords() {
        return windows.readKeyValuesToList();
    }

    public List<BudgetStatus> statuses() {
        return statuses.readValuesToList();
    }

    public List<TestRecord<byte[], byte[]>> costDeadLetters() {
        return costsDlq.readRecordsToList();
    }

    /** Pipes one calibration sample with {@code key}, record timestamp = occurredAt. */
    public LedgerDriver sample(String key, CalibrationSample sample) {
        samples.pipeInput(key, sample, sample.getOccurredAt());
        return this;
    }

    public LedgerDriver rawSample(byte[] key, byte[] value) {
        rawSamples.pipeInput(key, value, Instant.ofEpochMilli(wallClockMs()));
        return this;
    }

    public List<KeyValue<String, CalibrationStat>> calibration() {
        return calibration.readKeyValuesToList();
    }

    public List<TestRecord<byte[], byte[]>> calibrationDeadLetters() {
        return samplesDlq.readRecordsToList();
    }

    public List<TestRecord<byte[], byte[]>> budgetDeadLetters() {
        return budgetsDlq.readRecordsToList();
    }

    /** The stores, as the HTTP API sees them. */
    public LedgerStores stores() {
        return new LedgerStores() {
            @Override
            public ReadOnlyKeyValueStore<String, BudgetPolicy> budgets() {
                return driver.getKeyValueStore(BUDGETS);
            }

            @Override
            public ReadOnlyKeyValueStore<String, ScopeSpend> scopeSpend() {
                return driver.getKeyValueStore(SCOPE_SPEND);
            }

            @Override
            public ReadOnlyKeyValueStore<String, BudgetStatus> budgetStatus() {
                return driver.getKeyValueStore(BUDGET_STATUS);
            }

            @Override
            public ReadOnlyKeyValueStore<String, WindowTotals> spendByDimension() {
                return driver.getKeyValueStore(SPEND_BY_DIMENSION);
            }

            @Override
            public ReadOnlyWindowStore<String, WindowTotals> windows(WindowKind kind) {
                return driver.getWindowStore(LedgerStores.windowStore(kind));
            }
        };
    }

    /** Lifetime spend of a scope (all tiers), from the ledger's own store. */
    public BigDecimal lifetimeSpend(String scope) {
        ScopeSpend spend = stores().scopeSpend().get(scope);
        return spend == null ? Money.ZERO : spend.lifetimeAllTiers();
    }

    public long lifetimeEvents(String scope) {
        ScopeSpend spend = stores().scopeSpend().get(scope);
        return spend == null ? 0 : spend.lifetimeEvents();
    }

    /** Sum of the daily windows of a scope in the store (all dimensions, all days). */
    public BigDecimal dailyWindowSpend(String scope) {
        BigDecimal total = Money.ZERO;
        try (KeyValueIterator<Windowed<String>, WindowTotals> all =
                stores().windows(WindowKind.DAY).all()) {
            while (all.hasNext()) {
                WindowTotals totals = all.next().value;
                if (scope.equals(totals.scope())) {
                    total = Money.sum(total, totals.spendUsd());
                }
            }
        }
        return total;
    }

    public List<String> scopes() {
        List<String> scopes = new ArrayList<>();
        try (KeyValueIterator<String, ScopeSpend> all = stores().scopeSpend().all()) {
            all.forEachRemaining(e -> scopes.add(e.key));
        }
        return scopes;
    }

    /**
     * Every test's money check, on close: the ledger's lifetime totals equal, to the nano-dollar,
     * the sum of the first copies of the valid cost events sent (re-priced when re-pricing is on),
     * for the global scope and summed over the cost centers.
     */
    @Override
    public void close() {
        try {
            CostRepricer repricer = settings.repricing() == null ? null : new CostRepricer(settings.repricing());
            BigDecimal expected = Money.ZERO;
            Map<String, BigDecimal> perCostCenter = new HashMap<>();
            for (CostEvent event : counted.values()) {
                BigDecimal cost = repricer == null
                        ? event.getCostUsd()
                        : repricer.reprice(event).getCostUsd();
                expected = Money.sum(expected, cost);
                perCostCenter.merge(event.getCostCenter(), cost, Money::sum);
            }
            assertThat(lifetimeSpend(Topics.GLOBAL_SCOPE))
                    .as("global total = sum of counted inputs")
                    .isEqualTo(expected);
            assertThat(lifetimeEvents(Topics.GLOBAL_SCOPE))
                    .as("global count = counted inputs")
                    .isEqualTo(counted.size());
            perCostCenter.forEach((scope, sum) -> assertThat(lifetimeSpend(scope))
                    .as("total of " + scope + " = sum of its counted inputs")
                    .isEqualTo(sum));
        } finally {
            driver.close();
            MockSchemaRegistry.drop(registryScope);
        }
    }
}
