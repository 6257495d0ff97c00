package io.tiergate.worker.kafka;

import io.tiergate.worker.runtime.WorkerMetrics;
import io.tiergate.worker.work.Output;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes finished requests' outputs and the consumed offsets that cover them in one Kafka
 * transaction (docs/delivery.md, "How" 1 and 4): read_committed readers see all of it or none. And
 * decides what a failed transaction means for the caller ({@link Result}).
 */
final class TransactionalOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalOutbox.class);

    /** How a transaction ended, and what the caller does next. */
    enum Result {
        /** Outputs and offsets are visible together: the caller stops tracking the requests. */
        COMMITTED,
        /** Aborted, nothing visible: the requests stay in hand and go out with the next transaction. */
        RETRY,
        /**
         * The producer was fenced (a newer instance or generation owns the work) or is broken: a new
         * one is in place, and the caller drops what it has in hand and reads again from the committed
         * offsets.
         */
        RESET,
        /** {@link FaultInjection#killBeforeCommit()} said die: the outputs are flushed, never committed. */
        KILLED
    }

    /** The transactional producer as the outbox drives it; {@link KafkaOutboxProducer} is the real one. */
    interface Producer {
        /** Starts the producer: fences an earlier one under the same transactional id, aborting its open transaction. */
        void open();

        void begin();

        void send(Output<?> output);

        void flush();

        /** Adds the consumed offsets (per partition, the next offset to read) with the consumer's group metadata. */
        void sendOffsets(Map<TopicPartition, Long> nextOffsets);

        void commit();

        void abort();

        /** Closes this producer at once and starts a new one under the same transactional id. */
        void replace();

        /** Also when never opened. */
        void close(Duration timeout);
    }

    private final Producer producer;
    private final FaultInjection faults;
    private final WorkerMetrics metrics;
    private final String workerId;

    TransactionalOutbox(Producer producer, FaultInjection faults, WorkerMetrics metrics, String workerId) {
        this.producer = producer;
        this.faults = faults;
        this.metrics = metrics;
        this.workerId = workerId;
    }

    /** On the thread that publishes, before the first transaction. */
    void open() {
        producer.open();
    }

    /**
     * @throws RuntimeException anything that is not a Kafka error of the transaction (a serializer's
     *     bug, a producer that cannot be created again): the caller's loop recovers from it
     */
    Result publish(List<Output<?>> outputs, Map<TopicPartition, Long> nextOffsets) {
        try {
            producer.begin();
            for (Output<?> out : outputs) {
                producer.send(out);
            }
            if (faults.killBeforeCommit()) {
                producer.flush();
                LOG.warn("Worker {} killed by fault injection before committing a transaction", workerId);
                return Result.KILLED;
            }
            producer.sendOffsets(nextOffsets);
            producer.commit();
        } catch (ProducerFencedException
                | InvalidProducerEpochException
                | FencedInstanceIdException
                | OutOfOrderSequenceException
                | AuthorizationException
                | UnsupportedVersionException
                | IllegalStateException e) {
            // fatal for this producer: it cannot even abort
            metrics.transactionAborted();
            LOG.warn(
                    "Worker {} fenced or broken producer ({}): resetting to committed offsets", workerId, e.toString());
            producer.replace();
            return Result.RESET;
        } catch (KafkaException e) {
            metrics.transactionAborted();
            LOG.warn(
                    "Worker {} transaction aborted ({}); will retry its {} output(s)",
                    workerId,
                    e.toString(),
                    outputs.size());
            try {
                producer.abort();
                return Result.RETRY;
            } catch (KafkaException abortFailure) {
                producer.replace();
                return Result.RESET;
            }
        }
        metrics.transactionCommitted();
        return Result.COMMITTED;
    }

    /** Closes the producer at once and starts a new one (the poll loop recovering from an unexpected error). */
    void replaceProducer() {
        producer.replace();
    }

    /** At once after a kill (an open transaction stays open), else after the in-flight sends. */
    void close(boolean killed) {
        try {
            producer.close(killed ? Duration.ZERO : Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.debug("producer close: {}", e.toString());
        }
    }
}
