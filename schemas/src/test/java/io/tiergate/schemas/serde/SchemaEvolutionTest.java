package io.tiergate.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WorkerHealth;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writers and readers on different schema versions: an old writer with a new reader (defaults fill
 * the gap), a newer writer with symbols or fields this reader does not know, and a registration
 * the registry must refuse.
 */
class SchemaEvolutionTest {

    private final String scope = "evolution-" + UUID.randomUUID();
    private final MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop(scope);
    }

    /** Writes a generic record with its own schema, registered under the topic's value subject. */
    private byte[] writeWith(String topic, GenericRecord record) throws IOException {
        int id = registry.register(topic + "-value", record.getSchema());
        return ConfluentWireFormat.frame(id, new GenericDatumWriter<GenericRecord>(record.getSchema()), record);
    }

    /** RoutingRule as a first release might have had it: no fallbackModels, no complexity threshold. */
    private static final Schema ROUTING_RULE_V0 = new Schema.Parser().parse("""
              {"type": "record", "name": "RoutingRule", "namespace": "io.tiergate.schemas.events",
               "fields": [
                {"name": "taskType", "type": "string"},
                {"name": "tier", "type": {"type": "enum", "name": "Tier", "symbols": ["LOCAL", "CLOUD", "NONE", "UNKNOWN"], "default": "UNKNOWN"}},
                {"name": "model", "type": "string"},
                {"name": "updatedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}
               ]}
              """);

    @Test
    void anOldWriterIsReadWithTheNewFieldsDefaults() throws IOException {
        GenericRecord old = new GenericRecordBuilder(ROUTING_RULE_V0)
                .set("taskType", "BOILERPLATE")
                .set(
                        "tier",
                        new GenericData.EnumSymbol(
                                ROUTING_RULE_V0.getField("tier").schema(), "CLOUD"))
                .set("model", "deepseek/deepseek-chat")
                .set("updatedAt", 1_000L)
                .build();

        RoutingRule read = new AvroDeserializer<>(registry, RoutingRule.class)
                .deserialize("routing.rules", writeWith("routing.rules", old));

        assertThat(read.getTaskType()).isEqualTo("BOILERPLATE");
        assertThat(read.getTier()).isEqualTo(Tier.CLOUD);
        assertThat(read.getModel()).isEqualTo("deepseek/deepseek-chat");
        assertThat(read.getFallbackModels()).isEmpty();
        assertThat(read.getLocalComplexityThreshold()).isNull();
        assertThat(read.getUpdatedAt().toEpochMilli()).isEqualTo(1_000L);
    }

    /** WorkerHealth from a newer writer: new symbols in Tier and CircuitState, and a new field. */
    private static Schema newerWorkerHealth() {
        String text = WorkerHealth.getClassSchema()
                .toString()
                .replace(
                        "\"LOCAL\",\"CLOUD\",\"NONE\",\"UNKNOWN\"", "\"LOCAL\",\"CLOUD\",\"NONE\",\"UNKNOWN\",\"EDGE\"")
                .replace(
                        "\"CLOSED\",\"OPEN\",\"HALF_OPEN\",\"UNKNOWN\"",
                        "\"CLOSED\",\"OPEN\",\"HALF_OPEN\",\"UNKNOWN\",\"DRAINING\"");
        text = text.substring(0, text.length() - 2) + ",{\"name\":\"region\",\"type\":\"string\",\"default\":\"eu\"}]}";
        return new Schema.Parser().parse(text);
    }

    @Test
    void enumSymbolsThisReaderDoesNotKnowReadAsTheEnumsDefault() throws IOException {
        Schema newer = newerWorkerHealth();
        assertThat(newer.getField("circuit").schema().getEnumSymbols()).contains("DRAINING");
        GenericRecord record = new GenericRecordBuilder(newer)
                .set("workerId", "edge-1")
                .set("tier", new GenericData.EnumSymbol(newer.getField("tier").schema(), "EDGE"))
                .set("queueDepth", 1)
                .set("queueLimit", 2)
                .set(
                        "circuit",
                        new GenericData.EnumSymbol(newer.getField("circuit").schema(), "DRAINING"))
                .set("updatedAt", 5L)
                .set("region", "us")
                .build();

        WorkerHealth read = new AvroDeserializer<>(registry, WorkerHealth.class)
                .deserialize("worker.health", writeWith("worker.health", record));

        assertThat(read.getTier()).isEqualTo(Tier.UNKNOWN);
        assertThat(read.getCircuit()).isEqualTo(CircuitState.UNKNOWN);
        assertThat(read.getWorkerId()).isEqualTo("edge-1");
        assertThat(read.getQueueLimit()).isEqualTo(2);
    }

    @Test
    void theRegistryRefusesASchemaThatCannotReadTheLatestVersion() {
        registry.register("worker.health-value", WorkerHealth.getClassSchema());
        String text = WorkerHealth.getClassSchema().toString();
        Schema withRequiredField = new Schema.Parser()
                .parse(text.substring(0, text.length() - 2) + ",{\"name\":\"region\",\"type\":\"string\"}]}");

        assertThatThrownBy(() -> registry.register("worker.health-value", withRequiredField))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(409))
                .hasMessageContaining("subject \"worker.health-value\"")
                .hasMessageContaining("WorkerHealth.region: READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(registry.register("worker.health-value", newerWorkerHealth()))
                .isEqualTo(2);
        assertThat(registry.register("worker.health-value", WorkerHealth.getClassSchema()))
                .as("a schema already in the subject keeps its id")
                .isEqualTo(1);
    }

    @Test
    void schemaIdsAreGlobalAndStableAcrossSubjects() {
        int first = registry.register("a-value", WorkerHealth.getClassSchema());
        int again = registry.register("b-value", WorkerHealth.getClassSchema());
        int other = registry.register("c-value", RoutingRule.getClassSchema());

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(registry.schemaById(other)).isEqualTo(RoutingRule.getClassSchema());
        assertThat(List.of(first, other)).doesNotHaveDuplicates();
    }
}
