package io.tiergate.ledger.kafka;

import io.tiergate.ledger.scope.OpenAttempt;
import io.tiergate.ledger.scope.ScopeInput;
import io.tiergate.schemas.events.AttemptStarted;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Opens an attempt: its worst case counts in its scopes' budget spend until its cost event settles
 * it ({@link SettleAndAttribute}). Not when the cost event of the same (requestId, attempt) was
 * already counted (it can arrive first: the two topics are read side by side), and once however
 * often the attempt is redelivered. Both checks look within the dedupe retention (event time) of
 * the attempt's start, as dedupe does.
 *
 * <p>Relies on both topics being keyed by request id with the same partition count, so an attempt
 * and its cost event reach the same task and the same stores (docs/ledger.md, "Open attempts").
 */
final class OpenAttempts implements Processor<String, AttemptStarted, String, ScopeInput> {

    private final long retentionMs;
    private ProcessorContext<String, ScopeInput> context;
    private WindowStore<String, OpenAttempt> open;
    private WindowStore<String, Long> counted;

    OpenAttempts(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    /** The store key of an attempt, the same as dedupe's. */
    static String attemptId(String requestId, int attempt) {
        return requestId + '|' + attempt;
    }

    @Override
    public void init(ProcessorContext<String, ScopeInput> context) {
        this.context = context;
        this.open = context.getStateStore(LedgerStores.OPEN_ATTEMPTS);
        this.counted = context.getStateStore(LedgerStores.COST_EVENT_IDS);
    }

    @Override
    public void process(Record<String, AttemptStarted> record) {
        AttemptStarted started = record.value();
        String id = attemptId(started.getRequestId(), started.getAttempt());
        long startedAt = started.getStartedAt().toEpochMilli();
        long from = Math.max(0L, startedAt - retentionMs);
        long to = startedAt + retentionMs;
        if (seen(counted.fetch(id, from, to)) || seen(open.fetch(id, from, to))) {
            return;
        }
        OpenAttempt opened = OpenAttempt.opened(started);
        open.put(id, opened, startedAt);
        for (OpenAttempt change : opened.forScopes()) {
            context.forward(new Record<>(change.scope(), (ScopeInput) change, startedAt));
        }
    }

    private static boolean seen(WindowStoreIterator<?> entries) {
        try (entries) {
            return entries.hasNext();
        }
    }
}
