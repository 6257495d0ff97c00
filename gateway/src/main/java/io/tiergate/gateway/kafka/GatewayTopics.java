package io.tiergate.gateway.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.tiergate.gateway.config.GatewayConfiguration;
import io.tiergate.gateway.keys.VirtualKeys;
import io.tiergate.gateway.pending.PendingCalls;
import io.tiergate.gateway.stream.StreamingCalls;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.TopicProvisioning;
import io.tiergate.platform.kafka.read.CompactedView;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicFollower;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.topics.Topics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Kafka (docs/gateway.md, "Correlation"):
 *
 * <ul>
 *   <li>gateway.keys in full (a {@link CompactedView}): every instance knows every key and sees a
 *       revocation as soon as it is written;
 *   <li>inference.results and routing.decisions from their end, every partition, no consumer group
 *       (a {@link TopicFollower}): each instance sees every result and decodes only those of calls
 *       it holds ({@link PendingCalls#waitingFor}, a map lookup on the record key). The follower is
 *       positioned before the first request is produced, so no result of a call can pass unseen.
 *       {@code read_committed}: workers write results transactionally;
 *   <li>inference.stream in the same follower: chunks of calls streaming here ({@link
 *       StreamingCalls}), relayed as they come; written outside transactions, so read_committed does
 *       not hold them back;
 *   <li>requests to inference.requests, keyed by request id, like any producer's.
 * </ul>
 */
@Context
@Requires(notEnv = Environment.CLI)
public class GatewayTopics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayTopics.class);

    private final KafkaClientSettings settings;
    private final EventDecoder decoder;
    private final EventPublisher publisher;
    private final VirtualKeys keys;
    private final PendingCalls pending;
    private final StreamingCalls streams;
    private final GatewayConfiguration config;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private CompactedView keyView;
    private TopicFollower results;

    public GatewayTopics(
            KafkaClientSettings settings,
            EventDecoder decoder,
            EventPublisher publisher,
            VirtualKeys keys,
            PendingCalls pending,
            StreamingCalls streams,
            GatewayConfiguration config,
            @Nullable TopicProvisioning topicsProvisioned) {
        this.streams = streams;
        // topicsProvisioned: injected so the topics exist before the readers are positioned on them
        this.settings = settings;
        this.decoder = decoder;
        this.publisher = publisher;
        this.keys = keys;
        this.pending = pending;
        this.config = config;
    }

    @PostConstruct
    void start() throws InterruptedException {
        results = TopicFollower.start(
                settings,
                ReadSpec.of("tiergate-gateway-results-" + instance)
                        .readCommitted(true)
                        .topic(Topics.INFERENCE_RESULTS, StartAt.end())
                        .topic(Topics.ROUTING_DECISIONS, StartAt.end())
                        .topic(Topics.INFERENCE_STREAM, StartAt.end()),
                this::onRecord);
        keyView = CompactedView.builder(settings, decoder, "tiergate-gateway-keys-" + instance)
                .topic(Topics.GATEWAY_KEYS, keys::apply)
                .start();
        if (!results.awaitCaughtUp(config.startupTimeout()) || !keyView.awaitCaughtUp(config.startupTimeout())) {
            throw new IllegalStateException("gateway: gateway.keys and inference.results not read within "
                    + GatewayConfiguration.PREFIX + ".startup-timeout=" + config.startupTimeout());
        }
        LOG.info("gateway {}: {} virtual keys known, following results", instance, keys.size());
    }

    private void onRecord(ConsumerRecord<String, byte[]> record) {
        if (Topics.INFERENCE_STREAM.name().equals(record.topic())) {
            onChunk(record);
            return;
        }
        if (record.value() == null || !pending.waitingFor(record.key())) {
            return; // another instance's call, or one given up: not even decoded
        }
        try {
            if (Topics.INFERENCE_RESULTS.name().equals(record.topic())) {
                InferenceResult result = decoder.decode(Topics.INFERENCE_RESULTS, record);
                pending.onResult(result);
            } else {
                RoutingDecision decision = decoder.decode(Topics.ROUTING_DECISIONS, record);
                pending.onDecision(decision);
            }
        } catch (EventDecoder.DecodeException e) {
            LOG.warn("gateway: skipped an undecodable record: {}", e.getMessage());
        }
    }

    /** A streamed chunk: relayed when its call streams here (docs/gateway.md, "Streaming"). */
    private void onChunk(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null || !streams.waitingFor(record.key())) {
            return;
        }
        try {
            streams.onChunk(decoder.decode(Topics.INFERENCE_STREAM, record));
        } catch (EventDecoder.DecodeException e) {
            LOG.warn("gateway: skipped an undecodable stream chunk: {}", e.getMessage());
        }
    }

    /** Publishes a request; the future completes once it is durable (acks=all). */
    public CompletableFuture<RecordMetadata> send(InferenceRequest request) {
        return publisher.send(Topics.INFERENCE_REQUESTS, request.getRequestId(), request);
    }

    /** Throws when a reader stopped on a failure (health). */
    public void check() {
        results.check();
        keyView.check();
    }

    @PreDestroy
    @Override
    public void close() {
        if (results != null) {
            results.close();
        }
        if (keyView != null) {
            keyView.close();
        }
    }
}
