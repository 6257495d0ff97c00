package io.tiergate.localworker.health;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import io.tiergate.localworker.capacity.AdmissionQueue;
import io.tiergate.localworker.capacity.LocalCircuit;
import io.tiergate.localworker.endpoint.LocalEndpoint;
import io.tiergate.localworker.endpoint.LocalEndpoints;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * {@code /health} detail "localModel": which backend each endpoint got (real or SIMULATED), the
 * circuit and the queue. Always UP: an open circuit is handled by escalation, not by restarting.
 */
@Singleton
@Liveness
public class LocalModelHealthIndicator implements HealthIndicator {

    private final LocalEndpoints endpoints;
    private final AdmissionQueue capacity;
    private final LocalCircuit circuit;

    public LocalModelHealthIndicator(LocalEndpoints endpoints, AdmissionQueue capacity, LocalCircuit circuit) {
        this.endpoints = endpoints;
        this.capacity = capacity;
        this.circuit = circuit;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Object> byEndpoint = new LinkedHashMap<>();
        for (LocalEndpoint e : endpoints.all()) {
            byEndpoint.put(
                    e.name(), Map.of("backend", e.description(), "simulated", e.simulated(), "models", e.models()));
        }
        details.put("endpoints", byEndpoint);
        details.put("circuit", circuit.state().name());
        details.put("queueDepth", capacity.queueDepth());
        details.put("queueLimit", capacity.queueLimit());
        details.put("streamsRunning", capacity.running());
        return Publishers.just(HealthResult.builder("localModel", HealthStatus.UP)
                .details(details)
                .build());
    }
}
