package io.tiergate.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.WorkerHealth;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpSchemaRegistryClient} against a server that answers with Confluent's documented
 * bodies and error codes (fixtures in src/test/resources/registry, see the README there).
 */
class HttpSchemaRegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBJECT = "worker.health-value";
    private static final String REGISTER = "/subjects/worker.health-value/versions";
    private static final String LOOKUP = "/subjects/worker.health-value";

    private final FixtureRegistryServer server = new FixtureRegistryServer();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpSchemaRegistryClient client() {
        return new HttpSchemaRegistryClient(server.url(), Optional.empty(), 3, Duration.ofMillis(10));
    }

    @Test
    void registerPostsTheDocumentedBodyAndReadsTheId() throws IOException {
        server.on("POST", REGISTER, 200, "register-200.json");

        int id = client().register(SUBJECT, WorkerHealth.getClassSchema());

        assertThat(id).isEqualTo(7);
        var request = server.requestsTo("POST", REGISTER).get(0);
        assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.header("Accept")).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(request.header("Authorization")).isNull();
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.size()).as("only 'schema' for AVRO: %s", body).isEqualTo(1);
        assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(WorkerHealth.getClassSchema());
    }

    @Test
    void registeredIdsAndFetchedSchemasAreCached() {
        server.on("POST", REGISTER, 200, "register-200.json");
        server.on("POST", "/subjects/other-value/versions", 200, "register-200.json");
        server.on("GET", "/schemas/ids/7", 200, "schema-by-id-200.json");
        HttpSchemaRegistryClient client = client();

        client.register(SUBJECT, WorkerHealth.getClassSchema());
        client.register(SUBJECT, WorkerHealth.getClassSchema());
        client.register("other-value", WorkerHealth.getClassSchema());
        Schema byId = client.schemaById(7);

        assertThat(server.requestsTo("POST", REGISTER)).hasSize(1);
        assertThat(server.requestsTo("POST", "/subjects/other-value/versions")).hasSize(1);
        assertThat(server.requestsTo("GET", "/schemas/ids/7"))
                .as("id known from registering")
                .isEmpty();
        assertThat(byId).isSameAs(WorkerHealth.getClassSchema());
    }

    @Test
    void schemaByIdIsFetchedOnceAndDecodesRecords() throws IOException {
        server.on("GET", "/schemas/ids/7", 200, "schema-by-id-200.json");
        HttpSchemaRegistryClient client = client();
        WorkerHealth sample = SampleEvents.workerHealth();
        byte[] bytes = ConfluentWireFormat.frame(
                7, new SpecificDatumWriter<WorkerHealth>(WorkerHealth.getClassSchema()), sample);
        AvroDeserializer<WorkerHealth> deserializer = new AvroDeserializer<>(client, WorkerHealth.class);

        assertThat(deserializer.deserialize("worker.health", bytes)).isEqualTo(sample);
        assertThat(deserializer.deserialize("worker.health", bytes)).isEqualTo(sample);
        assertThat(client.schemaById(7).getField("circuit")).isNotNull();
        assertThat(server.requestsTo("GET", "/schemas/ids/7")).hasSize(1);
    }

    @Test
    void incompatibleSchemaIsAConflictWithTheRegistrysMessageAndIsNotRetried() {
        server.on("POST", REGISTER, 409, "error-409-incompatible.json");

        assertThatThrownBy(() -> client().register(SUBJECT, WorkerHealth.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.isOutage())
                            .as("the registry answered: not an outage")
                            .isFalse();
                })
                .hasMessageContaining("refused to register a schema under subject worker.health-value")
                .hasMessageContaining("incompatible with an earlier version")
                .hasMessageContaining("'region'");
        assertThat(server.requestsTo("POST", REGISTER)).hasSize(1);
    }

    @Test
    void invalidSchemaIs42201() {
        server.on("POST", REGISTER, 422, "error-42201-invalid-schema.json");

        assertThatThrownBy(() -> client().register(SUBJECT, WorkerHealth.getClassSchema()))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(42201))
                .hasMessageContaining("invalid schema (error 42201)");
    }

    @Test
    void unknownSchemaIdIs40403AndTheDeserializerSaysWhichId() {
        server.on("GET", "/schemas/ids/99", 404, "error-40403-schema-not-found.json");
        AvroDeserializer<WorkerHealth> deserializer = new AvroDeserializer<>(client(), WorkerHealth.class);

        assertThatThrownBy(() -> deserializer.deserialize("worker.health", new byte[] {0, 0, 0, 0, 99, 2}))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.isOutage())
                            .as("a schema that does not exist is the record's fault")
                            .isFalse();
                })
                .hasMessageContaining("WorkerHealth from topic worker.health")
                .hasMessageContaining("writer schema id 99")
                .hasMessageContaining("schema not found");
        assertThat(server.requestsTo("GET", "/schemas/ids/99")).hasSize(1);
    }

    @Test
    void basicAuthHeaderIsSentAndA401SaysWhatToCheck() {
        server.on("POST", REGISTER, 401, "error-401-unauthorized.json");
        var client = new HttpSchemaRegistryClient(server.url(), Optional.of("svc:pa:ss"), 3, Duration.ofMillis(10));

        assertThatThrownBy(() -> client.register(SUBJECT, WorkerHealth.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(401);
                    assertThat(e.isOutage())
                            .as("bad credentials make the registry unusable, whatever is asked")
                            .isTrue();
                })
                .hasMessageContaining("unauthorized (check basic.auth.user.info)")
                .hasMessageNotContaining("pa:ss");
        String expected = "Basic " + Base64.getEncoder().encodeToString("svc:pa:ss".getBytes(StandardCharsets.UTF_8));
        assertThat(server.requestsTo("POST", REGISTER).get(0).header("Authorization"))
                .isEqualTo(expected);
        assertThat(server.requestsTo("POST", REGISTER)).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedUntilTheRegistryAnswers() {
        server.on("POST", REGISTER, 500, "error-500-backend.json")
                .on("POST", REGISTER, 503, "error-503-forwarding.json")
                .on("POST", REGISTER, 200, "register-200.json");

        assertThat(client().register(SUBJECT, WorkerHealth.getClassSchema())).isEqualTo(7);
        assertThat(server.requestsTo("POST", REGISTER)).hasSize(3);
    }

    @Test
    void persistentServerErrorsGiveUpAfterTheConfiguredRounds() {
        server.on("POST", REGISTER, 500, "error-500-backend.json");

        assertThatThrownBy(() -> client().register(SUBJECT, WorkerHealth.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(50001);
                    assertThat(e.isOutage()).isTrue();
                })
                .hasMessageContaining("Error in the backend data store")
                .hasMessageContaining("gave up after 3 rounds");
        assertThat(server.requestsTo("POST", REGISTER)).hasSize(3);
    }

    @Test
    void aRegistryNobodyAnswersAtIsAnOutageAndTheDeserializerKeepsItRecognisable() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        var client = new HttpSchemaRegistryClient(
                "http://127.0.0.1:" + deadPort, Optional.empty(), 2, Duration.ofMillis(10));
        AvroDeserializer<WorkerHealth> deserializer = new AvroDeserializer<>(client, WorkerHealth.class);

        assertThatThrownBy(() -> deserializer.deserialize("worker.health", new byte[] {0, 0, 0, 0, 99, 2}))
                .satisfies(e -> assertThat(SchemaRegistryException.isOutage(e)).isTrue())
                .hasMessageContaining("gave up after 2 rounds");
        assertThat(SchemaRegistryException.isOutage(
                        new IllegalStateException("wrapped", SchemaRegistryException.outage(-1, "down", null))))
                .isTrue();
        assertThat(SchemaRegistryException.isOutage(new IllegalStateException("no registry involved")))
                .isFalse();
    }

    @Test
    void aDeadUrlFailsOverToTheNextOne() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        server.on("POST", REGISTER, 200, "register-200.json");
        var client = new HttpSchemaRegistryClient(
                "http://127.0.0.1:" + deadPort + ", " + server.url(), Optional.empty(), 1, Duration.ofMillis(10));

        assertThat(client.register(SUBJECT, WorkerHealth.getClassSchema())).isEqualTo(7);
    }

    @Test
    void aNonJsonErrorPageKeepsTheStatusAndIsRetried() {
        server.onRaw("GET", "/schemas/ids/5", 502, "<html><body>Bad Gateway</body></html>");

        assertThatThrownBy(() -> client().schemaById(5))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(502))
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("Bad Gateway");
        assertThat(server.requestsTo("GET", "/schemas/ids/5")).hasSize(3);
    }

    @Test
    void aSuccessfulAnswerThatIsNotJsonFailsAtOnce() {
        server.onRaw("GET", "/schemas/ids/5", 200, "<html>login</html>");

        assertThatThrownBy(() -> client().schemaById(5))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.isOutage())
                                .as("a login page is not the registry")
                                .isTrue())
                .hasMessageContaining("not JSON")
                .hasMessageContaining("<html>login</html>");
        assertThat(server.requestsTo("GET", "/schemas/ids/5")).hasSize(1);
    }

    @Test
    void aNonAvroSchemaIsRefusedByName() {
        server.on("GET", "/schemas/ids/8", 200, "schema-by-id-protobuf-200.json");

        assertThatThrownBy(() -> client().schemaById(8))
                .hasMessageContaining("Schema id 8 is a PROTOBUF schema, not AVRO")
                .satisfies(e -> assertThat(SchemaRegistryException.isOutage(e))
                        .as("the writer's choice, not an outage")
                        .isFalse());
    }

    @Test
    void withoutAutoRegisterTheSerializerLooksTheIdUp() {
        server.on("POST", LOOKUP, 200, "lookup-200.json");
        var serializer = new AvroSerializer<WorkerHealth>();
        serializer.configure(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, server.url(), SerdeConfig.AUTO_REGISTER_SCHEMAS, "false"),
                false);

        byte[] bytes = serializer.serialize("worker.health", SampleEvents.workerHealth());

        assertThat(bytes).startsWith(0, 0, 0, 0, 7);
        assertThat(server.requestsTo("POST", REGISTER)).isEmpty();
        assertThat(server.requestsTo("POST", LOOKUP)).hasSize(1);
    }

    @Test
    void withoutAutoRegisterAMissingSchemaSaysSo() {
        server.on("POST", LOOKUP, 404, "error-40403-schema-not-found.json");
        var autoOff = new AvroSerializer<WorkerHealth>();
        autoOff.configure(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, server.url() + "/", SerdeConfig.AUTO_REGISTER_SCHEMAS, false),
                false);

        assertThatThrownBy(() -> autoOff.serialize("worker.health", SampleEvents.workerHealth()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.isOutage())
                            .as("a schema that does not exist is the record's fault")
                            .isFalse();
                })
                .hasMessageContaining("auto.register.schemas=false")
                .hasMessageContaining("is not registered under subject worker.health-value");
    }

    @Test
    void subjectsAreUrlEncoded() {
        server.on("POST", "/subjects/odd%20topic%2Fname-value/versions", 200, "register-200.json");

        assertThat(client().register("odd topic/name-value", WorkerHealth.getClassSchema()))
                .isEqualTo(7);
    }
}
