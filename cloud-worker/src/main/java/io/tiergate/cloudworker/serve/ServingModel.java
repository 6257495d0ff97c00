package io.tiergate.cloudworker.serve;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.tiergate.cloudworker.config.ModelEndpoint;
import io.tiergate.cloudworker.resilience.ModelRateLimiter;
import io.tiergate.worker.backend.ModelBackend;

/** A model this worker can call: its endpoint, backend, rate limits and circuit breaker. */
public record ServingModel(
        ModelEndpoint endpoint, ModelBackend backend, ModelRateLimiter limiter, CircuitBreaker breaker) {

    public String model() {
        return endpoint.model();
    }

    public boolean simulated() {
        return backend.simulated();
    }
}
