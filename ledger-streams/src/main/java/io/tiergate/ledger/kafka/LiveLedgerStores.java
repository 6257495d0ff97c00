package io.tiergate.ledger.kafka;

import io.tiergate.ledger.budget.BudgetPolicy;
import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.windows.WindowTotals;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.WindowKind;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The running instance's stores. They hold the partitions this instance owns: with one instance
 * (the default) that is everything; with several, each answers for its own scopes (see
 * docs/ledger.md). Throws {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while
 * the stores are not queryable (starting, rebalancing, restoring).
 */
final class LiveLedgerStores implements LedgerStores {

    private final KafkaStreams streams;

    LiveLedgerStores(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public ReadOnlyKeyValueStore<String, BudgetPolicy> budgets() {
        return keyValue(BUDGETS);
    }

    @Override
    public ReadOnlyKeyValueStore<String, ScopeSpend> scopeSpend() {
        return keyValue(SCOPE_SPEND);
    }

    @Override
    public ReadOnlyKeyValueStore<String, BudgetStatus> budgetStatus() {
        return keyValue(BUDGET_STATUS);
    }

    @Override
    public ReadOnlyKeyValueStore<String, WindowTotals> spendByDimension() {
        return keyValue(SPEND_BY_DIMENSION);
    }

    @Override
    public ReadOnlyWindowStore<String, WindowTotals> windows(WindowKind kind) {
        return streams.store(StoreQueryParameters.fromNameAndType(
                LedgerStores.windowStore(kind), QueryableStoreTypes.windowStore()));
    }

    private <V> ReadOnlyKeyValueStore<String, V> keyValue(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }
}
