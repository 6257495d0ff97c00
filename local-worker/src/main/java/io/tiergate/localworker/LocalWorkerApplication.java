package io.tiergate.localworker;

import io.micronaut.runtime.Micronaut;

/** Entry point of the local-worker; the flow lives in the named classes of this package. */
public final class LocalWorkerApplication {

    private LocalWorkerApplication() {}

    public static void main(String[] args) {
        Micronaut.run(LocalWorkerApplication.class, args);
    }
}
