package io.tiergate.ledger.kafka;

import io.tiergate.ledger.windows.WindowKinds;
import io.tiergate.schemas.events.WindowKind;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.kstream.Window;
import org.apache.kafka.streams.kstream.Windows;

/**
 * Tumbling calendar months in UTC, for the DSL's {@code windowedBy}: months are 28 to 31 days, so
 * fixed-size {@code TimeWindows} cannot express them.
 *
 * <p>Kafka Streams rebuilds window ends as {@code start + size()} when it reads windows back from a
 * store or its cache, and {@code size()} must be the longest month (31 days) so retention covers
 * every month. So every reader computes the end from the start ({@link WindowKinds#end}), never
 * from the window object, and months are closed by {@link MonthWindowEvents} rather than by the
 * final-result suppression (which would take the rebuilt end).
 */
public final class CalendarMonthWindows extends Windows<CalendarMonthWindows.MonthWindow> {

    private static final long LONGEST_MONTH_MS = Duration.ofDays(31).toMillis();

    private final long graceMs;

    public CalendarMonthWindows(Duration grace) {
        this.graceMs = grace.toMillis();
    }

    @Override
    public Map<Long, MonthWindow> windowsFor(long timestamp) {
        long start = WindowKinds.monthStart(timestamp);
        return Map.of(start, new MonthWindow(start, WindowKinds.end(WindowKind.MONTH, start)));
    }

    @Override
    public long size() {
        return LONGEST_MONTH_MS;
    }

    @Override
    public long gracePeriodMs() {
        return graceMs;
    }

    /** One calendar month [start, end). */
    public static final class MonthWindow extends Window {

        public MonthWindow(long startMs, long endMs) {
            super(startMs, endMs);
        }

        @Override
        public boolean overlap(Window other) {
            if (!(other instanceof MonthWindow)) {
                throw new IllegalArgumentException(
                        "Cannot compare a MonthWindow with " + other.getClass().getSimpleName());
            }
            return start() < other.end() && other.start() < end();
        }
    }
}
