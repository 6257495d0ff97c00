package io.tiergate.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The sends of one batch, each with the consumed record it forwards, waited for before the batch's
 * offsets commit. A send refused because of its own record (too large for the producer or the
 * broker, not serializable) would fail the same way on every retry, so it is not retried: the source
 * record goes to its {@code .dlq} and its request is answered REJECTED ({@link
 * InboundRecords#reject}); the other sends stand. Any other failure (broker unavailable, timeout)
 * throws, and the batch is read again ({@link BatchRetry}).
 */
public final class Forwards {

    /** Records at most this large (serialized value) can travel through every hop of the pipeline. */
    public static final int MAX_REQUEST_BYTES = 1_048_576 - 65_536;

    private record Forward(ConsumerRecord<?, ?> source, SpecificRecord value, CompletableFuture<?> send) {}

    private final List<Forward> forwards = new ArrayList<>();

    /**
     * Refuses a consumed request too large to be passed on: the Kafka producer's default {@code
     * max.request.size} (1 MiB) less 64 KiB for what later hops add (classification, routing
     * decision, headers).
     */
    public static void checkSize(ConsumerRecord<?, byte[]> record) {
        int size = record.serializedValueSize();
        if (size > MAX_REQUEST_BYTES) {
            throw new InvalidInputException("the request is " + size + " bytes serialized; at most "
                    + MAX_REQUEST_BYTES + " bytes can travel through the pipeline (1 MiB per record"
                    + " less 64 KiB for what the classifier and router add)");
        }
    }

    public void add(ConsumerRecord<?, ?> source, SpecificRecord value, CompletableFuture<?> send) {
        forwards.add(new Forward(source, value, send));
    }

    public boolean isEmpty() {
        return forwards.isEmpty();
    }

    /** Waits for every send, at most {@code timeout} in all; see the class comment for failures. */
    public void await(InboundRecords inbound, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Forward f : forwards) {
            try {
                f.send().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while forwarding", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Forwarding did not complete within " + timeout, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RecordTooLargeException || cause instanceof SerializationException) {
                    inbound.reject(f.source(), f.value(), RequestAnswers.NOT_FORWARDABLE, cause);
                } else {
                    throw new IllegalStateException("Forwarding failed: " + cause.getMessage(), cause);
                }
            }
        }
    }
}
