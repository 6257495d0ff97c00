package io.tiergate.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.HttpSchemaRegistryClient;
import io.tiergate.schemas.serde.SampleEvents;
import io.tiergate.schemas.serde.SchemaRegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded registry's REST API, in Confluent's shapes, its persistence, and our client on it. */
class EmbeddedSchemaRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SUBJECT = "worker.health-value";

    /** WorkerHealth as generated, plus one field: with a default (compatible) or without. */
    static Schema workerHealthPlus(String extraField) {
        String base = WorkerHealth.getClassSchema().toString();
        return new Schema.Parser().parse(base.substring(0, base.length() - 2) + "," + extraField + "]}");
    }

    @TempDir
    Path dir;

    private EmbeddedSchemaRegistry registry;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.start(0, dir.resolve("registry.json"));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    record Answer(int status, JsonNode body, String contentType) {}

    private Answer call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            request.header("Content-Type", "application/vnd.schemaregistry.v1+json");
            request.method(method, HttpRequest.BodyPublishers.ofString(text));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                JSON.readTree(response.body()),
                response.headers().firstValue("Content-Type").orElse(null));
    }

    private static Map<String, String> schemaBody(Schema schema) {
        return Map.of("schema", schema.toString());
    }

    @Test
    void registersAndAnswersInConfluentShapes() throws Exception {
        Answer registered =
                call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(WorkerHealth.getClassSchema()));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(registered.body()).isEqualTo(JSON.readTree("{\"id\":1}"));

        // the same schema again: same id, no new version; under another subject: same global id
        assertThat(call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(WorkerHealth.getClassSchema()))
                        .body()
                        .get("id")
                        .asInt())
                .isEqualTo(1);
        assertThat(call("POST", "/subjects/other-value/versions", schemaBody(WorkerHealth.getClassSchema()))
                        .body()
                        .get("id")
                        .asInt())
                .isEqualTo(1);

        assertThat(call("GET", "/subjects", null).body())
                .isEqualTo(JSON.readTree("[\"other-value\",\"worker.health-value\"]"));
        assertThat(call("GET", "/subjects/" + SUBJECT + "/versions", null).body())
                .isEqualTo(JSON.readTree("[1]"));
        JsonNode latest =
                call("GET", "/subjects/" + SUBJECT + "/versions/latest", null).body();
        assertThat(latest.get("subject").asText()).isEqualTo(SUBJECT);
        assertThat(latest.get("version").asInt()).isEqualTo(1);
        assertThat(latest.get("id").asInt()).isEqualTo(1);
        assertThat(new Schema.Parser().parse(latest.get("schema").asText())).isEqualTo(WorkerHealth.getClassSchema());
        assertThat(call("GET", "/subjects/" + SUBJECT + "/versions/1", null).body())
                .isEqualTo(latest);
        assertThat(call("POST", "/subjects/" + SUBJECT, schemaBody(WorkerHealth.getClassSchema()))
                        .body())
                .isEqualTo(latest);

        JsonNode byId = call("GET", "/schemas/ids/1", null).body();
        assertThat(byId.fieldNames()).toIterable().containsExactly("schema"); // schemaType omitted for AVRO
        assertThat(new Schema.Parser().parse(byId.get("schema").asText())).isEqualTo(WorkerHealth.getClassSchema());
        assertThat(call("GET", "/config", null).body().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
        assertThat(call("GET", "/config/" + SUBJECT, null)
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("BACKWARD");
        assertThat(call("GET", "/schemas/types", null).body()).isEqualTo(JSON.readTree("[\"AVRO\"]"));
    }

    @Test
    void aCompatibleNewVersionGetsANewIdAndAnIncompatibleOneIs409NamingTheField() throws Exception {
        call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(WorkerHealth.getClassSchema()));
        Schema withDefault = workerHealthPlus("{\"name\":\"zone\",\"type\":\"string\",\"default\":\"eu\"}");
        Schema withoutDefault = workerHealthPlus("{\"name\":\"region\",\"type\":\"string\"}");

        assertThat(call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(withDefault))
                        .body()
                        .get("id")
                        .asInt())
                .isEqualTo(2);
        Answer refused = call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(withoutDefault));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("error_code").asInt()).isEqualTo(409);
        assertThat(refused.body().get("message").asText())
                .startsWith(
                        "Schema being registered is incompatible with an earlier schema for subject \"worker.health-value\"")
                .contains("WorkerHealth.region: READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(call("GET", "/subjects/" + SUBJECT + "/versions", null).body())
                .isEqualTo(JSON.readTree("[1,2]"));

        Answer check = call(
                "POST",
                "/compatibility/subjects/" + SUBJECT + "/versions/latest?verbose=true",
                schemaBody(withoutDefault));
        assertThat(check.body().get("is_compatible").asBoolean()).isFalse();
        assertThat(check.body().get("messages").get(0).asText()).contains("WorkerHealth.region");
        assertThat(call("POST", "/compatibility/subjects/" + SUBJECT + "/versions/latest", schemaBody(withDefault))
                        .body())
                .isEqualTo(JSON.readTree("{\"is_compatible\":true}"));
    }

    @Test
    void errorsUseConfluentCodes() throws Exception {
        call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(WorkerHealth.getClassSchema()));

        assertError(
                call("POST", "/subjects/" + SUBJECT + "/versions", Map.of("schema", "{\"type\":\"record\"")),
                422,
                42201,
                "Invalid schema");
        assertError(
                call(
                        "POST",
                        "/subjects/" + SUBJECT + "/versions",
                        Map.of("schema", "syntax = \"proto3\";", "schemaType", "PROTOBUF")),
                422,
                42201,
                "PROTOBUF");
        assertError(
                call("POST", "/subjects/" + SUBJECT + "/versions", Map.of("schemaType", "AVRO")),
                422,
                42201,
                "Empty schema");
        assertError(call("POST", "/subjects/" + SUBJECT + "/versions", "{not json"), 400, 400, "Malformed JSON");
        assertError(call("GET", "/subjects/nope-value/versions", null), 404, 40401, "Subject 'nope-value' not found.");
        assertError(call("GET", "/subjects/" + SUBJECT + "/versions/9", null), 404, 40402, "Version 9 not found.");
        assertError(call("GET", "/subjects/" + SUBJECT + "/versions/abc", null), 422, 42202, "not a valid version");
        assertError(call("GET", "/schemas/ids/42", null), 404, 40403, "Schema 42 not found");
        assertError(
                call(
                        "POST",
                        "/subjects/" + SUBJECT,
                        schemaBody(workerHealthPlus("{\"name\":\"x\",\"type\":\"int\",\"default\":0}"))),
                404,
                40403,
                "Schema not found");
        assertError(call("GET", "/nothing/here", null), 404, 404, "Not Found");
        assertError(call("DELETE", "/subjects/" + SUBJECT, null), 405, 405, "Method Not Allowed");
    }

    private static void assertError(Answer answer, int status, int code, String message) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        assertThat(answer.body().get("error_code").asInt()).isEqualTo(code);
        assertThat(answer.body().get("message").asText()).contains(message);
    }

    @Test
    void idsSurviveARestartAndNewSchemasNeverReuseThem() throws Exception {
        Path file = dir.resolve("registry.json");
        call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(WorkerHealth.getClassSchema()));
        call(
                "POST",
                "/subjects/" + SUBJECT + "/versions",
                schemaBody(workerHealthPlus("{\"name\":\"zone\",\"type\":\"string\",\"default\":\"eu\"}")));
        registry.close();

        registry = EmbeddedSchemaRegistry.start(0, file);

        assertThat(call("GET", "/subjects/" + SUBJECT + "/versions", null).body())
                .isEqualTo(JSON.readTree("[1,2]"));
        assertThat(new Schema.Parser()
                        .parse(call("GET", "/schemas/ids/1", null)
                                .body()
                                .get("schema")
                                .asText()))
                .isEqualTo(WorkerHealth.getClassSchema());
        assertThat(call("POST", "/subjects/" + SUBJECT + "/versions", schemaBody(WorkerHealth.getClassSchema()))
                        .body()
                        .get("id")
                        .asInt())
                .isEqualTo(1);
        assertThat(call("POST", "/subjects/new-value/versions", schemaBody(Schema.create(Schema.Type.STRING)))
                        .body()
                        .get("id")
                        .asInt())
                .isEqualTo(3);
        assertThat(Files.readString(file)).contains("\"format\" : 1").contains("new-value");
    }

    @Test
    void twoRegistriesCannotShareAStateFile() {
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(0, dir.resolve("registry.json")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("registry.json");
    }

    @Test
    void everyEventRoundTripsThroughOurClientAndSeparateClientsAgreeOnIds() {
        // two clients with their own caches, as two service processes would have
        var producerSide = new HttpSchemaRegistryClient(registry.url(), Optional.empty(), 2, Duration.ofMillis(10));
        var consumerSide = new HttpSchemaRegistryClient(registry.url(), Optional.empty(), 2, Duration.ofMillis(10));
        var serializer = new AvroSerializer<SpecificRecord>(producerSide, false);
        for (var sample : SampleEvents.all().entrySet()) {
            String topic = "t." + sample.getKey().getSimpleName();
            byte[] bytes = serializer.serialize(topic, sample.getValue());
            @SuppressWarnings({"unchecked", "rawtypes"})
            AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer(consumerSide, sample.getKey());

            assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(sample.getValue());
            assertThat(consumerSide.idOf(topic + "-value", sample.getValue().getSchema()))
                    .isEqualTo(producerSide.register(
                            topic + "-value", sample.getValue().getSchema()));
        }
    }

    @Test
    void concurrentRegistrationsAgreeOnOneIdPerSchema() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> ids = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String subject = "s" + (i % 3) + "-value";
                ids.add(pool.submit(
                        () -> new HttpSchemaRegistryClient(registry.url(), Optional.empty(), 2, Duration.ofMillis(10))
                                .register(subject, WorkerHealth.getClassSchema())));
            }
            for (Future<Integer> id : ids) {
                assertThat(id.get()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(call("GET", "/subjects", null).body()).hasSize(3);
    }

    @Test
    void anIncompatibleRegistrationReachesTheSerializerAsA409() {
        var client = new HttpSchemaRegistryClient(registry.url(), Optional.empty(), 2, Duration.ofMillis(10));
        // someone registered a WorkerHealth whose queueDepth is a string: ours (int) cannot read that data
        String text = WorkerHealth.getClassSchema().toString();
        assertThat(text).contains("\"name\":\"queueDepth\",\"type\":\"int\"");
        client.register(
                SUBJECT,
                new Schema.Parser()
                        .parse(text.replace(
                                "\"name\":\"queueDepth\",\"type\":\"int\"",
                                "\"name\":\"queueDepth\",\"type\":\"string\"")));

        assertThatThrownBy(() -> new AvroSerializer<WorkerHealth>(client, false)
                        .serialize("worker.health", SampleEvents.workerHealth()))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(409))
                .hasMessageContaining("WorkerHealth.queueDepth: TYPE_MISMATCH");
    }
}
