package io.tiergate.ledger.backends;

import io.micronaut.serde.annotation.Serdeable;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.Tier;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which backends served the model calls seen, per tier: how many calls were simulated and how many
 * real, and what served the latest one (docs/decisions.md, "When the simulated backend serves (never
 * silently)"). The dashboard shows a "simulated backends" notice from it, so canned answers and
 * profile prices are never taken for real models' work. Read from the cost events (one per call,
 * each labelled {@code simulated}); a redelivered event counts again, which a notice can afford.
 */
@Singleton
public final class ServedBackends {

    /** One tier's tally. */
    @Serdeable
    public record TierView(long simulated, long real, String latestProvider, boolean latestSimulated) {}

    /**
     * What {@code GET /ledger/backends} answers.
     *
     * @param simulated whether the latest call of any tier went to a simulated backend
     */
    @Serdeable
    public record View(boolean simulated, Map<String, TierView> tiers) {}

    private final Map<Tier, TierView> tiers = new TreeMap<>();

    public synchronized void accept(CostEvent call) {
        if (call.getTier() != Tier.LOCAL && call.getTier() != Tier.CLOUD) {
            return;
        }
        TierView before = tiers.getOrDefault(call.getTier(), new TierView(0, 0, "", false));
        boolean simulated = call.getSimulated();
        tiers.put(
                call.getTier(),
                new TierView(
                        before.simulated() + (simulated ? 1 : 0),
                        before.real() + (simulated ? 0 : 1),
                        call.getProvider(),
                        simulated));
    }

    public synchronized View view() {
        Map<String, TierView> out = new LinkedHashMap<>();
        boolean anySimulated = false;
        for (Map.Entry<Tier, TierView> e : tiers.entrySet()) {
            out.put(e.getKey().name(), e.getValue());
            anySimulated |= e.getValue().latestSimulated();
        }
        return new View(anySimulated, out);
    }
}
