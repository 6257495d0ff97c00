package io.tiergate.ledger.kafka;

import io.tiergate.ledger.budget.InvalidBudgetConfigException;
import io.tiergate.ledger.calibration.InvalidCalibrationSampleException;
import io.tiergate.ledger.scope.InvalidCostEventException;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.schemas.serde.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes a raw record of an input topic and checks it. A record that does not decode (truncated
 * Avro, unknown schema id, JSON on an Avro topic) or that the check rejects goes on as {@link
 * Decoded#rejected} with the headers {@link DeadLetters} writes everywhere else (error class and
 * message, source topic/partition/offset; plus {@code tiergate.error.field} for a named field), so
 * the topology can route it to the {@code .dlq} twin with its original bytes, inside the same
 * exactly-once transaction as everything else.
 *
 * <p>Registry outages are not the record's fault: transport errors, 429 and 5xx after retries,
 * 401/403 ({@link SchemaRegistryException#isOutage(Throwable)}) propagate, the stream thread is
 * replaced and the transaction retried, and nothing is dead-lettered by mistake.
 */
final class DecodeOrReject<V, R> implements Processor<byte[], byte[], String, Decoded<R>> {

    static final String ERROR_FIELD = "tiergate.error.field";

    /**
     * Checks a decoded value (null for a tombstone) and turns it into what flows on; throws
     * (typically an InvalidInputException naming the field) to reject the record.
     */
    @FunctionalInterface
    interface Interpreter<V, R> {
        R interpret(String key, V value, long wallClockMs);
    }

    private final String topic;
    private final Deserializer<V> deserializer;
    private final Interpreter<V, R> interpreter;
    private ProcessorContext<String, Decoded<R>> context;

    private DecodeOrReject(String topic, Deserializer<V> deserializer, Interpreter<V, R> interpreter) {
        this.topic = topic;
        this.deserializer = deserializer;
        this.interpreter = interpreter;
    }

    static <V, R> ProcessorSupplier<byte[], byte[], String, Decoded<R>> supplier(
            String topic, Supplier<Deserializer<V>> deserializers, Interpreter<V, R> interpreter) {
        return () -> new DecodeOrReject<>(topic, deserializers.get(), interpreter);
    }

    @Override
    public void init(ProcessorContext<String, Decoded<R>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        Decoded<R> decoded;
        Headers headers = record.headers();
        try {
            V value = deserializer.deserialize(topic, record.value());
            decoded = Decoded.accepted(key, interpreter.interpret(key, value, context.currentSystemTimeMs()));
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isOutage(e)) {
                throw e;
            }
            decoded = Decoded.rejected(record.key(), record.value(), e);
            headers = errorHeaders(record.headers(), e);
        }
        context.forward(record.withKey(key).withValue(decoded).withHeaders(headers));
    }

    private Headers errorHeaders(Headers original, RuntimeException error) {
        RecordHeaders headers = new RecordHeaders(original.toArray());
        headers.add(DeadLetters.ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(DeadLetters.ERROR_MESSAGE, utf8(String.valueOf(error.getMessage())));
        if (error instanceof InvalidBudgetConfigException invalid) {
            headers.add(ERROR_FIELD, utf8(invalid.field()));
        } else if (error instanceof InvalidCostEventException invalid) {
            headers.add(ERROR_FIELD, utf8(invalid.field()));
        } else if (error instanceof InvalidCalibrationSampleException invalid) {
            headers.add(ERROR_FIELD, utf8(invalid.field()));
        }
        RecordMetadata source = context.recordMetadata().orElse(null);
        headers.add(DeadLetters.SOURCE_TOPIC, utf8(source == null ? topic : source.topic()));
        headers.add(DeadLetters.SOURCE_PARTITION, utf8(source == null ? "-1" : String.valueOf(source.partition())));
        headers.add(DeadLetters.SOURCE_OFFSET, utf8(source == null ? "-1" : String.valueOf(source.offset())));
        return headers;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
