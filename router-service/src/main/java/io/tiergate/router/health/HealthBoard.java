package io.tiergate.router.health;

import io.tiergate.router.policy.LocalCapacity;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WorkerHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@code worker.health} record per worker. The local tier's capacity is the aggregate of
 * its fresh records (updated within {@code staleness}; an older record is a worker that stopped
 * reporting and tells nothing): overloaded when no local worker has room (queue depth at or over
 * its limit, or circuit OPEN); queue wait estimated on the least-loaded available worker as
 * depth × average service time. With no fresh record the local tier is assumed available.
 */
public final class HealthBoard {

    private final Map<String, WorkerHealth> workers = new ConcurrentHashMap<>();
    private final long stalenessMs;
    private final long averageServiceMs;

    public HealthBoard(Duration staleness, Duration averageLocalService) {
        this.stalenessMs = staleness.toMillis();
        this.averageServiceMs = averageLocalService.toMillis();
    }

    /** A health record, or {@code null} (tombstone: the worker is gone). */
    public void onHealth(String workerId, WorkerHealth health) {
        if (health == null) {
            workers.remove(workerId);
        } else {
            workers.put(workerId, health);
        }
    }

    public LocalCapacity localCapacity(long nowMs) {
        List<WorkerHealth> fresh = new ArrayList<>();
        for (WorkerHealth h : workers.values()) {
            if (h.getTier() == Tier.LOCAL && nowMs - h.getUpdatedAt().toEpochMilli() <= stalenessMs) {
                fresh.add(h);
            }
        }
        if (fresh.isEmpty()) {
            return LocalCapacity.unknown();
        }
        long bestWait = Long.MAX_VALUE;
        int open = 0;
        List<String> parts = new ArrayList<>();
        for (WorkerHealth h : fresh) {
            boolean circuitOpen = h.getCircuit() == CircuitState.OPEN;
            if (circuitOpen) {
                open++;
            }
            boolean room = !circuitOpen && h.getQueueDepth() < h.getQueueLimit();
            if (room) {
                bestWait = Math.min(bestWait, (long) Math.max(0, h.getQueueDepth()) * averageServiceMs);
            }
            parts.add(h.getWorkerId() + " queue " + h.getQueueDepth() + "/" + h.getQueueLimit() + " circuit "
                    + h.getCircuit());
        }
        boolean overloaded = bestWait == Long.MAX_VALUE;
        boolean allOpen = open == fresh.size();
        return new LocalCapacity(true, overloaded, allOpen, bestWait, String.join(", ", parts));
    }
}
