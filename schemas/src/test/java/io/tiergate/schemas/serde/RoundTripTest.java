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
    return SampleEvents.all().entrySet().stream().map(e -> Arguments.of(e.getKey().getSimpleName(), e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("events")
  <T extends SpecificRecord> void roundTripsThroughMockRegistryWithKafkaStyleConfiguration(
      String name, Class<T> type, T sample) {
    AvroSerializer<T> serializer = new AvroSerializer<>();
    serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false);
    AvroDeserializer<T> deserializer = new AvroDeserializer<>();
    deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url, SerdeConfig.VALUE_TYPE, type.getName()), false);

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
      assertThat(MockSchemaRegistry.forScope(url.substring(7)).idOf("k." + name + "-key", sample.getSchema())).isPositive();
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
