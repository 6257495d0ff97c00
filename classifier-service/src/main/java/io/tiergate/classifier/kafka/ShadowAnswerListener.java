package io.tiergate.classifier.kafka;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.tiergate.classifier.calibrate.ShadowJudges;
import io.tiergate.platform.kafka.BatchRetry;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.platform.kafka.RetryingBatchListener;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * inference.shadow.answers → judge → routing.calibration.samples, keyed {@code TASKTYPE|localModel}
 * (docs/calibration.md, "Judges"): the judges run here because the classifier's sentence model does.
 * Undecodable records and tombstones go to inference.shadow.answers.dlq; the batch's offsets are
 * committed only once every sample is acknowledged, else the batch is read again ({@link
 * BatchRetry}; a re-run may publish a sample twice — the request id tells them apart).
 */
@RetryingBatchListener(groupId = "${tiergate.classifier.judges-group-id:tiergate-classifier-judges}")
public class ShadowAnswerListener {

    private final InboundRecords inbound;
    private final ShadowJudges judges;
    private final EventPublisher publisher;

    public ShadowAnswerListener(InboundRecords inbound, ShadowJudges judges, EventPublisher publisher) {
        this.inbound = inbound;
        this.judges = judges;
        this.publisher = publisher;
    }

    @Topic(Topics.Names.SHADOW_ANSWERS)
    public void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        BatchRetry.run(records, consumer, () -> judge(records));
    }

    private void judge(List<ConsumerRecord<String, byte[]>> records) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            inbound.process(Topics.SHADOW_ANSWERS, record, answer -> {
                if (answer == null) {
                    throw new InvalidInputException("tombstone: inference.shadow.answers carries answers, not deletes");
                }
                CalibrationSample sample = judges.sample(answer);
                sends.add(publisher.send(Topics.CALIBRATION_SAMPLES, ShadowJudges.key(sample), sample));
            });
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing calibration samples", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("calibration samples not acknowledged: " + e, e);
        }
    }
}
