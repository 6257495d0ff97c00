package io.tiergate.gateway;

import io.micronaut.runtime.Micronaut;

/** Entry point of the gateway; the flow lives in the named classes of its packages. */
public final class GatewayApplication {

    private GatewayApplication() {}

    public static void main(String[] args) {
        Micronaut.run(GatewayApplication.class, args);
    }
}
