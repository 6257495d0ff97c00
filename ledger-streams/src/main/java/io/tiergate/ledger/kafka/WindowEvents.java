package io.tiergate.ledger.kafka;

import io.tiergate.ledger.windows.WindowKinds;
import io.tiergate.ledger.windows.WindowTotals;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.WindowKind;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns a window's totals into the analysts' {@link CostWindow}, keyed
 * scope|taskType|tier|model|kind|windowStart. The window's end is computed from its start and kind
 * (see {@link CalendarMonthWindows} for why not from the window object).
 */
final class WindowEvents implements Processor<Windowed<String>, WindowTotals, String, CostWindow> {

    private final WindowKind kind;
    private final boolean closed;
    private ProcessorContext<String, CostWindow> context;

    WindowEvents(WindowKind kind, boolean closed) {
        this.kind = kind;
        this.closed = closed;
    }

    @Override
    public void init(ProcessorContext<String, CostWindow> context) {
        this.context = context;
    }

    @Override
    public void process(Record<Windowed<String>, WindowTotals> record) {
        if (record.value() == null) {
            return; // windowed aggregations never delete, but a null must not reach the serializer
        }
        long start = record.key().window().start();
        long end = WindowKinds.end(kind, start);
        CostWindow window = record.value().toCostWindow(kind, start, end, closed, context.currentSystemTimeMs());
        context.forward(record.withKey(WindowKinds.windowKey(record.key().key(), kind, start))
                .withValue(window));
    }
}
