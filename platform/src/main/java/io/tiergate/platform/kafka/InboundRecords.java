package io.tiergate.platform.kafka;

import io.tiergate.schemas.topics.Topic;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The dead-letter pattern, once: decode a consumed record and hand it to the service logic; a record
 * that does not decode, or that the logic rejects with {@link InvalidInputException}, goes to the
 * topic's {@code .dlq} and the consumer moves on. If the record is a request ({@link
 * RequestAnswers#carriesRequests}), its caller also gets a REJECTED result saying why, so nobody
 * waits forever for a dead-lettered request. Any other exception propagates, so the listener
 * retries instead of losing the record: a schema registry outage among them ({@link
 * EventDecoder.RegistryUnavailableException}), which says nothing about the record.
 */
@Singleton
public class InboundRecords {

    private final EventDecoder decoder;
    private final DeadLetters deadLetters;
    private final RequestAnswers answers;

    @Inject
    public InboundRecords(EventDecoder decoder, DeadLetters deadLetters, RequestAnswers answers) {
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.answers = answers;
    }

    /** Without answers: for consumers of topics that carry no requests (and tests of the pattern). */
    public InboundRecords(EventDecoder decoder, DeadLetters deadLetters) {
        this(decoder, deadLetters, null);
    }

    /**
     * @return true when {@code handler} accepted the record; false when it was dead-lettered
     */
    public <V extends SpecificRecord> boolean process(
            Topic<V> topic, ConsumerRecord<?, byte[]> record, Consumer<V> handler) {
        V value;
        try {
            value = decoder.decode(topic, record);
        } catch (EventDecoder.DecodeException e) {
            reject(record, null, RequestAnswers.UNDECODABLE, e);
            return false;
        }
        try {
            handler.accept(value);
            return true;
        } catch (InvalidInputException e) {
            reject(record, value, RequestAnswers.INVALID_INPUT, e);
            return false;
        }
    }

    /**
     * Dead-letters {@code record} and, if it is a request, answers it with a REJECTED result carrying
     * {@code errorCode} and the error's message; both are durable when this returns.
     */
    public void reject(ConsumerRecord<?, ?> record, SpecificRecord value, String errorCode, Throwable error) {
        deadLetters.send(record, error);
        if (answers != null && RequestAnswers.carriesRequests(record.topic())) {
            answers.reject(record, value, errorCode, error);
        }
    }

    /** See {@link EventDecoder#warmUp}: the hop's input topics, before its first record. */
    public void warmUp(Collection<? extends Topic<?>> topics) {
        decoder.warmUp(topics);
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }
}
