package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.CompactedView;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.router.budget.BudgetBook;
import io.tiergate.router.budget.ReservationLedger;
import io.tiergate.router.health.HealthBoard;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a router instance must see in full, as one {@link CompactedView} (every partition, no
 * consumer group: every instance needs all of it):
 *
 * <ul>
 *   <li>{@code routing.rules}, {@code budget.status}, {@code budget.config}, {@code worker.health}
 *       (compacted) from the beginning — the latest value per key is the state;
 *   <li>{@code inference.costs} from {@code costsLookback} ago (when a ledger is given), to settle
 *       reservations; with each cost's partition and offset, which the ledger's statuses report
 *       as counted ({@code countedCostOffsets}).
 * </ul>
 *
 * Start-up waits until the end offsets seen at start are reached ({@link #awaitCaughtUp}), so no
 * decision is made on a half-read budget state. Invalid rules are skipped here (the last good rule
 * stays); the rules auditor's consumer group dead-letters them once. A schema registry outage is
 * retried, never taken for a bad record. Read committed, since ledger-streams writes budget.status
 * in transactions.
 */
public final class StateFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateFeed.class);

    private final KafkaClientSettings client;
    private final String clientId;
    private final EventDecoder decoder;
    private final RulesBook rules;
    private final BudgetBook budgets;
    private final HealthBoard health;
    private final ReservationLedger ledger;
    private final Duration costsLookback;
    private final Duration pollTimeout;
    private final Clock clock;
    private volatile CompactedView view;

    /**
     * @param ledger the reservations to settle from inference.costs, or {@code null} to skip costs (CLI)
     */
    public StateFeed(
            KafkaClientSettings client,
            String clientId,
            EventDecoder decoder,
            RulesBook rules,
            BudgetBook budgets,
            HealthBoard health,
            ReservationLedger ledger,
            Duration costsLookback,
            Duration pollTimeout,
            Clock clock) {
        this.client = client;
        this.clientId = clientId;
        this.decoder = decoder;
        this.rules = rules;
        this.budgets = budgets;
        this.health = health;
        this.ledger = ledger;
        this.costsLookback = costsLookback;
        this.pollTimeout = pollTimeout;
        this.clock = clock;
    }

    /** The topics and where each record goes; a record's key names its scope or worker, else its value does. */
    private CompactedView.Builder view() {
        CompactedView.Builder view = CompactedView.builder(client, decoder, clientId)
                .pollTimeout(pollTimeout)
                .maxPollRecords(2000)
                .topic(Topics.ROUTING_RULES, rules::apply)
                .topic(Topics.BUDGET_STATUS, (key, status) -> {
                    String scope = key != null ? key : status == null ? null : status.getScope();
                    if (scope != null) {
                        budgets.onStatus(scope, status, clock.millis());
                    }
                })
                .topic(Topics.BUDGET_CONFIG, (key, config) -> {
                    String scope = key != null ? key : config == null ? null : config.getScope();
                    if (scope != null) {
                        budgets.onConfig(scope, config);
                    }
                })
                .topic(Topics.WORKER_HEALTH, (key, h) -> {
                    String worker = key != null ? key : h == null ? null : h.getWorkerId();
                    if (worker != null) {
                        health.onHealth(worker, h);
                    }
                });
        if (ledger != null) {
            view.alsoReadWithPositions(
                    Topics.INFERENCE_COSTS,
                    StartAt.at(clock.millis() - costsLookback.toMillis()),
                    (key, cost, partition, offset) -> {
                        if (cost != null) {
                            ledger.onCost(
                                    cost.getRequestId(),
                                    cost.getCostCenter(),
                                    cost.getTier(),
                                    cost.getCostUsd(),
                                    clock.millis(),
                                    partition,
                                    offset);
                        }
                    });
        }
        return view;
    }

    /** Starts the feed on its own thread. */
    public void start() {
        view = view().start();
    }

    /** Reads every state topic to its current end on the calling thread, then stops (CLI). */
    public void loadToEnd(Duration timeout) {
        view().loadOnce(timeout);
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        boolean caughtUp = view.awaitCaughtUp(timeout);
        if (caughtUp) {
            LOG.info(
                    "Router state read: {} budget scopes, routing table {}",
                    budgets.scopes().size(),
                    rules.current().version());
        }
        return caughtUp;
    }

    public long undecodableRecords() {
        CompactedView v = view;
        return v == null ? 0 : v.undecodableRecords();
    }

    @Override
    public void close() {
        CompactedView v = view;
        if (v != null) {
            v.close();
        }
    }
}
