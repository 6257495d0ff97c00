package io.tiergate.router;

import io.micronaut.runtime.Micronaut;

/** Entry point of the router-service; the flow lives in the named classes of this package. */
public final class RouterApplication {

    private RouterApplication() {}

    public static void main(String[] args) {
        Micronaut.run(RouterApplication.class, args);
    }
}
