package io.tiergate.ledger.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonTest {

    @Test
    void ninetyFiveOfAHundredMatchesTheClosedForm() {
        // Wilson 95% for 95/100, computed independently of this code: 0.8882 to 0.9785
        Wilson w = Wilson.interval95(95, 100);
        assertThat(w.lower()).isCloseTo(0.8882, within(0.0001));
        assertThat(w.upper()).isCloseTo(0.9785, within(0.0001));
    }

    @Test
    void seventyPercentOfSixtyIsConfidentlyBelowNinetyPercent() {
        Wilson w = Wilson.interval95(42, 60);
        assertThat(w.lower()).isCloseTo(0.5749, within(0.0001));
        assertThat(w.upper()).isCloseTo(0.8010, within(0.0001));
        assertThat(w.upper()).isLessThan(0.9);
    }

    @Test
    void allAgreedStillLeavesRoomBelowOneButNeverAbove() {
        Wilson w = Wilson.interval95(60, 60);
        assertThat(w.upper()).isLessThanOrEqualTo(1.0).isCloseTo(1.0, within(1e-12));
        assertThat(w.lower()).isCloseTo(0.9398, within(0.0001));
    }

    @Test
    void noneAgreedHasLowerBoundZero() {
        Wilson w = Wilson.interval95(0, 10);
        assertThat(w.lower()).isEqualTo(0.0);
        assertThat(w.upper()).isCloseTo(0.2775, within(0.0001));
    }

    @Test
    void noSamplesKnowNothing() {
        assertThat(Wilson.interval95(0, 0)).isEqualTo(new Wilson(0.0, 1.0));
    }

    @Test
    void moreAgreedThanSamplesIsRefused() {
        assertThatThrownBy(() -> Wilson.interval95(3, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
