package io.tiergate.ledger.backends;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.ledger.support.CostEvents;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.Tier;
import org.junit.jupiter.api.Test;

class ServedBackendsTest {

    private static CostEvent call(Tier tier, boolean simulated) {
        CostEvent real = CostEvents.cost("r").tier(tier).build();
        return simulated
                ? CostEvent.newBuilder(real)
                        .setSimulated(true)
                        .setProvider("simulated")
                        .build()
                : real;
    }

    @Test
    void nothingSeenIsNoNotice() {
        ServedBackends.View view = new ServedBackends().view();
        assertThat(view.simulated()).isFalse();
        assertThat(view.tiers()).isEmpty();
    }

    @Test
    void aTierWhoseLatestCallWasSimulatedRaisesTheNoticeWithItsCounts() {
        ServedBackends backends = new ServedBackends();
        backends.accept(call(Tier.LOCAL, true));
        backends.accept(call(Tier.LOCAL, true));
        backends.accept(call(Tier.CLOUD, false));
        ServedBackends.View view = backends.view();
        assertThat(view.simulated()).isTrue();
        assertThat(view.tiers().get("LOCAL")).isEqualTo(new ServedBackends.TierView(2, 0, "simulated", true));
        assertThat(view.tiers().get("CLOUD")).isEqualTo(new ServedBackends.TierView(0, 1, "openrouter", false));
    }

    @Test
    void onceRealBackendsServeAgainTheNoticeGoesButTheCountsStay() {
        ServedBackends backends = new ServedBackends();
        backends.accept(call(Tier.CLOUD, true));
        backends.accept(call(Tier.CLOUD, false));
        ServedBackends.View view = backends.view();
        assertThat(view.simulated()).isFalse();
        assertThat(view.tiers().get("CLOUD").simulated()).isEqualTo(1);
        assertThat(view.tiers().get("CLOUD").real()).isEqualTo(1);
    }

    @Test
    void callsOfNoTierAreNotCounted() {
        ServedBackends backends = new ServedBackends();
        backends.accept(call(Tier.NONE, true));
        assertThat(backends.view().tiers()).isEmpty();
    }
}
