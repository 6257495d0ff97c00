package io.tiergate.ledger.kafka;

import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.budget.BudgetAssessor;
import io.tiergate.ledger.budget.BudgetConfigValidator;
import io.tiergate.ledger.budget.InvalidBudgetConfigException;
import io.tiergate.ledger.calibration.CalibrationSampleValidator;
import io.tiergate.ledger.calibration.CalibrationTotals;
import io.tiergate.ledger.metrics.LedgerMetrics;
import io.tiergate.ledger.scope.AttemptStartedValidator;
import io.tiergate.ledger.scope.BudgetChange;
import io.tiergate.ledger.scope.CostEventValidator;
import io.tiergate.ledger.scope.CostRepricer;
import io.tiergate.ledger.scope.ScopeInput;
import io.tiergate.ledger.scope.ScopedCost;
import io.tiergate.ledger.scope.SettledCost;
import io.tiergate.ledger.windows.WindowTotals;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.WindowKind;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.AvroSerdes;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Suppressed.BufferConfig;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The ledger, top to bottom: {@code inference.costs} + {@code budget.config} →
 * {@code cost.windows} (analysts) and {@code budget.status} (the router), exactly once.
 *
 * <pre>
 * inference.costs ─ decode/check ─┬─ rejected ─────────────────────────────> inference.costs.dlq
 *                                 └─ dedupe (requestId, attempt) ─ per scope (cost center + global) [+ progress]
 *                                       ├─ by-dimension ─┬─ all-time totals (rework view)
 *                                       │                ├─ hourly / daily / monthly windows ─> cost.windows
 *                                       │                └─ ... once closed (grace) ─────────> cost.windows
 *                                       └─┐
 * budget.config ─ decode/validate ─┬──────┴─ by-scope ─ budgets × spend ───────────────────> budget.status
 *                                  └─ rejected ────────────────────────────────────────────> budget.config.dlq
 * routing.calibration.samples ─ decode/check ─┬─ per taskType|localModel ───────────────> routing.calibration
 *                                             └─ rejected ──────────────────────> routing.calibration.samples.dlq
 * </pre>
 *
 * Rules: a (requestId, attempt) counts once; money is exact; windows and budget periods use event
 * time ({@code occurredAt}); budget.status is published on every budget change and level change
 * at once, and at least every {@code statusInterval} while spend changes. Dead letters are written
 * by the topology itself, so they commit in the same transaction as the input offsets.
 */
public final class LedgerTopology {

    private final LedgerSettings settings;
    private final Map<String, ?> serdeConfig;
    private final LedgerMetrics metrics;

    private final Serde<String> strings = Serdes.String();
    private final Serde<byte[]> bytes = Serdes.ByteArray();
    private final Serde<ScopedCost> scopedCosts = InternalSerdes.scopedCost();
    private final Serde<WindowTotals> totals = InternalSerdes.windowTotals();
    private final Serde<CostWindow> costWindows;
    private final Serde<BudgetStatus> statuses;
    private final Serde<CalibrationSample> calibrationSamples;
    private final Serde<CalibrationStat> calibrationStats;
    /** How far each cost task has read inference.costs (one board per topology: per ledger instance). */
    private final CostsProgressBoard progress = new CostsProgressBoard();

    /**
     * @param serdeConfig the registry's serde config: its URL and credentials ({@code
     *     KafkaClientSettings.serdeConfig()})
     */
    public LedgerTopology(LedgerSettings settings, Map<String, ?> serdeConfig, LedgerMetrics metrics) {
        this.settings = settings;
        this.serdeConfig = Map.copyOf(serdeConfig);
        this.metrics = metrics;
        this.costWindows = AvroSerdes.forType(CostWindow.class, serdeConfig, false);
        this.statuses = AvroSerdes.forType(BudgetStatus.class, serdeConfig, false);
        this.calibrationSamples = AvroSerdes.forType(CalibrationSample.class, serdeConfig, false);
        this.calibrationStats = AvroSerdes.forType(CalibrationStat.class, serdeConfig, false);
    }

