package io.tiergate.ledger.kafka;

import io.tiergate.ledger.budget.BudgetPolicy;
import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.calibration.CalibrationTotals;
import io.tiergate.ledger.codec.Binary;
import io.tiergate.ledger.scope.OpenAttempt;
import io.tiergate.ledger.scope.ScopeInput;
import io.tiergate.ledger.scope.ScopedCost;
import io.tiergate.ledger.windows.WindowTotals;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of the ledger's internal state (stores, repartition topics): the compact binary format of
 * {@link Binary}, no registry round-trip, so a restore never depends on the registry. Public
 * events keep using the Avro serde.
 */
final class InternalSerdes {

    private InternalSerdes() {}

    static Serde<ScopedCost> scopedCost() {
        return of(ScopedCost::toBytes, ScopedCost::fromBytes);
    }

    static Serde<ScopeInput> scopeInput() {
        return of(ScopeInput::toBytes, ScopeInput::fromBytes);
    }

    static Serde<OpenAttempt> openAttempt() {
        return of(OpenAttempt::toBytes, OpenAttempt::fromBytes);
    }

    static Serde<WindowTotals> windowTotals() {
        return of(WindowTotals::toBytes, WindowTotals::fromBytes);
    }

    static Serde<CalibrationTotals> calibrationTotals() {
        return of(CalibrationTotals::toBytes, CalibrationTotals::fromBytes);
    }

    static Serde<ScopeSpend> scopeSpend() {
        return of(spend -> Binary.write(spend::writeTo), data -> Binary.read(data, ScopeSpend::readFrom));
    }

    static Serde<BudgetPolicy> budgetPolicy() {
        return of(
                policy -> Binary.write(out -> ScopeInput.writePolicy(out, policy)),
                data -> Binary.read(data, ScopeInput::readPolicy));
    }

    private static <T> Serde<T> of(Function<T, byte[]> write, Function<byte[], T> read) {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : write.apply(value),
                (topic, data) -> data == null ? null : read.apply(data));
    }
}
