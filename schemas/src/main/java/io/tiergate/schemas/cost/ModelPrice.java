package io.tiergate.schemas.cost;

import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.Tier;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One model of the price table: where it runs, how capable it is, what a million tokens cost (cloud)
 * and how fast it is (used for latency estimates and by the simulated backends).
 *
 * @param inputPerMTok USD per million uncached input tokens (zero for local models)
 */
public record ModelPrice(
        String id,
        String provider,
        Tier tier,
        CapabilityClass capabilityClass,
        BigDecimal inputPerMTok,
        BigDecimal outputPerMTok,
        BigDecimal cachedReadPerMTok,
        BigDecimal cacheWritePerMTok,
        SpeedProfile profile) {

    /** Typical speed of a model, for latency estimates and simulated backends. */
    public record SpeedProfile(long ttftMs, double outputTokensPerSecond, double promptTokensPerSecond) {
        /** Estimated wall time of a call producing {@code outputTokens} from {@code inputTokens}. */
        public long estimatedMillis(long inputTokens, long outputTokens) {
            return ttftMs
                    + Math.round(1000.0 * inputTokens / promptTokensPerSecond)
                    + Math.round(1000.0 * outputTokens / outputTokensPerSecond);
        }
    }

    public ModelPrice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(capabilityClass, "capabilityClass");
        Objects.requireNonNull(profile, "profile");
    }

    public boolean local() {
        return tier == Tier.LOCAL;
    }
}
