package io.tiergate.platform.kafka;

import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.results.Rejections;
import io.tiergate.schemas.topics.Topics;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer a request gets when a service cannot pass it on: a {@code REJECTED} {@link
 * InferenceResult} on {@code inference.results}, keyed by the request id, with an error code and a
 * message saying why, so a caller never waits forever for a request that was dead-lettered. Sent and
 * waited for before the source offset commits (a crash in between answers twice: the same request
 * id, the same reason).
 */
@Singleton
public class RequestAnswers {

    /** The record did not decode. */
    public static final String UNDECODABLE = "undecodable";

    /** The record decoded but the service refused it ({@link InvalidInputException}). */
    public static final String INVALID_INPUT = "invalid_input";

    /** The record could not be passed on (too large for the next topic, not serializable). */
    public static final String NOT_FORWARDABLE = "not_forwardable";

    /** Topics whose records are requests still owed a result, keyed by request id. */
    private static final Set<String> KEYED_BY_REQUEST_ID = Set.of(
            Topics.INFERENCE_REQUESTS.name(),
            Topics.INFERENCE_CLASSIFIED.name(),
            Topics.TIER_LOCAL.name(),
            Topics.TIER_CLOUD.name());

    /** Topics whose records are requests still owed a result. */
    private static final Set<String> REQUEST_TOPICS = Set.of(
            Topics.INFERENCE_REQUESTS.name(),
            Topics.INFERENCE_CLASSIFIED.name(),
            Topics.ROUTING_BY_COST_CENTER.name(),
            Topics.TIER_LOCAL.name(),
            Topics.TIER_CLOUD.name());

    private static final Logger LOG = LoggerFactory.getLogger(RequestAnswers.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final EventPublisher publisher;
    private final String service;

    public RequestAnswers(EventPublisher publisher, KafkaClientSettings settings) {
        this.publisher = publisher;
        this.service = settings.applicationName();
    }

    /** Whether records of {@code topic} are requests that are owed a result. */
    public static boolean carriesRequests(String topic) {
        return REQUEST_TOPICS.contains(topic);
    }

    /**
     * Answers the request behind {@code record} (its decoded {@code value}, or null when it did not
     * decode: then the key is the request id, on the topics keyed by it) with a REJECTED result;
     * blocks until durable. A record without a request id cannot be answered and is only logged.
     */
    public void reject(ConsumerRecord<?, ?> record, SpecificRecord value, String errorCode, Throwable error) {
        InferenceRequest request = requestOf(value);
        String requestId = request != null && !request.getRequestId().isBlank()
                ? request.getRequestId()
                : record.key() == null || !KEYED_BY_REQUEST_ID.contains(record.topic())
                        ? null
                        : record.key().toString();
        if (requestId == null || requestId.isBlank()) {
            LOG.warn(
                    "Cannot answer the request at {}-{}@{}: no request id in its value or key",
                    record.topic(),
                    record.partition(),
                    record.offset());
            return;
        }
        InferenceResult result = Rejections.rejected(
                requestId,
                request == null ? "unknown" : request.getCostCenter(),
                taskTypeOf(value),
                service,
                errorCode,
                "Rejected by " + service + " without calling a model: " + reason(error),
                errorCode,
                0,
                Instant.now());
        try {
            publisher
                    .send(Topics.INFERENCE_RESULTS, requestId, result)
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while answering " + requestId, e);
        } catch (ExecutionException | TimeoutException e) {
            // the source offset must not be committed: the batch is read again
            throw new IllegalStateException("Cannot answer " + requestId + ": " + e.getMessage(), e);
        }
    }

    private static String reason(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    private static InferenceRequest requestOf(SpecificRecord value) {
        if (value instanceof InferenceRequest r) {
            return r;
        }
        if (value instanceof ClassifiedRequest c) {
            return c.getRequest();
        }
        if (value instanceof RoutedRequest r && r.getClassified() != null) {
            return r.getClassified().getRequest();
        }
        return null;
    }

    private static TaskType taskTypeOf(SpecificRecord value) {
        ClassifiedRequest classified =
                value instanceof ClassifiedRequest c ? c : value instanceof RoutedRequest r ? r.getClassified() : null;
        return classified == null || classified.getClassification() == null
                ? TaskType.UNKNOWN
                : classified.getClassification().getTaskType();
    }
}
