package io.tiergate.ledger.kafka;

import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The ledger's Kafka Streams tuning, in one place for the service ({@link LedgerStreamsFactory}
 * applies each setting the configuration does not set) and for {@code ./tiergate bench --ledger}, so
 * the benchmark measures what runs. Why each value: docs/benchmarks/ledger-streams.md.
 */
public final class LedgerStreamsDefaults {

    /**
     * With exactly-once, budget.status and cost.windows records become visible to read_committed
     * readers (the router) only at a commit: this is the added latency of a budget change.
     */
    public static final long COMMIT_INTERVAL_MS = 100;

    private LedgerStreamsDefaults() {}

    /** Streams settings (client prefixes included) the ledger runs with unless configured otherwise. */
    public static Map<String, Object> settings() {
        return Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
    }
}
