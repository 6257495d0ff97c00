package io.tiergate.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type survives serde → bytes → serde unchanged, configured the way services do it. */
class RoundTripTest {

    private final String url = "mock://roundtrip-" + UUID.randomUUID();

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop(url.substring(SchemaRegistries.MOCK_PREFIX.length()));
    }

    static Stream<Arguments> events() {
        return SampleEvents.all().entrySet().stream()
                .map(e -> Arguments.of(e.getKey().getSimpleName(), e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    <T extends SpecificRecord> void roundTripsThroughMockRegistryWithKafkaStyleConfiguration(
            String name, Class<T> type, T sample) {
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        AvroDeserializer<T> deserializer = new AvroDeserializer<>();
        deserializer.configure(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url, SerdeConfig.VALUE_TYPE, type.getName()), false);

        byte[] bytes = serializer.serialize("t." + name, sample);
        T back = deserializer.deserialize("t." + name, bytes);

        assertThat(back).isEqualTo(sample).isNotSameAs(sample);
        assertThat(bytes[0]).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    <T extends SpecificRecord> void roundTripsThroughAvroSerdesAsAKey(String name, Class<T> type, T sample) {
        try (Serde<T> serde = AvroSerdes.forType(type, Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), true)) {
            byte[] bytes = serde.serializer().serialize("k." + name, sample);

            assertThat(serde.deserializer().deserialize("k." + name, bytes)).isEqualTo(sample);
            assertThat(MockSchemaRegistry.forScope(url.substring(7)).idOf("k." + name + "-key", sample.getSchema()))
                    .isPositive();
        }
    }

    @org.junit.jupiter.api.Test
    void oneSerializerAndDeserializerAreSafeToShareAcrossThreads() throws Exception {
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        Map<Class<? extends SpecificRecord>, AvroDeserializer<SpecificRecord>> deserializers =
                new java.util.HashMap<>();
        for (var type : SampleEvents.all().keySet()) {
            AvroDeserializer<SpecificRecord> d = new AvroDeserializer<>();
            d.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url, SerdeConfig.VALUE_TYPE, type), false);
            deserializers.put(type, d);
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        for (var sample : SampleEvents.all().entrySet()) {
                            String topic = "mt." + sample.getKey().getSimpleName();
                            var back = deserializers
                                    .get(sample.getKey())
                                    .deserialize(topic, serializer.serialize(topic, sample.getValue()));
                            if (!back.equals(sample.getValue())) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (var result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A sample left at a default would let a round trip that drops the field pass unnoticed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void everySampleFieldDiffersFromItsDefault(String name, Class<?> type, SpecificRecord sample) {
        SpecificData model = SpecificData.getForClass(type);
        for (Schema.Field field : sample.getSchema().getFields()) {
            if (field.hasDefaultValue()) {
                assertThat(String.valueOf(sample.get(field.pos())))
                        .as("%s.%s is at its default", name, field.name())
                        .isNotEqualTo(String.valueOf(model.getDefaultValue(field)));
            }
        }
    }
}
