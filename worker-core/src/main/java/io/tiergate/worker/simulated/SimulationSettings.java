package io.tiergate.worker.simulated;

/**
 * Knobs of the simulated backend.
 *
 * @param seed makes token counts, jitter and failures reproducible per (request, attempt, model)
 * @param speedUp wall time = modelled time / speedUp (1 = real time; 50 makes a 2 s call take 40 ms).
 *     Responses still report the modelled durations, so latency figures and local TCO stay plausible.
 * @param failureRate probability of a 503 (retryable) per call
 * @param rateLimitRate probability of a 429 with Retry-After per call
 * @param retryAfterSeconds the Retry-After of a simulated 429 (modelled; the caller scales its wait)
 * @param outputJitter relative spread of output tokens around the task type's expectation (0.3 = ±30 %)
 * @param quality per task type, how often and how the answers are wrong (by request id, the same for
 *     every model: docs/calibration.md, "Simulated quality")
 */
public record SimulationSettings(
        long seed,
        double speedUp,
        double failureRate,
        double rateLimitRate,
        long retryAfterSeconds,
        double outputJitter,
        SimulatedQuality quality) {

    /** Every answer right. */
    public SimulationSettings(
            long seed,
            double speedUp,
            double failureRate,
            double rateLimitRate,
            long retryAfterSeconds,
            double outputJitter) {
        this(seed, speedUp, failureRate, rateLimitRate, retryAfterSeconds, outputJitter, SimulatedQuality.NONE);
    }

    public SimulationSettings {
        java.util.Objects.requireNonNull(quality, "quality");
        if (speedUp <= 0) {
            throw new IllegalArgumentException("simulation speed-up must be > 0, was " + speedUp);
        }
        requireProbability("failure-rate", failureRate);
        requireProbability("rate-limit-rate", rateLimitRate);
        if (failureRate + rateLimitRate > 1) {
            throw new IllegalArgumentException("failure-rate + rate-limit-rate must be <= 1");
        }
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retry-after-seconds must be >= 0");
        }
        if (outputJitter < 0 || outputJitter >= 1) {
            throw new IllegalArgumentException("output-jitter must be in [0, 1), was " + outputJitter);
        }
    }

    /** Real time, no failures, ±30 % output jitter. */
    public static SimulationSettings defaults() {
        return new SimulationSettings(42L, 1.0, 0.0, 0.0, 1, 0.3);
    }

    public SimulationSettings withSpeedUp(double value) {
        return new SimulationSettings(
                seed, value, failureRate, rateLimitRate, retryAfterSeconds, outputJitter, quality);
    }

    public SimulationSettings withFailures(double failures, double rateLimits) {
        return new SimulationSettings(seed, speedUp, failures, rateLimits, retryAfterSeconds, outputJitter, quality);
    }

    public SimulationSettings withQuality(SimulatedQuality value) {
        return new SimulationSettings(
                seed, speedUp, failureRate, rateLimitRate, retryAfterSeconds, outputJitter, value);
    }

    private static void requireProbability(String name, double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + p);
        }
    }
}
