package io.tiergate.ledger.windows;

import io.tiergate.schemas.events.WindowKind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Window boundaries of the analysts' topic, all in UTC: hours and days are epoch-aligned tumbling
 * windows, months are calendar months. The budget's own periods (in the budget's zone) are a
 * separate matter: see {@link io.tiergate.ledger.budget.Periods}.
 */
public final class WindowKinds {

    public static final long HOUR_MS = 3_600_000L;
    public static final long DAY_MS = 86_400_000L;

    private WindowKinds() {}

    public static long start(WindowKind kind, long timestamp) {
        return switch (kind) {
            case HOUR -> timestamp - Math.floorMod(timestamp, HOUR_MS);
            case DAY -> timestamp - Math.floorMod(timestamp, DAY_MS);
            case MONTH -> monthStart(timestamp);
            case UNKNOWN -> throw new IllegalArgumentException("UNKNOWN is not a window kind");
        };
    }

    public static long end(WindowKind kind, long start) {
        return switch (kind) {
            case HOUR -> start + HOUR_MS;
            case DAY -> start + DAY_MS;
            case MONTH ->
                utcDate(start)
                        .withDayOfMonth(1)
                        .plusMonths(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli();
            case UNKNOWN -> throw new IllegalArgumentException("UNKNOWN is not a window kind");
        };
    }

    public static long monthStart(long timestamp) {
        return utcDate(timestamp)
                .withDayOfMonth(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
    }

    /** The key of a window on cost.windows: scope|taskType|tier|model|kind|windowStart (ISO-8601, UTC). */
    public static String windowKey(String dimensionKey, WindowKind kind, long start) {
        return dimensionKey + '|' + kind + '|' + Instant.ofEpochMilli(start);
    }

    private static LocalDate utcDate(long timestamp) {
        return Instant.ofEpochMilli(timestamp).atZone(ZoneOffset.UTC).toLocalDate();
    }
}
