package io.tiergate.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.registry.Compatibility;
import io.tiergate.schemas.serde.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's schema evolution gate: every event schema must read data written with its released
 * copy (src/main/avro/released), every field added since then needs a default, every enum a
 * default symbol. Failures name the event and the field. The fixtures in src/test/resources/compat
 * prove the gate closes on the breaking changes.
 */
class SchemaCompatibilityTest {

    /** Everything that makes {@code current} unfit to replace {@code released}; empty if fit. */
    static List<String> releaseProblems(String event, Schema current, Schema released) {
        List<String> problems = new ArrayList<>();
        Compatibility.problems(current, released).forEach(p -> problems.add(event + " cannot read release data: " + p));
        addedFieldsWithoutDefault(current, released, current.getName(), problems, new HashSet<>());
        enumsWithoutDefault(current, new HashSet<>())
                .forEach(e -> problems.add(event + ": enum " + e + " has no default symbol"));
        return problems;
    }

    private static void addedFieldsWithoutDefault(
            Schema current, Schema released, String path, List<String> problems, Set<String> seen) {
        switch (current.getType()) {
            case RECORD -> {
                if (released.getType() != Schema.Type.RECORD || !seen.add(current.getFullName())) {
                    return;
                }
                for (Schema.Field field : current.getFields()) {
                    Schema.Field old = released.getField(field.name());
                    for (String alias : field.aliases()) {
                        old = old != null ? old : released.getField(alias);
                    }
                    if (old == null && !field.hasDefaultValue()) {
                        problems.add(path + "." + field.name() + ": added since the release without a default");
                    } else if (old != null) {
                        addedFieldsWithoutDefault(
                                field.schema(), old.schema(), path + "." + field.name(), problems, seen);
                    }
                }
            }
            case UNION -> {
                for (Schema branch : current.getTypes()) {
                    for (Schema oldBranch :
                            released.getType() == Schema.Type.UNION ? released.getTypes() : List.of(released)) {
                        if (branch.getType() == Schema.Type.RECORD
                                && branch.getFullName().equals(oldBranch.getFullName())) {
                            addedFieldsWithoutDefault(branch, oldBranch, path, problems, seen);
                        }
                    }
                }
            }
            case ARRAY -> {
                if (released.getType() == Schema.Type.ARRAY) {
                    addedFieldsWithoutDefault(
                            current.getElementType(), released.getElementType(), path + "[]", problems, seen);
                }
            }
            case MAP -> {
                if (released.getType() == Schema.Type.MAP) {
                    addedFieldsWithoutDefault(
                            current.getValueType(), released.getValueType(), path + "{}", problems, seen);
                }
            }
            default -> {
                // primitives, enums, fixed: nothing added inside
            }
        }
    }

