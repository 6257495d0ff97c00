package io.tiergate.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.serde.HttpSchemaRegistryClient;
import io.tiergate.schemas.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every topic's value schema is on a fresh registry once topics are provisioned, as a client in any language reads it. */
class TopicSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aFreshRegistryHoldsEveryTopicsValueSubjectAfterRegistration(@TempDir Path dir) throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0, dir.resolve("registry.json"))) {
            assertThat(get(registry, "subjects").size()).isZero();

            Map<String, Integer> ids = new TopicSchemas(client(registry)).registerAll();

            List<String> subjects = new ArrayList<>();
            get(registry, "subjects").forEach(s -> subjects.add(s.asText()));
            assertThat(subjects)
                    .containsExactlyInAnyOrderElementsOf(
                            Topics.ALL.stream().map(t -> t.name() + "-value").toList());
            assertThat(ids.keySet()).containsExactlyInAnyOrderElementsOf(subjects);
            // what a Confluent client with auto-registration off looks up before its first send
            JsonNode latest = get(registry, "subjects/inference.requests-value/versions/latest");
            assertThat(latest.get("id").asInt()).isEqualTo(ids.get("inference.requests-value"));
            assertThat(new Schema.Parser().parse(latest.get("schema").asText()))
                    .isEqualTo(InferenceRequest.getClassSchema());
        }
    }

    @Test
    void registeringAgainKeepsTheIds(@TempDir Path dir) {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0, dir.resolve("registry.json"))) {
            Map<String, Integer> first = new TopicSchemas(client(registry)).registerAll();
            Map<String, Integer> again = new TopicSchemas(client(registry)).registerAll();
            assertThat(again).isEqualTo(first);
        }
    }

    private static HttpSchemaRegistryClient client(EmbeddedSchemaRegistry registry) {
        return new HttpSchemaRegistryClient(registry.url(), Optional.empty(), 1, Duration.ofMillis(100));
    }

    private static JsonNode get(EmbeddedSchemaRegistry registry, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(registry.url() + "/" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
