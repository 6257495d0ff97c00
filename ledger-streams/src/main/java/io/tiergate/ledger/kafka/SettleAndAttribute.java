package io.tiergate.ledger.kafka;

import io.tiergate.ledger.scope.OpenAttempt;
import io.tiergate.ledger.scope.ScopeInput;
import io.tiergate.ledger.scope.ScopedCost;
import io.tiergate.ledger.scope.SettledCost;
import io.tiergate.schemas.events.CostEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Every counted cost counts for its cost center and for the global scope; if its attempt is open
 * ({@link OpenAttempts}), the cost goes on as a {@link SettledCost} that also takes the open worst
 * case out, in one record, so a budget never sees both nor neither. The store update and both outputs commit in one transaction.
 */
final class SettleAndAttribute implements Processor<String, CostEvent, String, ScopeInput> {

    private final long retentionMs;
    private ProcessorContext<String, ScopeInput> context;
    private WindowStore<String, OpenAttempt> open;

    SettleAndAttribute(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, ScopeInput> context) {
        this.context = context;
        this.open = context.getStateStore(LedgerStores.OPEN_ATTEMPTS);
    }

    @Override
    public void process(Record<String, CostEvent> record) {
        CostEvent event = record.value();
        String id = OpenAttempts.attemptId(event.getRequestId(), event.getAttempt());
        long occurredAt = event.getOccurredAt().toEpochMilli();
        List<KeyValue<Long, OpenAttempt>> settled = new ArrayList<>();
        try (WindowStoreIterator<OpenAttempt> entries =
                open.fetch(id, Math.max(0L, occurredAt - retentionMs), occurredAt + retentionMs)) {
            entries.forEachRemaining(settled::add);
        }
        Map<String, OpenAttempt> settlements = new LinkedHashMap<>();
        for (KeyValue<Long, OpenAttempt> entry : settled) {
            open.put(id, null, entry.key);
            for (OpenAttempt change : entry.value.settled().forScopes()) {
                settlements.put(change.scope(), change); // one entry at most: OpenAttempts opens once
            }
        }
        for (ScopedCost cost : ScopedCost.of(event)) {
            OpenAttempt settlement = settlements.remove(cost.scope());
            ScopeInput counted = settlement == null ? cost : new SettledCost(cost, settlement);
            context.forward(new Record<>(cost.scope(), counted, record.timestamp()));
        }
        // only if the cost names another cost center than its attempt did: settled on its own
        settlements.forEach((scope, settlement) ->
                context.forward(new Record<>(scope, (ScopeInput) settlement, record.timestamp())));
    }
}
