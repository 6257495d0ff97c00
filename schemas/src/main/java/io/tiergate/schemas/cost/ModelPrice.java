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
 * @param maxOutputTokens the most output tokens one call of this model may produce: the provider's
 *     documented limit (price table field {@code maxOutputTokens}). Every call sends at most this as
 *     its {@code max_tokens}, and a call's worst case is priced with it (docs/budgets.md, "The cost
 *     of one request").
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
        long maxOutputTokens,
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
        if (maxOutputTokens < 1) {
            throw new IllegalArgumentException("maxOutputTokens of " + id + " must be >= 1, was " + maxOutputTokens);
        }
    }

    /**
     * The {@code max_tokens} of a call: what was asked for ({@code requested}, e.g. the request's
     * {@code maxOutputTokens} or an endpoint's default), never above this model's cap; the cap when
     * nothing was asked for.
     */
    public long outputLimit(Long requested) {
        return requested == null ? maxOutputTokens : Math.min(Math.max(1, requested), maxOutputTokens);
    }

    public boolean local() {
        return tier == Tier.LOCAL;
    }
}
