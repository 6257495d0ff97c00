package io.tiergate.worker.kafka;

import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.worker.work.Attempt;
import io.tiergate.worker.work.Delivery;
import io.tiergate.worker.work.Output;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One consumed record and what became of it: the item a {@link TierWorker} keeps in its ledger. */
final class InFlightRequest {

    private static final Logger LOG = LoggerFactory.getLogger(InFlightRequest.class);

    final ConsumerRecord<String, byte[]> record;
    /** Null when the record never became a request (dead-lettered, or a tombstone). */
    final RoutedRequest request;

    volatile Work work;
    volatile Future<?> future;
    volatile WorkOutcome outcome;
    /** Not served: an earlier record of the same request was (docs/delivery.md, "Write-ahead attempts"). */
    volatile boolean duplicate;

    private volatile boolean givenUp;

    private InFlightRequest(ConsumerRecord<String, byte[]> record, RoutedRequest request) {
        this.record = record;
        this.request = request;
        this.outcome = request == null ? WorkOutcome.none() : null;
    }

    /** Decodes {@code record}; an undecodable one goes to the dead letters and has nothing to run. */
    static InFlightRequest read(
            ConsumerRecord<String, byte[]> record, Topic<RoutedRequest> topic, InboundRecords inbound) {
        RoutedRequest[] decoded = new RoutedRequest[1];
        boolean accepted = inbound.process(topic, record, value -> decoded[0] = value);
        if (accepted && decoded[0] == null) {
            LOG.warn("Skipping tombstone at {}-{}@{}", record.topic(), record.partition(), record.offset());
        }
        return new InFlightRequest(record, accepted ? decoded[0] : null);
    }

    /** Everything {@code requests} publish, in order. */
    static List<Output<?>> outputsOf(List<InFlightRequest> requests) {
        List<Output<?>> outputs = new ArrayList<>();
        requests.forEach(r -> outputs.addAll(r.outcome.outputs()));
        return outputs;
    }

    /** The model calls the handler made (none for a record that never became a request). */
    List<Attempt> attempts() {
        Work w = work;
        return w == null ? List.of() : w.attempts();
    }

    /** True once the runtime gave the request up: its outcome will not be published. */
    boolean givenUp() {
        return givenUp;
    }

    /** Where the record was read. */
    Delivery delivery() {
        return new Delivery(record.topic(), record.partition(), record.offset());
    }

    /** The attempts a dead worker left open that this request's outcome settles. */
    int inDoubt() {
        Work w = work;
        return w == null ? 0 : w.inDoubt().size();
    }

    /** Gives the request up: its handler sees {@link Work#cancelled()}, its thread is interrupted. */
    void cancel() {
        cancelWork();
        if (future != null) {
            future.cancel(true);
        }
    }

    /** Tells a running handler the request was given up (it should stop retrying), without interrupting it. */
    void cancelWork() {
        givenUp = true;
        if (work != null) {
            work.cancel();
        }
    }

    /**
     * Waits up to {@code timeout} in all for the running {@code requests} to finish (a revoked
     * partition's last chance to commit them); returns early when this thread is interrupted.
     */
    static void awaitAll(List<InFlightRequest> requests, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (InFlightRequest r : requests) {
            long left = deadline - System.nanoTime();
            Future<?> running = r.future;
            if (left <= 0) {
                return;
            }
            if (running == null) {
                continue;
            }
            try {
                running.get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // timeout or a handler failure: the ledger says what happened
            }
        }
    }
}