    /** Adds the ledger to {@code builder}; returns the budget.status stream (Micronaut wants a KStream bean). */
    public KStream<String, BudgetStatus> build(StreamsBuilder builder) {
        addStores(builder);

        // 1. Cost events, decoded and checked. What cannot be counted goes to inference.costs.dlq
        //    with its original bytes and the reason; nothing is dropped silently.
        CostEventValidator costRules = new CostEventValidator(
                settings.maxClockSkew(), settings.maxCostUsdPerEvent(), settings.maxTokensPerEvent());
        Map<String, KStream<String, Decoded<CostEvent>>> costEvents = builder.stream(
                        Topics.INFERENCE_COSTS.name(),
                        Consumed.with(bytes, bytes).withName("read-inference-costs"))
                .process(() -> new NoteCostOffsets(progress), Named.as("note-cost-offsets"))
                .process(
                        DecodeOrReject.supplier(
                                Topics.INFERENCE_COSTS.name(),
                                () -> decoder(CostEvent.class),
                                (requestId, event, now) -> costRules.validate(event, now)),
                        Named.as("decode-cost-events"))
                .split(Named.as("cost-events-"))
                .branch((requestId, decoded) -> decoded.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        deadLetter(costEvents.get("cost-events-rejected"), Topics.INFERENCE_COSTS);

        // 2. Count each (requestId, attempt) once: redeliveries are recognised in a window store of
        //    seen ids (retention = dedupe retention, event time). From here on timestamps are occurredAt.
        KStream<String, CostEvent> counted = costEvents
                .get("cost-events-accepted")
                .mapValues(Decoded::value, Named.as("unwrap-cost-events"))
                .processValues(
                        () -> new DedupeCostEvents(LedgerStores.COST_EVENT_IDS, settings.dedupeRetention(), metrics),
                        Named.as("dedupe-cost-events"),
                        LedgerStores.COST_EVENT_IDS);

        // 2b. Only for a replay after a price-table fix: costs priced from a price table are re-priced
        //     from their tokens with the configured table (provider-reported and local costs stay).
        if (settings.repricing() != null) {
            CostRepricer repricer = new CostRepricer(settings.repricing());
            counted = counted.mapValues(repricer::reprice, Named.as("reprice-from-price-table"));
        }

        // 3. Every cost counts for its cost center and for the global scope; if its attempt is open
        //    (3b), the open worst case is taken out first, in the same step.
        KStream<String, ScopeInput> costsAndSettlements = counted.process(
                () -> new SettleAndAttribute(settings.dedupeRetention()),
                Named.as("attribute-to-scopes"),
                LedgerStores.OPEN_ATTEMPTS);
        KStream<String, ScopedCost> byScope = costsAndSettlements
                .filter(
                        (scope, input) -> input instanceof ScopedCost || input instanceof SettledCost,
                        Named.as("costs-only"))
                .mapValues(
                        input -> input instanceof SettledCost settled ? settled.cost() : (ScopedCost) input,
                        Named.as("as-scoped-costs"));

        // 3b. Open attempts: an inference.attempts record whose cost event has not been counted counts at
        //     its worst case in its scopes' budgets until that cost event arrives (docs/ledger.md, "Open
        //     attempts"). Same task as the costs of its request (same key, same partition count) and
        //     the same stores; invalid records go to inference.attempts.dlq.
        AttemptStartedValidator attemptRules = new AttemptStartedValidator(costRules);
        Map<String, KStream<String, Decoded<AttemptStarted>>> attempts = builder.stream(
                        Topics.INFERENCE_ATTEMPTS.name(),
                        Consumed.with(bytes, bytes).withName("read-inference-attempts"))
                .process(
                        DecodeOrReject.supplier(
                                Topics.INFERENCE_ATTEMPTS.name(),
                                () -> decoder(AttemptStarted.class),
                                attemptRules::validate),
                        Named.as("decode-attempts"))
                .split(Named.as("attempts-"))
                .branch((requestId, decoded) -> decoded.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        deadLetter(attempts.get("attempts-rejected"), Topics.INFERENCE_ATTEMPTS);
        KStream<String, ScopeInput> opened = attempts.get("attempts-accepted")
                .mapValues(Decoded::value, Named.as("unwrap-attempts"))
                .process(
                        () -> new OpenAttempts(settings.dedupeRetention()),
                        Named.as("open-attempts"),
                        LedgerStores.OPEN_ATTEMPTS,
                        LedgerStores.COST_EVENT_IDS);

        // 4. Windows for analysts, per scope × task type × tier × model: hourly and daily tumbling
        //    windows and calendar months (UTC), each published as it changes and once more, closed,
        //    when stream time passes its end + grace. Later events are left out of the windows (the
        //    Streams "dropped-records" metric counts them) but still count in totals and budgets.
        KGroupedStream<String, ScopedCost> byDimension = byScope.selectKey(
                        (scope, cost) -> cost.dimensionKey(), Named.as("key-by-dimension"))
                .repartition(Repartitioned.<String, ScopedCost>as("by-dimension")
                        .withKeySerde(strings)
                        .withValueSerde(scopedCosts))
                .groupByKey(Grouped.<String, ScopedCost>as("group-by-dimension")
                        .withKeySerde(strings)
                        .withValueSerde(scopedCosts));
        byDimension.aggregate(
                WindowTotals::empty,
                (dimensions, cost, sum) -> sum.plus(cost),
                Named.as("sum-by-dimension"),
                Materialized.<String, WindowTotals>as(keyValueStore(LedgerStores.SPEND_BY_DIMENSION))
                        .withKeySerde(strings)
                        .withValueSerde(totals));
        Duration grace = settings.windowGrace();
        publishWindows(
                byDimension,
                WindowKind.HOUR,
                TimeWindows.ofSizeAndGrace(Duration.ofHours(1), grace),
                settings.hourRetention());
        publishWindows(
                byDimension,
                WindowKind.DAY,
                TimeWindows.ofSizeAndGrace(Duration.ofDays(1), grace),
                settings.dayRetention());
        // Calendar months are 28 to 31 days: custom windows, closed by MonthWindowEvents (see there why not by
        // suppress)
        CalendarMonthWindows calendarMonths = new CalendarMonthWindows(grace);
        byDimension
                .windowedBy(calendarMonths)
                .aggregate(
                        WindowTotals::empty,
                        (dimensions, cost, sum) -> sum.plus(cost),
                        Named.as("sum-month-windows"),
                        Materialized.<String, WindowTotals>as(windowStore(
                                        LedgerStores.MONTHLY_WINDOWS,
                                        settings.monthRetention(),
                                        calendarMonths.size(),
                                        true))
                                .withKeySerde(strings)
                                .withValueSerde(totals))
                .toStream(Named.as("month-window-updates"))
                .process(
                        () -> new MonthWindowEvents(LedgerStores.MONTHLY_WINDOWS, LedgerStores.MONTHS_CLOSED, grace),
                        Named.as("describe-month-windows"),
                        LedgerStores.MONTHLY_WINDOWS,
                        LedgerStores.MONTHS_CLOSED)
                .to(
                        Topics.COST_WINDOWS.name(),
                        Produced.with(strings, costWindows).withName("write-month-windows"));

        // 5. Budgets, validated. A rejected config goes to budget.config.dlq with the field named,
        //    and the scope's previous budget stays in force; a tombstone removes the budget.
        BudgetConfigValidator budgetRules = new BudgetConfigValidator(settings.maxLimitUsd());
        Map<String, KStream<String, Decoded<BudgetChange>>> budgetChanges = builder.stream(
                        Topics.BUDGET_CONFIG.name(), Consumed.with(bytes, bytes).withName("read-budget-config"))
                .process(
                        DecodeOrReject.supplier(
                                Topics.BUDGET_CONFIG.name(),
                                () -> decoder(BudgetConfig.class),
                                (scope, config, now) -> config == null
                                        ? tombstone(scope)
                                        : new BudgetChange(scope, budgetRules.validate(scope, config))),
                        Named.as("decode-budget-config"))
                .split(Named.as("budget-config-"))
                .branch((scope, decoded) -> decoded.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        deadLetter(budgetChanges.get("budget-config-rejected"), Topics.BUDGET_CONFIG);

        // 6. Costs and budget changes of a scope meet in one task (one repartition topic for both, so
        //    they are co-partitioned by construction), where spend is tracked per budget period and
        //    budget.status is published. Behind the costs of each cost partition, a progress marker goes
        //    to every budget task: a status carries the cost offsets it includes (countedCostOffsets).
        KStream<String, BudgetStatus> status = costsAndSettlements
                .process(
                        () -> new MarkCostsProgress(progress, settings.statusInterval()),
                        Named.as("mark-costs-progress"))
                .merge(opened, Named.as("merge-open-attempts"))
                .merge(
                        budgetChanges
                                .get("budget-config-accepted")
                                .mapValues(decoded -> (ScopeInput) decoded.value(), Named.as("budgets-as-scope-input")),
                        Named.as("merge-costs-and-budgets"))
                .repartition(Repartitioned.<String, ScopeInput>as("by-scope")
                        .withKeySerde(strings)
                        .withValueSerde(InternalSerdes.scopeInput())
                        .withStreamPartitioner(new ProgressPartitioner()))
                .process(
                        () -> new BudgetTracker(
                                new BudgetAssessor(settings.anomalyFactor(), settings.anomalyMinRateUsdPerHour()),
                                settings.budgetIncludesLocalSpend(),
                                settings.statusInterval(),
                                settings.heartbeatInterval(),
                                metrics),
                        Named.as("track-budgets"),
                        LedgerStores.BUDGETS,
                        LedgerStores.SCOPE_SPEND,
                        LedgerStores.BUDGET_STATUS,
                        LedgerStores.COUNTED_COST_OFFSETS);
        status.to(Topics.BUDGET_STATUS.name(), Produced.with(strings, statuses).withName("write-budget-status"));

        addCalibration(builder);
        return status;
    }

    /**
     * 7. Calibration (docs/calibration.md, "Aggregation"): shadow samples, keyed {@code
     * TASKTYPE|localModel} by their producer, are counted per key — agreement, Wilson interval, exact
     * sample cost, the latest 24 h — and every new state goes to the compacted routing.calibration.
     * Invalid samples go to routing.calibration.samples.dlq. The key is checked, not re-derived, so
     * no repartition is needed.
     */
    private void addCalibration(StreamsBuilder builder) {
        CalibrationSampleValidator sampleRules = new CalibrationSampleValidator(settings.maxClockSkew());
        Map<String, KStream<String, Decoded<CalibrationSample>>> samples = builder.stream(
                        Topics.CALIBRATION_SAMPLES.name(),
                        Consumed.with(bytes, bytes).withName("read-calibration-samples"))
                .process(
                        DecodeOrReject.supplier(
                                Topics.CALIBRATION_SAMPLES.name(),
                                () -> decoder(CalibrationSample.class),
                                sampleRules::validate),
                        Named.as("decode-calibration-samples"))
                .split(Named.as("calibration-samples-"))
                .branch((key, decoded) -> decoded.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        deadLetter(samples.get("calibration-samples-rejected"), Topics.CALIBRATION_SAMPLES);
        samples.get("calibration-samples-accepted")
                .mapValues(Decoded::value, Named.as("unwrap-calibration-samples"))
                .groupByKey(Grouped.<String, CalibrationSample>as("group-calibration-samples")
                        .withKeySerde(strings)
                        .withValueSerde(calibrationSamples))
                .aggregate(
                        CalibrationTotals::empty,
                        (key, sample, totals) -> totals.plus(sample),
                        Named.as("sum-calibration"),
                        Materialized.<String, CalibrationTotals>as(keyValueStore(LedgerStores.CALIBRATION))
                                .withKeySerde(strings)
                                .withValueSerde(InternalSerdes.calibrationTotals()))
                .toStream(Named.as("calibration-updates"))
                .mapValues(CalibrationTotals::toStat, Named.as("describe-calibration"))
                .to(
                        Topics.CALIBRATION.name(),
                        Produced.with(strings, calibrationStats).withName("write-calibration"));
    }

    /** The stores the processors above use by name. */
    private void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.windowStoreBuilder(
                windowStore(LedgerStores.COST_EVENT_IDS, settings.dedupeRetention(), 1L, false),
                strings,
                Serdes.Long()));
        builder.addStateStore(Stores.windowStoreBuilder(
                windowStore(LedgerStores.OPEN_ATTEMPTS, settings.dedupeRetention(), 1L, false),
                strings,
                InternalSerdes.openAttempt()));
        builder.addStateStore(
                Stores.keyValueStoreBuilder(keyValueStore(LedgerStores.MONTHS_CLOSED), strings, Serdes.Long()));
        // cached: a scope's spend changes with every event, its changelog needs only the last value per commit
        builder.addStateStore(
                Stores.keyValueStoreBuilder(keyValueStore(LedgerStores.BUDGETS), strings, InternalSerdes.budgetPolicy())
                        .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        keyValueStore(LedgerStores.SCOPE_SPEND), strings, InternalSerdes.scopeSpend())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(keyValueStore(LedgerStores.BUDGET_STATUS), strings, statuses)
                .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(keyValueStore(LedgerStores.COUNTED_COST_OFFSETS), strings, Serdes.Long()));
    }

    /** RocksDB (in memory for TopologyTestDriver tests); changelogged either way. */
    private KeyValueBytesStoreSupplier keyValueStore(String name) {
        return settings.inMemoryStores() ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    }

    private WindowBytesStoreSupplier windowStore(
            String name, Duration retention, long windowSizeMs, boolean timestamped) {
        Duration size = Duration.ofMillis(windowSizeMs);
        if (settings.inMemoryStores()) {
            return Stores.inMemoryWindowStore(name, retention, size, false);
        }
        return timestamped
                ? Stores.persistentTimestampedWindowStore(name, retention, size, false)
                : Stores.persistentWindowStore(name, retention, size, false);
    }

    /**
     * One window kind: aggregate into a named window store, publish each change, and publish the
     * final value once the window closes (stream time past end + grace).
     */
    private void publishWindows(
            KGroupedStream<String, ScopedCost> byDimension, WindowKind kind, TimeWindows windows, Duration retention) {
        String name = kind.name().toLowerCase(Locale.ROOT);
        Materialized<String, WindowTotals, WindowStore<Bytes, byte[]>> store = Materialized.<String, WindowTotals>as(
                        windowStore(LedgerStores.windowStore(kind), retention, windows.size(), true))
                .withKeySerde(strings)
                .withValueSerde(totals);
        KTable<Windowed<String>, WindowTotals> windowTotals = byDimension
                .windowedBy(windows)
                .aggregate(
                        WindowTotals::empty,
                        (dimensions, cost, sum) -> sum.plus(cost),
                        Named.as("sum-" + name + "-windows"),
                        store);
        windowTotals
                .toStream(Named.as(name + "-window-updates"))
                .process(() -> new WindowEvents(kind, false), Named.as("describe-updated-" + name + "-windows"))
                .to(
                        Topics.COST_WINDOWS.name(),
                        Produced.with(strings, costWindows).withName("write-updated-" + name + "-windows"));
        windowTotals
                .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())
                        .withName("await-close-of-" + name + "-windows"))
                .toStream(Named.as(name + "-windows-closed"))
                .process(() -> new WindowEvents(kind, true), Named.as("describe-closed-" + name + "-windows"))
                .to(
                        Topics.COST_WINDOWS.name(),
                        Produced.with(strings, costWindows).withName("write-closed-" + name + "-windows"));
    }

    /** Rejected records, with their original bytes and error headers, to the topic's .dlq twin. */
    private <V> void deadLetter(KStream<String, Decoded<V>> rejected, Topic<?> topic) {
        String name = topic.name().replace('.', '-');
        rejected.peek((key, decoded) -> metrics.deadLettered(topic.name()), Named.as("count-rejected-" + name))
                .map(
                        (key, decoded) -> KeyValue.pair(decoded.rawKey(), decoded.rawValue()),
                        Named.as("restore-original-bytes-" + name))
                .to(topic.dlq(), Produced.with(bytes, bytes).withName("write-" + name + "-dlq"));
    }

    private static BudgetChange tombstone(String scope) {
        if (scope == null || scope.isBlank()) {
            throw new InvalidBudgetConfigException("key", "a tombstone needs the scope as its key");
        }
        return new BudgetChange(scope, null);
    }

    /** One Avro deserializer per processor instance (one per task). */
    private <V extends SpecificRecord> Deserializer<V> decoder(Class<V> type) {
        AvroDeserializer<V> deserializer = new AvroDeserializer<>();
        Map<String, Object> config = new HashMap<>(serdeConfig);
        config.put(SerdeConfig.VALUE_TYPE, type);
        deserializer.configure(config, false);
        return deserializer;
    }
}
