package io.tiergate.worker.kafka;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.CompactedView;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.runtime.BudgetBoard;
import java.time.Duration;

/**
 * Keeps a {@link BudgetBoard} current from the compacted {@code budget.status} (key = scope; a
 * tombstone removes the budget), as platform's {@link CompactedView}: every instance reads every
 * scope from the beginning, then follows; a schema registry outage is waited out. The one reader
 * of budget statuses both workers use (the local worker for its escalation levels, every worker for
 * the admission of unreserved calls).
 */
public final class BudgetStatusFollower implements AutoCloseable {

    private final CompactedView view;

    private BudgetStatusFollower(CompactedView view) {
        this.view = view;
    }

    /** Starts following {@link Topics#BUDGET_STATUS} into {@code board}. */
    public static BudgetStatusFollower start(KafkaClientSettings settings, BudgetBoard board, String clientId) {
        return start(settings, board, clientId, Topics.BUDGET_STATUS);
    }

    /** As above on {@code topic} (tests isolate topics). */
    public static BudgetStatusFollower start(
            KafkaClientSettings settings, BudgetBoard board, String clientId, Topic<BudgetStatus> topic) {
        CompactedView view = CompactedView.builder(settings, new EventDecoder(settings), clientId)
                .topic(topic, board::status)
                .start();
        return new BudgetStatusFollower(view);
    }

    /** True once everything that was on the topic when it started has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return view.awaitCaughtUp(timeout);
    }

    @Override
    public void close() {
        view.close();
    }
}
