package io.tiergate.localworker.health;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.tiergate.localworker.capacity.AdmissionQueue;
import io.tiergate.localworker.capacity.LocalCircuit;
import io.tiergate.localworker.config.LocalWorkerConfiguration;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.schemas.events.Tier;
import io.tiergate.worker.health.HealthSnapshot;
import io.tiergate.worker.health.WorkerHealthPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Tells the router how loaded the local machine is: queue depth, queue limit and circuit state to
 * {@code worker.health} (compacted, key = worker id) through worker-core's publisher — when it
 * changes (checked every {@code health-check-every}, and at once on a circuit transition) and at
 * least every {@code health-heartbeat}. A stopped worker leaves a tombstone.
 */
@Singleton
@Requires(notEnv = Environment.CLI)
public class LocalHealthReporter implements AutoCloseable {

    private final WorkerHealthPublisher publisher;
    private final AdmissionQueue capacity;
    private final LocalCircuit circuit;
    private final Duration checkEvery;
    private final Duration heartbeat;
    private volatile boolean started;

    public LocalHealthReporter(
            EventPublisher events, LocalWorkerConfiguration config, AdmissionQueue capacity, LocalCircuit circuit) {
        this.publisher = new WorkerHealthPublisher(events, config.workerId(), Tier.LOCAL);
        this.capacity = capacity;
        this.circuit = circuit;
        this.checkEvery = config.healthCheckEvery();
        this.heartbeat = config.healthHeartbeat();
    }

    public HealthSnapshot snapshot() {
        return new HealthSnapshot(capacity.queueDepth(), capacity.queueLimit(), circuit.state());
    }

    public synchronized void start() {
        if (!started) {
            started = true;
            publisher.start(this::snapshot, checkEvery, heartbeat);
        }
    }

    /** Publishes the current state now if it differs from the last published one. */
    public void publishNow() {
        if (started) {
            publisher.publishIfDue(snapshot(), heartbeat);
        }
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (started) {
            started = false;
            publisher.close();
        }
    }
}
