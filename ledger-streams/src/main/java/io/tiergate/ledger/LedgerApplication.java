package io.tiergate.ledger;

import io.micronaut.runtime.Micronaut;

/** Entry point of the ledger-streams; the flow lives in the named classes of this package. */
public final class LedgerApplication {

    private LedgerApplication() {}

    public static void main(String[] args) {
        Micronaut.run(LedgerApplication.class, args);
    }
}
