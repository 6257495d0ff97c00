package io.tiergate.ledger.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Budget period boundaries (day, month) of an instant, in a budget's time zone. {@code
 * atStartOfDay(zone)} takes care of days that do not start at midnight (DST gaps).
 */
public final class Periods {

    private Periods() {}

    public static long dayStart(long epochMs, ZoneId zone) {
        return date(epochMs, zone).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    public static long dayEnd(long epochMs, ZoneId zone) {
        return date(epochMs, zone).plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    public static long monthStart(long epochMs, ZoneId zone) {
        return date(epochMs, zone)
                .withDayOfMonth(1)
                .atStartOfDay(zone)
                .toInstant()
                .toEpochMilli();
    }

    public static long monthEnd(long epochMs, ZoneId zone) {
        return date(epochMs, zone)
                .withDayOfMonth(1)
                .plusMonths(1)
                .atStartOfDay(zone)
                .toInstant()
                .toEpochMilli();
    }

    private static LocalDate date(long epochMs, ZoneId zone) {
        return Instant.ofEpochMilli(epochMs).atZone(zone).toLocalDate();
    }
}
