package io.tiergate.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.topics.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What goes to a {@code .dlq} and what must not: a record whose schema does not exist is bad input;
 * a record read while the schema registry is down is not, and must be read again, not dead-lettered.
 */
class InboundRecordsTest {

    /** Confluent wire format: magic 0, schema id 99, one byte of payload. */
    private static final byte[] FRAMED_WITH_ID_99 = {0, 0, 0, 0, 99, 2};

    /** Records what would be dead-lettered; its producer never connects (nothing listens at :1). */
    static final class RecordingDeadLetters extends DeadLetters {
        final List<Throwable> letters = new ArrayList<>();

        RecordingDeadLetters(KafkaClientSettings settings) {
            super(settings, new SimpleMeterRegistry());
        }

        @Override
        public void send(ConsumerRecord<?, ?> record, Throwable error) {
            letters.add(error);
        }
    }

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private InboundRecords inbound(String registryUrl, RecordingDeadLetters[] letters) {
        KafkaClientSettings settings = new KafkaClientSettings("127.0.0.1:1", registryUrl, "inbound-test");
        letters[0] = new RecordingDeadLetters(settings);
        closing.add(letters[0]);
        return new InboundRecords(new EventDecoder(settings), letters[0]);
    }

    private static ConsumerRecord<String, byte[]> record() {
        return new ConsumerRecord<>(Topics.INFERENCE_REQUESTS.name(), 0, 42L, "r-1", FRAMED_WITH_ID_99);
    }

    @Test
    void aRecordNamingASchemaTheRegistryDoesNotHaveIsDeadLettered() {
        RecordingDeadLetters[] letters = new RecordingDeadLetters[1];
        InboundRecords inbound = inbound("mock://inbound-records-test", letters);
        List<InferenceRequest> handled = new ArrayList<>();

        assertThat(inbound.process(Topics.INFERENCE_REQUESTS, record(), handled::add))
                .isFalse();

        assertThat(handled).isEmpty();
        assertThat(letters[0].letters)
                .singleElement()
                .isInstanceOf(EventDecoder.DecodeException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("inference.requests-0@42"));
    }

    @Test
    void aRecordReadWhileTheRegistryIsDownIsNotDeadLetteredButThrownBackForARetry() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        RecordingDeadLetters[] letters = new RecordingDeadLetters[1];
        InboundRecords inbound = inbound("http://127.0.0.1:" + deadPort, letters);
        List<InferenceRequest> handled = new ArrayList<>();

        assertThatThrownBy(() -> inbound.process(Topics.INFERENCE_REQUESTS, record(), handled::add))
                .isInstanceOf(EventDecoder.RegistryUnavailableException.class)
                .hasMessageContaining("inference.requests-0@42")
                .hasMessageContaining("will be read again");

        assertThat(handled).isEmpty();
        assertThat(letters[0].letters).isEmpty();
    }
}
