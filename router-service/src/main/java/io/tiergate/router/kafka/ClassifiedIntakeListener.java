package io.tiergate.router.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.tiergate.platform.kafka.BatchRetry;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.Forwards;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.RetryingBatchListener;
import io.tiergate.router.config.CostCenterConfiguration;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.costcenter.CostCenterCheck;
import io.tiergate.router.route.RequestValidator;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.results.Rejections;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Intake: re-keys {@code inference.classified} (keyed by request id) into the router-owned
 * {@code routing.by-cost-center} (keyed by cost center), so each cost center's budget is decided by
 * one router instance, in order (docs/budgets.md). Before it re-keys, the request's cost center is
 * checked against the registered ones (docs/security.md, "Cost centers"): an unknown one is charged
 * to the default cost center (the request then carries that name, and the one it asked for in the
 * attribute {@value #REQUESTED_COST_CENTER}) or refused with a {@code REJECTED} result, as
 * configured, so every later step sees only registered names. Undecodable or invalid records go to
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
    private final RegisteredCostCenters registered;
    private final CostCenterCheck costCenters;
    private final MeterRegistry meters;

    /** The attribute that keeps the cost center a request named when it is charged to another. */
    public static final String REQUESTED_COST_CENTER = "tiergate.requested-cost-center";

    public ClassifiedIntakeListener(
            InboundRecords inbound,
            EventPublisher publisher,
            RouterConfiguration config,
            RegisteredCostCenters registered,
            CostCenterConfiguration costCenters,
            MeterRegistry meters) {
        this.inbound = inbound;
        this.publisher = publisher;
        this.maxOutputTokens = config.maxOutputTokens();
        this.registered = registered;
        this.costCenters = costCenters.check();
        this.meters = meters;
        inbound.warmUp(List.of(Topics.INFERENCE_CLASSIFIED));
        publisher.warmUp(List.of(Topics.ROUTING_BY_COST_CENTER, Topics.INFERENCE_RESULTS));
    }

    @Topic(Topics.Names.INFERENCE_CLASSIFIED)
    public void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        BatchRetry.run(records, consumer, () -> forward(records));
    }

    private void forward(List<ConsumerRecord<String, byte[]>> records) {
        Forwards forwards = new Forwards();
        var names = registered.current(Duration.ofSeconds(30));
        for (ConsumerRecord<String, byte[]> record : records) {
            inbound.process(Topics.INFERENCE_CLASSIFIED, record, classified -> {
                RequestValidator.validate(classified, maxOutputTokens);
                String requested = classified.getRequest().getCostCenter();
                CostCenterCheck.Outcome outcome = costCenters.check(requested, names);
                if (outcome instanceof CostCenterCheck.Charge charge) {
                    ClassifiedRequest charged = charge.substituted() ? chargedTo(classified, charge) : classified;
                    if (charge.substituted()) {
                        meters.counter("tiergate.router.cost-centers.unregistered", "action", "charged-default")
                                .increment();
                    }
                    forwards.add(
                            record,
                            charged,
                            publisher.send(Topics.ROUTING_BY_COST_CENTER, charge.costCenter(), charged));
                } else if (outcome instanceof CostCenterCheck.Refuse refuse) {
                    meters.counter("tiergate.router.cost-centers.unregistered", "action", "rejected")
                            .increment();
                    var result = Rejections.rejected(
                            classified.getRequest().getRequestId(),
                            requested,
                            classified.getClassification().getTaskType(),
                            "router",
                            "UNKNOWN_COST_CENTER",
                            refuse.message(),
                            "unknown_cost_center",
                            0L,
                            Instant.now());
                    forwards.add(
                            record, result, publisher.send(Topics.INFERENCE_RESULTS, result.getRequestId(), result));
                }
            });
        }
        publisher.flush(); // the batch is forwarded: its records go now, not after the producer's linger
        forwards.await(inbound, Duration.ofSeconds(60));
    }

    private static ClassifiedRequest chargedTo(ClassifiedRequest classified, CostCenterCheck.Charge charge) {
        InferenceRequest request = classified.getRequest();
        Map<String, String> attributes = new HashMap<>(request.getAttributes());
        attributes.put(REQUESTED_COST_CENTER, request.getCostCenter());
        return ClassifiedRequest.newBuilder(classified)
                .setRequest(InferenceRequest.newBuilder(request)
                        .setCostCenter(charge.costCenter())
                        .setAttributes(attributes)
                        .build())
                .build();
    }
}
