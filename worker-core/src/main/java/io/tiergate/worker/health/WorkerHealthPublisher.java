package io.tiergate.worker.health;

import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one worker's {@link WorkerHealth} to {@code worker.health} (compacted, key = workerId),
 * which the router reads for its capacity rule. With {@link #start}: checks the snapshot every
 * {@code checkEvery} and publishes when it changed, and at least every {@code heartbeat} so a reader
 * can tell a live worker from a stale record ({@code updatedAt}). {@link #close()} publishes a
 * tombstone: the worker is gone. Health is advisory: sends are not transactional and a failed send
 * is logged and retried at the next check.
 */
public final class WorkerHealthPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerHealthPublisher.class);

    private final EventPublisher publisher;
    private final Topic<WorkerHealth> topic;
    private final String workerId;
    private final Tier tier;
    private final Clock clock;
    private ScheduledExecutorService scheduler;
    private volatile HealthSnapshot lastPublished;
    private volatile Instant lastPublishedAt = Instant.EPOCH;

    public WorkerHealthPublisher(EventPublisher publisher, String workerId, Tier tier) {
        this(publisher, Topics.WORKER_HEALTH, workerId, tier, Clock.systemUTC());
    }

    public WorkerHealthPublisher(
            EventPublisher publisher, Topic<WorkerHealth> topic, String workerId, Tier tier, Clock clock) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.tier = Objects.requireNonNull(tier, "tier");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Publishes {@code snapshot} now. */
    public CompletableFuture<RecordMetadata> publish(HealthSnapshot snapshot) {
        WorkerHealth health = WorkerHealth.newBuilder()
                .setWorkerId(workerId)
                .setTier(tier)
                .setQueueDepth(snapshot.queueDepth())
                .setQueueLimit(snapshot.queueLimit())
                .setCircuit(snapshot.circuit())
                .setUpdatedAt(clock.instant())
                .build();
        lastPublished = snapshot;
        lastPublishedAt = clock.instant();
        return publisher.send(topic, workerId, health).whenComplete((ok, error) -> {
            if (error != null) {
                lastPublished = null; // publish again at the next check
                LOG.warn("Could not publish health of {}: {}", workerId, error.toString());
            }
        });
    }

    /** Publishes when {@code snapshot} differs from the last published one or the heartbeat is due. */
    public void publishIfDue(HealthSnapshot snapshot, Duration heartbeat) {
        boolean changed = !snapshot.equals(lastPublished);
        boolean due = Duration.between(lastPublishedAt, clock.instant()).compareTo(heartbeat) >= 0;
        if (changed || due) {
            publish(snapshot);
        }
    }

    /** Starts publishing {@code source}'s snapshots (on change, and every {@code heartbeat}). */
    public synchronized WorkerHealthPublisher start(
            Supplier<HealthSnapshot> source, Duration checkEvery, Duration heartbeat) {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tiergate-" + workerId + "-health");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        publishIfDue(source.get(), heartbeat);
                    } catch (RuntimeException e) {
                        LOG.warn("Health snapshot of {} failed: {}", workerId, e.toString());
                    }
                },
                0,
                checkEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Stops the schedule and publishes a tombstone for this worker. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        try {
            publisher.sendTombstone(topic, workerId).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Could not publish the tombstone of {}: {}", workerId, e.toString());
        }
    }
}
