package io.tiergate.worker.shadow;

import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.policy.SovereigntyRule;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which locally served requests are shadowed (docs/calibration.md, "Shadow traffic"): a fraction per
 * task type (absent: 0, off), decided by the request id — a redelivered request is sampled again or
 * not at all, never once per delivery — and <b>never</b> a sovereign request: one that asks for data
 * sovereignty, whose classification found sensitive data, or that the router marked sovereign
 * ({@link SovereigntyRule#isSovereign(RoutedRequest)}).
 */
public final class ShadowSampler {

    /** Shadows nothing. */
    public static final ShadowSampler OFF = new ShadowSampler(Map.of());

    private static final long SALT = 0x5AAD_0715_EEDL;

    private final Map<TaskType, Double> fractions;

    /** @param fractions task type → share of its locally served requests to shadow, in [0, 1] */
    public ShadowSampler(Map<TaskType, Double> fractions) {
        Map<TaskType, Double> copy = new EnumMap<>(TaskType.class);
        fractions.forEach((type, f) -> {
            if (f == null || f.isNaN() || f < 0 || f > 1) {
                throw new IllegalArgumentException("shadow fraction of " + type + " must be in [0, 1], was " + f);
            }
            copy.put(type, f);
        });
        this.fractions = Map.copyOf(copy);
    }

    public double fraction(TaskType type) {
        return fractions.getOrDefault(type, 0.0);
    }

    /** True when at least one task type is shadowed. */
    public boolean enabled() {
        return fractions.values().stream().anyMatch(f -> f > 0);
    }

    /** True when {@code request} is to be shadowed: not sovereign, and its id's draw is below its type's fraction. */
    public boolean sampled(RoutedRequest request) {
        if (SovereigntyRule.isSovereign(request)) {
            return false;
        }
        double fraction = fraction(request.getClassified().getClassification().getTaskType());
        return fraction > 0 && draw(request.getClassified().getRequest().getRequestId()) < fraction;
    }

    /** The request id's uniform draw in [0, 1), the same on every JVM (not the simulation's draw). */
    static double draw(String requestId) {
        long h = 0xCBF29CE484222325L; // FNV-1a 64
        for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return new SplittableRandom(h ^ SALT).nextDouble();
    }
}
