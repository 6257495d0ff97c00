package io.tiergate.ledger.kafka;

import io.tiergate.ledger.budget.BudgetPolicy;
import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.windows.WindowTotals;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.WindowKind;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The ledger's state stores, by name (names also become changelog topics:
 * {@code <application.id>-<name>-changelog}), and read access to them for interactive queries.
 */
public interface LedgerStores {

    /** (requestId|attempt) → first occurredAt; window store, retention = dedupe retention. */
    String COST_EVENT_IDS = "cost-event-ids";
    /**
     * (requestId|attempt) → the open attempt (cost center, tier, worst case), stamped with its start;
     * deleted when its cost event is counted; window store, retention = dedupe retention.
     */
    String OPEN_ATTEMPTS = "open-attempts";
    /** scope|taskType|tier|model → totals per UTC hour. */
    String HOURLY_WINDOWS = "cost-windows-hourly";
    /** scope|taskType|tier|model → totals per UTC day. */
    String DAILY_WINDOWS = "cost-windows-daily";
    /** scope|taskType|tier|model → totals per UTC calendar month. */
    String MONTHLY_WINDOWS = "cost-windows-monthly";
    /** "closed-before" → months starting before it have been published closed (per task). */
    String MONTHS_CLOSED = "month-windows-closed";
    /** scope|taskType|tier|model → totals over everything counted. */
    String SPEND_BY_DIMENSION = "spend-by-dimension";
    /** scope → the budget in force. */
    String BUDGETS = "budgets";
    /** scope → spend: running day/month, burn-rate and anomaly buckets, lifetime totals. */
    String SCOPE_SPEND = "scope-spend";
    /** scope → the last budget.status published. */
    String BUDGET_STATUS = "budget-status";
    /** inference.costs partition → the offset below which this budget task has taken in everything. */
    String COUNTED_COST_OFFSETS = "counted-cost-offsets";
    /** taskType|localModel → calibration totals (agreement, sample cost, hourly buckets of the latest 24 h). */
    String CALIBRATION = "calibration";

    static String windowStore(WindowKind kind) {
        return switch (kind) {
            case HOUR -> HOURLY_WINDOWS;
            case DAY -> DAILY_WINDOWS;
            case MONTH -> MONTHLY_WINDOWS;
            case UNKNOWN -> throw new IllegalArgumentException("UNKNOWN is not a window kind");
        };
    }

    ReadOnlyKeyValueStore<String, BudgetPolicy> budgets();

    ReadOnlyKeyValueStore<String, ScopeSpend> scopeSpend();

    ReadOnlyKeyValueStore<String, BudgetStatus> budgetStatus();

    ReadOnlyKeyValueStore<String, WindowTotals> spendByDimension();

    ReadOnlyWindowStore<String, WindowTotals> windows(WindowKind kind);
}
