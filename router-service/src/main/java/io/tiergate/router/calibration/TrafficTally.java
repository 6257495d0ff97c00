package io.tiergate.router.calibration;

import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Sums {@code inference.costs} into {@link TaskTraffic} per task type. Counts each (requestId,
 * attempt) once (the topic is at-least-once, as the ledger's dedupe assumes) and leaves out the
 * calibration's own SHADOW and JUDGE calls. Not thread-safe: one reader fills it.
 */
public final class TrafficTally {

    private final Set<String> seenAttempts = new HashSet<>();
    private final Map<TaskType, Set<String>> requests = new EnumMap<>(TaskType.class);
    private final Map<TaskType, long[]> counts = new EnumMap<>(TaskType.class); // localAttempts, in, out, cloud
    private final Map<TaskType, BigDecimal[]> money = new EnumMap<>(TaskType.class); // local, cloud
    private long fromMs = Long.MAX_VALUE;
    private long toMs = Long.MIN_VALUE;

    public void add(CostEvent event) {
        if (event.getReason() == CostReason.SHADOW || event.getReason() == CostReason.JUDGE) {
            return;
        }
        if (!seenAttempts.add(event.getRequestId() + "|" + event.getAttempt())) {
            return;
        }
        TaskType type = event.getTaskType();
        requests.computeIfAbsent(type, t -> new HashSet<>()).add(event.getRequestId());
        long[] c = counts.computeIfAbsent(type, t -> new long[4]);
        BigDecimal[] m = money.computeIfAbsent(type, t -> new BigDecimal[] {Money.ZERO, Money.ZERO});
        if (event.getTier() == Tier.LOCAL) {
            c[0]++;
            c[1] += event.getInputTokens() + event.getCachedReadTokens() + event.getCacheWriteTokens();
            c[2] += event.getOutputTokens();
            m[0] = Money.sum(m[0], event.getCostUsd());
        } else if (event.getTier() == Tier.CLOUD) {
            c[3]++;
            m[1] = Money.sum(m[1], event.getCostUsd());
        }
        long at = event.getOccurredAt().toEpochMilli();
        fromMs = Math.min(fromMs, at);
        toMs = Math.max(toMs, at);
    }

    /** The traffic of {@code type}; zeros when none was recorded. */
    public TaskTraffic of(TaskType type) {
        long[] c = counts.getOrDefault(type, new long[4]);
        BigDecimal[] m = money.getOrDefault(type, new BigDecimal[] {Money.ZERO, Money.ZERO});
        return new TaskTraffic(
                type,
                requests.getOrDefault(type, Set.of()).size(),
                c[0],
                m[0],
                c[1],
                c[2],
                c[3],
                m[1],
                fromMs == Long.MAX_VALUE ? null : Instant.ofEpochMilli(fromMs),
                toMs == Long.MIN_VALUE ? null : Instant.ofEpochMilli(toMs));
    }

    public Map<TaskType, TaskTraffic> all() {
        Map<TaskType, TaskTraffic> all = new EnumMap<>(TaskType.class);
        for (TaskType t : TaskType.values()) {
            all.put(t, of(t));
        }
        return all;
    }
}
