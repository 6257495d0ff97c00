package io.tiergate.ledger.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.ledger.codec.Binary;
import io.tiergate.schemas.money.Money;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScopeSpendTest {

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void burnRateIsTheSpendOfTheCurrentMinuteAndThe59Before() {
        ScopeSpend spend = new ScopeSpend("s");
        long now = at("2026-11-22T10:00:30Z");
        spend.record(at("2026-11-22T08:59:59Z"), Money.usd("100"), true, now, ZoneOffset.UTC); // too old
        spend.record(at("2026-11-22T09:00:59Z"), Money.usd("1"), true, now, ZoneOffset.UTC); // minute 09:00: too old
        spend.record(at("2026-11-22T09:01:00Z"), Money.usd("2"), true, now, ZoneOffset.UTC); // first minute counted
        spend.record(at("2026-11-22T10:00:10Z"), Money.usd("4"), true, now, ZoneOffset.UTC);
        assertThat(spend.burnRateUsdPerHour(now)).isEqualTo(Money.usd("6"));
    }

    @Test
    void trailingWindowIsThe24ClockHoursBeforeThePreviousOne() {
        ScopeSpend spend = new ScopeSpend("s");
        long now = at("2026-11-22T12:30:00Z");
        spend.record(at("2026-11-21T10:59:59Z"), Money.usd("1000"), true, now, ZoneOffset.UTC); // before the window
        spend.record(at("2026-11-21T11:00:00Z"), Money.usd("1"), true, now, ZoneOffset.UTC); // first hour of it
        spend.record(at("2026-11-22T10:59:59Z"), Money.usd("2"), true, now, ZoneOffset.UTC); // last hour of it
        spend.record(
                at("2026-11-22T11:00:00Z"), Money.usd("500"), true, now, ZoneOffset.UTC); // previous hour: excluded
        assertThat(spend.trailingSpend(now)).isEqualTo(Money.usd("3"));
        assertThat(spend.historyCoversTrailingWindow(now)).isTrue();
        assertThat(spend.historyCoversTrailingWindow(at("2026-11-22T13:00:00Z")))
                .isTrue();
    }

    @Test
    void historyMustReachTheStartOfTheTrailingWindow() {
        ScopeSpend spend = new ScopeSpend("s");
        long now = at("2026-11-22T12:30:00Z");
        spend.record(at("2026-11-21T11:00:01Z"), Money.usd("1"), true, now, ZoneOffset.UTC);
        assertThat(spend.historyCoversTrailingWindow(now)).isFalse();
    }

    @Test
    void dayOfADstChangeHasItsRealLength() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 25 October 2026: clocks go back, the Berlin day is 25 hours long
        long start = Periods.dayStart(at("2026-10-25T12:00:00Z"), berlin);
        long end = Periods.dayEnd(at("2026-10-25T12:00:00Z"), berlin);
        assertThat(Instant.ofEpochMilli(start)).isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
        assertThat(Instant.ofEpochMilli(end)).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
    }

    @Test
    void zoneChangeReAnchorsTheRunningPeriodAndKeepsItsSpend() {
        ScopeSpend spend = new ScopeSpend("s");
        long now = at("2026-11-22T23:30:00Z");
        spend.record(at("2026-11-22T20:00:00Z"), Money.usd("5"), true, now, ZoneOffset.UTC);
        spend.rollTo(now, ZoneId.of("Europe/Berlin"));
        assertThat(Instant.ofEpochMilli(spend.dayStart())).isEqualTo(Instant.parse("2026-11-22T23:00:00Z"));
        assertThat(spend.dayBudgetSpend()).isEqualTo(Money.usd("5"));
        spend.rollTo(at("2026-11-23T23:00:00Z"), ZoneId.of("Europe/Berlin"));
        assertThat(spend.dayBudgetSpend()).isEqualTo(Money.ZERO);
    }

    @Test
    void binaryFormatRoundTripsEverything() {
        ScopeSpend spend = new ScopeSpend("s|with|pipes");
        long now = at("2026-11-22T12:30:00Z");
        spend.record(at("2026-11-22T12:00:00Z"), Money.usd("1.000000001"), true, now, ZoneId.of("America/New_York"));
        spend.record(at("2026-11-22T11:00:00Z"), Money.usd("2"), false, now, ZoneId.of("America/New_York"));
        ScopeSpend copy = Binary.read(Binary.write(spend::writeTo), ScopeSpend::readFrom);
        assertThat(copy).usingRecursiveComparison().isEqualTo(spend);
        assertThat(copy.lifetimeAllTiers()).isEqualTo(Money.usd("3.000000001"));
        assertThat(copy.lifetimeBudgetSpend()).isEqualTo(Money.usd("1.000000001"));
    }
}
