package io.tiergate.router.kafka;

import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.tiergate.platform.kafka.BatchRetry;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.Forwards;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.RetryingBatchListener;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.route.RequestValidator;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Intake: re-keys {@code inference.classified} (keyed by request id) into the router-owned
 * {@code routing.by-cost-center} (keyed by cost center), so each cost center's budget is decided by
 * one router instance, in order (docs/budgets.md). Undecodable or invalid records go to
 * {@code inference.classified.dlq}; offsets commit (asynchronously, off the latency path) after the
 * forwarded records are durable, so a lost commit only means a batch is forwarded again.
 */
@RetryingBatchListener(
        groupId = "${tiergate.router.intake-group-id:tiergate-router-intake}",
        offsetStrategy = OffsetStrategy.ASYNC)
public class ClassifiedIntakeListener {

    private final InboundRecords inbound;
    private final EventPublisher publisher;
    private final int maxOutputTokens;

    public ClassifiedIntakeListener(InboundRecords inbound, EventPublisher publisher, RouterConfiguration config) {
        this.inbound = inbound;
        this.publisher = publisher;
        this.maxOutputTokens = config.maxOutputTokens();
    }

    @Topic(Topics.Names.INFERENCE_CLASSIFIED)
    public void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        BatchRetry.run(records, consumer, () -> forward(records));
    }

    private void forward(List<ConsumerRecord<String, byte[]>> records) {
        Forwards forwards = new Forwards();
        for (ConsumerRecord<String, byte[]> record : records) {
            inbound.process(Topics.INFERENCE_CLASSIFIED, record, classified -> {
                RequestValidator.validate(classified, maxOutputTokens);
                forwards.add(
                        record,
                        classified,
                        publisher.send(
                                Topics.ROUTING_BY_COST_CENTER,
                                classified.getRequest().getCostCenter(),
                                classified));
            });
        }
        forwards.await(inbound, Duration.ofSeconds(60));
    }
}
