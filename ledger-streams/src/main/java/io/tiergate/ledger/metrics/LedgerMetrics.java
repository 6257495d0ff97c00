package io.tiergate.ledger.metrics;

import io.tiergate.ledger.budget.BudgetAssessment;

/**
 * What the topology reports to monitoring. Implementations must be thread-safe (one processor
 * instance per task, tasks on several stream threads). Metrics are observations, not state: a
 * transaction that aborts and is replayed may count twice here, never in the ledger.
 */
public interface LedgerMetrics {

    /** A record went to {@code topic}'s dead-letter twin. */
    void deadLettered(String topic);

    /** A redelivered cost event (same requestId and attempt) was ignored. */
    void duplicateIgnored();

    /** A cost event that counted, but dated before the scope's running budget day or month. */
    void countedBeforeRunningPeriod(String scope);

    /** budget.status was published with this assessment. */
    void statusPublished(BudgetAssessment assessment);

    /** For tests that do not look at metrics. */
    static LedgerMetrics none() {
        return new LedgerMetrics() {
            @Override
            public void deadLettered(String topic) {}

            @Override
            public void duplicateIgnored() {}

            @Override
            public void countedBeforeRunningPeriod(String scope) {}

            @Override
            public void statusPublished(BudgetAssessment assessment) {}
        };
    }
}
