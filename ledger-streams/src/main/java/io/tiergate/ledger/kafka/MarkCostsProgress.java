package io.tiergate.ledger.kafka;

import io.tiergate.ledger.scope.CostsProgress;
import io.tiergate.ledger.scope.ScopeInput;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The end of the cost path before {@code by-scope}: passes each scoped cost (and settlement of an
 * open attempt) on and, every
 * {@code interval} of wall-clock time, a {@link CostsProgress} marker for the cost partition this
 * task reads, when it has moved. A punctuation runs between records, never inside one, so every
 * cost of an offset below the marker's has already been sent to {@code by-scope}; the marker goes
 * to every partition of it ({@link ProgressPartitioner}) after them.
 */
final class MarkCostsProgress implements Processor<String, ScopeInput, String, ScopeInput> {

    private final CostsProgressBoard board;
    private final Duration interval;
    private ProcessorContext<String, ScopeInput> context;
    private long lastMarked = -1;

    MarkCostsProgress(CostsProgressBoard board, Duration interval) {
        this.board = board;
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, ScopeInput> context) {
        this.context = context;
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::mark);
    }

    @Override
    public void process(Record<String, ScopeInput> record) {
        context.forward(record);
    }

    private void mark(long wallClockMs) {
        board.progress(context.taskId()).ifPresent(progress -> {
            if (progress.nextOffset() > lastMarked) {
                lastMarked = progress.nextOffset();
                context.forward(new Record<>(CostsProgress.KEY, progress, wallClockMs));
            }
        });
    }
}
