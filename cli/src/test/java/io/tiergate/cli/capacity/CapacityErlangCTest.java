package io.tiergate.cli.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** {@link ErlangC} against the textbook values of M/M/1 and M/M/c. */
class CapacityErlangCTest {

    @Test
    void mm1WaitsWithProbabilityRhoAndForRhoOverMuMinusLambda() {
        // λ = 0.5, S = 1: ρ = 0.5, Wq = ρ / (μ - λ) = 1, sojourn ~ Exp(μ - λ)
        assertThat(ErlangC.probabilityOfWaiting(1, 0.5)).isCloseTo(0.5, within(1e-12));
        assertThat(ErlangC.meanWait(0.5, 1, 1)).isCloseTo(1.0, within(1e-12));
        assertThat(ErlangC.sojournExceeds(2, 0.5, 1, 1)).isCloseTo(Math.exp(-1), within(1e-12));
        assertThat(ErlangC.sojournExceeds(9.2103, 0.5, 1, 1)).isCloseTo(0.01, within(1e-5)); // p99 = ln 100 / 0.5
    }

    @Test
    void mm2AtHalfLoadWaitsOneTimeInThree() {
        assertThat(ErlangC.probabilityOfWaiting(2, 1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(ErlangC.meanWait(1, 2, 1)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void mm3WithTwoErlangsWaitsFourTimesInNine() {
        // C(3, 2) = (8/6 · 3/1) / (1 + 2 + 2 + 4) = 4/9
        assertThat(ErlangC.probabilityOfWaiting(3, 2)).isCloseTo(4.0 / 9, within(1e-12));
        assertThat(ErlangC.meanWait(2, 3, 1)).isCloseTo(4.0 / 9, within(1e-12));
    }

    @Test
    void noSteadyStateAtOrAboveTheServers() {
        assertThat(ErlangC.probabilityOfWaiting(2, 2)).isEqualTo(1);
        assertThat(ErlangC.meanWait(3, 2, 1)).isInfinite();
        assertThat(ErlangC.sojournExceeds(1e9, 2, 2, 1)).isEqualTo(1);
    }

    @Test
    void manyServersStayFinite() {
        double c = ErlangC.probabilityOfWaiting(500, 450);
        assertThat(c).isBetween(0.0, 1.0);
        // more servers for the same load wait less
        assertThat(ErlangC.probabilityOfWaiting(520, 450)).isLessThan(c);
    }

    @Test
    void theSojournIsContinuousWhereTheWaitAndServiceRatesMeet() {
        // c = 2, μ = 1: θ = 2 - λ equals μ at λ = 1
        double at = ErlangC.sojournExceeds(1.7, 1, 2, 1);
        assertThat(ErlangC.sojournExceeds(1.7, 1 + 1e-7, 2, 1)).isCloseTo(at, within(1e-6));
        assertThat(ErlangC.sojournExceeds(1.7, 1 - 1e-7, 2, 1)).isCloseTo(at, within(1e-6));
    }
}
