package io.tiergate.classifier.kafka;

import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.tiergate.classifier.classify.ChatText;
import io.tiergate.classifier.classify.RequestClassifier;
import io.tiergate.platform.kafka.BatchRetry;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.Forwards;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.platform.kafka.RetryingBatchListener;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * inference.requests → classify → inference.classified, keyed by request id.
 *
 * <p>Per batch: each record is decoded, checked and scanned in offset order, then the task model
 * runs once over the batch (one embedding call), and the events are sent in offset order; the
 * listener returns only when every send is acknowledged, and only then are the offsets committed,
 * so nothing is lost. The commit is asynchronous (one broker round trip less per batch on the
 * latency path): a commit lost to a crash or a rebalance only means the batch is classified again. One idempotent producer sends in poll order, so events of one key
 * keep their order. Undecodable records, tombstones, rejected prompts, requests too large to pass
 * on ({@link Forwards#checkSize}) and prompts the classifier throws on go to inference.requests.dlq
 * (platform's {@link InboundRecords}), and their callers get a REJECTED result; a send refused for its
 * own record is handled the same way ({@link Forwards}); any other failed send throws,
 * and {@link BatchRetry} reads the batch again from its first offset after a second, indefinitely,
 * rather than skip it (a re-run may publish a classification twice; consumers key by request id).
 */
@RetryingBatchListener(
        groupId = "tiergate-classifier-service",
        offsetStrategy = OffsetStrategy.ASYNC,
        threadsValue = "${tiergate.classifier.listener-threads:1}") // consumers in this JVM, each its own partitions
public class InferenceRequestListener {

    /** How long the batch's sends may take before it is read again. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    private final InboundRecords inbound;
    private final RequestClassifier classifier;
    private final EventPublisher publisher;
    private final ClassifierMetrics metrics;

    public InferenceRequestListener(
            InboundRecords inbound, RequestClassifier classifier, EventPublisher publisher, ClassifierMetrics metrics) {
        this.inbound = inbound;
        this.classifier = classifier;
        this.publisher = publisher;
        this.metrics = metrics;
        inbound.warmUp(List.of(Topics.INFERENCE_REQUESTS));
        publisher.warmUp(List.of(Topics.INFERENCE_CLASSIFIED, Topics.INFERENCE_RESULTS));
    }

    /** A decoded request, checked and scanned, waiting for the batch's task model. */
    private record Pending(
            ConsumerRecord<String, byte[]> record, InferenceRequest request, RequestClassifier.Prepared prepared) {}

    @Topic(Topics.Names.INFERENCE_REQUESTS)
    public void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        BatchRetry.run(records, consumer, () -> classify(records));
    }

    private void classify(List<ConsumerRecord<String, byte[]>> records) {
        long start = System.nanoTime();
        List<Pending> pending = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            inbound.process(Topics.INFERENCE_REQUESTS, record, request -> {
                Forwards.checkSize(record);
                pending.add(new Pending(record, request, prepare(request)));
            });
        }
        List<RequestClassifier.Result> results;
        try {
            results =
                    classifier.complete(pending.stream().map(Pending::prepared).toList());
        } catch (RuntimeException | StackOverflowError e) {
            results = null; // one of the batch breaks the model: classify one at a time, dead-letter that one
        }
        Forwards forwards = new Forwards();
        long nanosEach = pending.isEmpty() ? 0 : (System.nanoTime() - start) / pending.size();
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            if (results != null) {
                metrics.record(results.get(i), nanosEach);
                forwards.add(p.record(), p.request(), send(p.request(), results.get(i)));
            } else {
                inbound.process(
                        Topics.INFERENCE_REQUESTS,
                        p.record(),
                        request -> forwards.add(p.record(), request, send(request, completeAlone(p))));
            }
        }
        publisher.flush(); // the batch is classified: its records go now, not after the producer's linger
        forwards.await(inbound, SEND_TIMEOUT);
    }

    private RequestClassifier.Prepared prepare(InferenceRequest request) {
        if (request == null) {
            throw new InvalidInputException("tombstone: inference.requests carries requests, not deletes");
        }
        if (request.getRequestId().isBlank()) {
            throw new InvalidInputException("requestId is empty");
        }
        try {
            return classifier.prepare(
                    request.getPrompt(), request.getSystemPrompt(), request.getTaskTypeHint(), ChatText.of(request));
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // deterministic on this input: a retry would fail the same way and stall the partition
            throw new ClassificationFailedException(e);
        }
    }

    private RequestClassifier.Result completeAlone(Pending p) {
        long start = System.nanoTime();
        RequestClassifier.Result result;
        try {
            result = classifier.complete(List.of(p.prepared())).get(0);
        } catch (RuntimeException | StackOverflowError e) {
            throw new ClassificationFailedException(e);
        }
        metrics.record(result, System.nanoTime() - start);
        return result;
    }

    private CompletableFuture<?> send(InferenceRequest request, RequestClassifier.Result result) {
        ClassifiedRequest event = ClassifiedRequest.newBuilder()
                .setRequest(request)
                .setClassification(result.classification())
                .setClassifiedAt(Instant.now())
                .build();
        return publisher.send(Topics.INFERENCE_CLASSIFIED, request.getRequestId(), event);
    }
}
