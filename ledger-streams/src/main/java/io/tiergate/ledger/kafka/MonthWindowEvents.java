package io.tiergate.ledger.kafka;

import io.tiergate.ledger.windows.WindowKinds;
import io.tiergate.ledger.windows.WindowTotals;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.WindowKind;
import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Publishes monthly windows: every update as it comes (closed=false), and each month once more,
 * closed, when stream time passes its end + grace.
 *
 * <p>Hourly and daily windows close through {@code suppress(untilWindowCloses)}; months cannot:
 * the suppression takes a window's end from the record, and a cached window store rebuilds ends as
 * start + {@code size()} (31 days for every month). Calendar months all close at the same instant,
 * so this processor closes them itself: when the updates' event time shows that every month before
 * M is past end + grace, it reads those months' final totals from the month window store and
 * publishes them, and remembers (in a changelogged store) up to where it has closed, so a month is
 * published closed once, across restarts too.
 */
final class MonthWindowEvents implements Processor<Windowed<String>, WindowTotals, String, CostWindow> {

    private static final String CLOSED_BEFORE = "closed-before";

    private final String windowStoreName;
    private final String marksStoreName;
    private final long graceMs;
    private ProcessorContext<String, CostWindow> context;
    private TimestampedWindowStore<String, WindowTotals> months;
    private KeyValueStore<String, Long> marks;

    MonthWindowEvents(String windowStoreName, String marksStoreName, Duration grace) {
        this.windowStoreName = windowStoreName;
        this.marksStoreName = marksStoreName;
        this.graceMs = grace.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, CostWindow> context) {
        this.context = context;
        this.months = context.getStateStore(windowStoreName);
        this.marks = context.getStateStore(marksStoreName);
    }

    @Override
    public void process(Record<Windowed<String>, WindowTotals> record) {
        if (record.value() != null) {
            forward(record.key().key(), record.key().window().start(), record.value(), false, record.timestamp());
        }
        // months starting before this one are past end + grace
        long closeBefore = WindowKinds.monthStart(record.timestamp() - graceMs);
        Long closedBefore = marks.get(CLOSED_BEFORE);
        if (closedBefore != null && closeBefore <= closedBefore) {
            return;
        }
        long from = closedBefore == null ? 0L : closedBefore;
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<WindowTotals>> due =
                months.fetchAll(from, closeBefore - 1)) {
            while (due.hasNext()) {
                KeyValue<Windowed<String>, ValueAndTimestamp<WindowTotals>> month = due.next();
                forward(month.key.key(), month.key.window().start(), month.value.value(), true, record.timestamp());
            }
        }
        marks.put(CLOSED_BEFORE, closeBefore);
    }

    private void forward(String dimensions, long start, WindowTotals totals, boolean closed, long timestamp) {
        CostWindow window = totals.toCostWindow(
                WindowKind.MONTH,
                start,
                WindowKinds.end(WindowKind.MONTH, start),
                closed,
                context.currentSystemTimeMs());
        context.forward(new Record<>(WindowKinds.windowKey(dimensions, WindowKind.MONTH, start), window, timestamp));
    }
}
