package io.tiergate.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tiergate.platform.kafka.security.KafkaClientSecurity;
import io.tiergate.schemas.events.CostCenter;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SchemaRegistryException;
import io.tiergate.schemas.topics.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Serdes built from {@link KafkaClientSettings} with registry credentials authenticate with HTTP
 * Basic auth, and a registry refusing them is reported naming the registry, never the password
 * (docs/security.md, "Client configuration").
 */
class RegistryBasicAuthTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_INFO = "router:registry-s3cret";
    private static final String EXPECTED_HEADER =
            "Basic " + Base64.getEncoder().encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8));

    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final HttpServer server = startRegistry();

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Confluent's registry under basic auth: 401 with its error body without the right credentials. */
    private HttpServer startRegistry() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", this::answer);
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            exchange.getRequestBody().readAllBytes();
            boolean authorized = EXPECTED_HEADER.equals(authorization);
            String path = exchange.getRequestURI().getPath();
            String body;
            int status;
            if (!authorized) {
                status = 401;
                body = "{\"error_code\":401,\"message\":\"Unauthorized\"}";
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"SchemaRegistry\"");
            } else if (path.equals("/schemas/ids/1")) {
                status = 200;
                body = JSON.createObjectNode()
                        .put("schema", CostCenter.getClassSchema().toString())
                        .toString();
            } else {
                status = 200;
                body = "{\"id\":1}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private KafkaClientSettings settings(String userInfo) {
        KafkaClientSecurity security =
                KafkaClientSecurity.of(Map.of("basic.auth.user.info", userInfo), "registry-basic-auth-test");
        return new KafkaClientSettings("127.0.0.1:1", url(), "t", security);
    }

    private static CostCenter costCenter() {
        return CostCenter.newBuilder()
                .setName("team-search")
                .setRegisteredAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    private static ConsumerRecord<String, byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.COST_CENTERS.name(), 0, 42L, "team-search", value);
    }

    @Test
    void serdesBuiltFromTheSettingsSendBasicAuth() {
        KafkaClientSettings settings = settings(USER_INFO);
        byte[] encoded;
        // as a producer configures its serializer: from the client config
        try (AvroSerializer<CostCenter> serializer = new AvroSerializer<>()) {
            serializer.configure(settings.base(), false);
            encoded = serializer.serialize(Topics.COST_CENTERS.name(), costCenter());
        }
        // the decoder every listener uses
        CostCenter decoded = new EventDecoder(settings).decode(Topics.COST_CENTERS, record(encoded));

        assertThat(decoded).isEqualTo(costCenter());
        assertThat(authorizations).isNotEmpty().allMatch(EXPECTED_HEADER::equals);
    }

    @Test
    void aRegistryRefusingTheCredentialsIsAnOutageNamingTheRegistryNeverThePassword() {
        EventDecoder decoder = new EventDecoder(settings("router:wrong-password"));
        // a record written with schema id 1 (Confluent's wire format: magic byte 0, the id, the Avro body)
        byte[] value = {0, 0, 0, 0, 1, 0};

        assertThatThrownBy(() -> decoder.decode(Topics.COST_CENTERS, record(value)))
                .as("the record may be fine: read again later, never dead-lettered")
                .isInstanceOf(EventDecoder.RegistryUnavailableException.class)
                .hasMessageContaining("Schema registry at " + url())
                .hasMessageContaining("unauthorized (check basic.auth.user.info)")
                .hasMessageNotContaining("wrong-password");
        assertThat(authorizations).hasSize(1).doesNotContain(EXPECTED_HEADER);
    }

    @Test
    void aSerializerWithoutCredentialsIsRefusedNamingTheRegistry() {
        KafkaClientSettings settings = new KafkaClientSettings("127.0.0.1:1", url(), "t");
        try (AvroSerializer<CostCenter> serializer = new AvroSerializer<>()) {
            serializer.configure(settings.base(), false);
            assertThatThrownBy(() -> serializer.serialize(Topics.COST_CENTERS.name(), costCenter()))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> assertThat(SchemaRegistryException.isOutage(e)).isTrue())
                    .hasMessageContaining("Schema registry at " + url())
                    .hasMessageContaining("error 401");
        }
        assertThat(authorizations).containsExactly("null");
    }
}
