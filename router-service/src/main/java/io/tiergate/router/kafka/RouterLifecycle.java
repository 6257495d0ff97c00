package io.tiergate.router.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;

/** Starts the router once the context (and topic provisioning) is up. */
@Singleton
@Requires(notEnv = Environment.CLI)
public class RouterLifecycle implements ApplicationEventListener<StartupEvent> {

    private final RouterNode node;

    public RouterLifecycle(RouterNode node) {
        this.node = node;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        node.start();
    }
}
