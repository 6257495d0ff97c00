package io.tiergate.ledger.kafka;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Passes raw cost records on and notes each one's offset on the {@link CostsProgressBoard}. */
final class NoteCostOffsets implements Processor<byte[], byte[], byte[], byte[]> {

    private final CostsProgressBoard board;
    private ProcessorContext<byte[], byte[]> context;

    NoteCostOffsets(CostsProgressBoard board) {
        this.board = board;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        board.reset(context.taskId());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        // the record is noted before it is forwarded, but a punctuation never runs in between: by the
        // time MarkCostsProgress reads the board, everything downstream of this record has been done
        context.recordMetadata().ifPresent(m -> board.taken(context.taskId(), m.partition(), m.offset()));
        context.forward(record);
    }
}
