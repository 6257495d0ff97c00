package io.tiergate.cloudworker.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.tiergate.cloudworker.serve.CloudModels;
import io.tiergate.cloudworker.serve.ServingModel;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} detail "cloud-worker": whether the consumer runs, the partitions it owns, requests
 * in flight, and per model whether it is real or SIMULATED and its circuit state. Never a key.
 */
@Singleton
@Requires(beans = CloudWorkerRunner.class)
public class CloudWorkerHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final CloudWorkerRunner runner;
    private final CloudModels models;

    public CloudWorkerHealthIndicator(CloudWorkerRunner runner, CloudModels models) {
        this.runner = runner;
        this.models = models;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        boolean running = runner.worker().running();
        healthStatus = running ? HealthStatus.UP : HealthStatus.DOWN;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("running", running);
        info.put("simulated", models.allSimulated());
        info.put("inFlight", runner.worker().inFlight());
        info.put("maxInFlight", runner.worker().maxInFlight());
        info.put(
                "partitions",
                runner.worker().assignment().stream()
                        .map(Object::toString)
                        .sorted()
                        .toList());
        info.put("circuit", runner.circuit().name());
        Map<String, String> perModel = new LinkedHashMap<>();
        for (ServingModel m : models.all()) {
            perModel.put(
                    m.model(),
                    (m.simulated() ? "SIMULATED" : m.endpoint().provider()) + ", circuit "
                            + m.breaker().getState());
        }
        info.put("models", perModel);
        info.put("unavailable", models.unavailable());
        return info;
    }

    @Override
    protected String getName() {
        return "cloud-worker";
    }
}
