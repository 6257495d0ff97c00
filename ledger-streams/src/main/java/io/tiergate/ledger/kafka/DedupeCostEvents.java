package io.tiergate.ledger.kafka;

import io.tiergate.ledger.metrics.LedgerMetrics;
import io.tiergate.schemas.events.CostEvent;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Lets each (requestId, attempt) through once. Seen ids live in a window store stamped with the
 * event's {@code occurredAt}; a redelivery is recognised while its first copy is within the
 * retention (event time, either side), whatever its own timestamp or cost says — the first copy
 * wins. The store and the outputs commit in one transaction, so a crash never lets a duplicate
 * through or loses an original.
 *
 * <p>Relies on the topic's contract that cost events are keyed by request id: all attempts of a
 * request land on one partition, hence one task and one store.
 *
 * <p>From here on the record timestamp is {@code occurredAt}: windows and periods use event time.
 */
final class DedupeCostEvents implements FixedKeyProcessor<String, CostEvent, CostEvent> {

    private final String storeName;
    private final long retentionMs;
    private final LedgerMetrics metrics;
    private FixedKeyProcessorContext<String, CostEvent> context;
    private WindowStore<String, Long> seen;

    DedupeCostEvents(String storeName, Duration retention, LedgerMetrics metrics) {
        this.storeName = storeName;
        this.retentionMs = retention.toMillis();
        this.metrics = metrics;
    }

    /** The store key of an attempt: attempt last, so the split is unambiguous. */
    static String attemptId(CostEvent event) {
        return event.getRequestId() + '|' + event.getAttempt();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CostEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, CostEvent> record) {
        CostEvent event = record.value();
        String id = attemptId(event);
        long occurredAt = event.getOccurredAt().toEpochMilli();
        try (WindowStoreIterator<Long> earlier =
                seen.fetch(id, Math.max(0L, occurredAt - retentionMs), occurredAt + retentionMs)) {
            if (earlier.hasNext()) {
                metrics.duplicateIgnored();
                return;
            }
        }
        seen.put(id, occurredAt, occurredAt);
        context.forward(record.withTimestamp(occurredAt));
    }
}