    /** Full names of the enums reachable from {@code schema} that have no default symbol. */
    static List<String> enumsWithoutDefault(Schema schema, Set<String> seen) {
        List<String> missing = new ArrayList<>();
        switch (schema.getType()) {
            case ENUM -> {
                if (seen.add(schema.getFullName()) && schema.getEnumDefault() == null) {
                    missing.add(schema.getFullName());
                }
            }
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> missing.addAll(enumsWithoutDefault(f.schema(), seen)));
                }
            }
            case UNION -> schema.getTypes().forEach(t -> missing.addAll(enumsWithoutDefault(t, seen)));
            case ARRAY -> missing.addAll(enumsWithoutDefault(schema.getElementType(), seen));
            case MAP -> missing.addAll(enumsWithoutDefault(schema.getValueType(), seen));
            default -> {
                // no named types inside
            }
        }
        return missing;
    }

    static Stream<String> releasedEvents() {
        return ReleasedSchemas.released().keySet().stream();
    }

    static Stream<String> currentEvents() {
        return ReleasedSchemas.current().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedEvents")
    void eventReadsDataWrittenWithItsReleasedSchema(String event) {
        Schema current = ReleasedSchemas.current().get(event);
        assertThat(current)
                .as(
                        "%s was released in %s but is no longer the value type of any topic",
                        event, ReleasedSchemas.version())
                .isNotNull();

        assertThat(releaseProblems(event, current, ReleasedSchemas.released().get(event)))
                .as("%s against release %s", event, ReleasedSchemas.version())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentEvents")
    void everyEnumOfTheEventHasADefaultSymbol(String event) {
        assertThat(enumsWithoutDefault(ReleasedSchemas.current().get(event), new HashSet<>()))
                .as("enums of %s without a default symbol (a reader could not map a symbol added later)", event)
                .isEmpty();
    }

    @Test
    void aReleaseIsRecorded() {
        assertThat(ReleasedSchemas.version()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(ReleasedSchemas.released())
                .containsKeys("InferenceRequest", "CostEvent", "BudgetStatus", "RoutingRule");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "WorkerHealth-new-field-without-default.avsc | WorkerHealth | WorkerHealth.region: READER_FIELD_MISSING_DEFAULT_VALUE",
                "WorkerHealth-new-field-without-default.avsc | WorkerHealth | WorkerHealth.region: added since the release without a default",
                "WorkerHealth-enum-symbol-removed-without-default.avsc | WorkerHealth | WorkerHealth.circuit: MISSING_ENUM_SYMBOLS ([HALF_OPEN])",
                "WorkerHealth-enum-symbol-removed-without-default.avsc | WorkerHealth | enum io.tiergate.schemas.events.CircuitState has no default symbol",
                "WorkerHealth-changed-type.avsc | WorkerHealth | WorkerHealth.queueDepth: TYPE_MISMATCH",
                "ClassifiedRequest-nested-changed-type.avsc | ClassifiedRequest | ClassifiedRequest.classification.confidence: TYPE_MISMATCH",
            })
    void aBreakingChangeFailsNamingTheField(String fixture, String event, String expected) throws IOException {
        List<String> problems = releaseProblems(
                event, fixture(fixture), ReleasedSchemas.released().get(event));

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(event).contains(expected));
    }

    @Test
    void aCompatibleEvolutionPasses() throws IOException {
        assertThat(releaseProblems(
                        "WorkerHealth",
                        fixture("WorkerHealth-compatible-evolution.avsc"),
                        ReleasedSchemas.released().get("WorkerHealth")))
                .isEmpty();
    }

    /** cost.windows written before calibrationSpendUsd existed: the field reads as exact zero. */
    @Test
    void aCostWindowWrittenWithTheReleasedSchemaReadsZeroCalibrationSpend() throws IOException {
        Schema released = ReleasedSchemas.released().get("CostWindow");
        CostWindow sample = SampleEvents.costWindow();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        // The released fields keep their positions (the new field is appended), so the sample
        // written with the released schema is exactly what a previous ledger wrote.
        new SpecificDatumWriter<CostWindow>(released).write(sample, encoder);
        encoder.flush();

        CostWindow read = new SpecificDatumReader<CostWindow>(released, CostWindow.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getCalibrationSpendUsd()).isEqualTo(new BigDecimal("0E-9"));
        assertThat(read.getReworkSpendUsd()).isEqualTo(sample.getReworkSpendUsd());
        assertThat(read.getSpendUsd()).isEqualTo(sample.getSpendUsd());
        assertThat(read.getUpdatedAt()).isEqualTo(sample.getUpdatedAt());
        assertThat(CostWindow.newBuilder(sample)
                        .clearCalibrationSpendUsd()
                        .build()
                        .getCalibrationSpendUsd())
                .as("the builder's default")
                .isEqualTo(new BigDecimal("0E-9"));
    }

    private static Schema fixture(String name) throws IOException {
        try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream("/compat/" + name)) {
            assertThat(in).as("fixture compat/%s", name).isNotNull();
            return new Schema.Parser().parse(in);
        }
    }
}
