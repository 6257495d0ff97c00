package io.tiergate.localworker.endpoint;

import static io.tiergate.worker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.testing.FakeModelServer;
import io.tiergate.worker.testing.FakeModelServer.Reply;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EndpointProbeTest {

    private final EndpointProbe probe = new EndpointProbe(ModelHttp.newClient(Duration.ofMillis(300)));

    @Test
    void ollamaAnswersOnApiVersion() {
        try (FakeModelServer server = new FakeModelServer()) {
            server.on("GET", "/api/version", Reply.json(200, fixture("ollama/version.json")));

            EndpointProbe.Result result = probe.probe(LocalApi.OLLAMA, server.baseUrl(), Duration.ofMillis(500));

            assertThat(result.reachable()).isTrue();
            assertThat(result.detail()).contains("0.12.6");
        }
    }

    @Test
    void openAiCompatibleServerAnswersOnModels() {
        try (FakeModelServer server = new FakeModelServer()) {
            server.on(
                    "GET",
                    "/v1/models",
                    Reply.json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"qwen3-8b\",\"object\":\"model\"}]}"));

            assertThat(probe.probe(LocalApi.OPENAI_COMPATIBLE, server.baseUrl(), Duration.ofMillis(500))
                            .reachable())
                    .isTrue();
        }
    }

    @Test
    void nothingListeningIsNotReachable() {
        EndpointProbe.Result result =
                probe.probe(LocalApi.OLLAMA, URI.create("http://127.0.0.1:1"), Duration.ofMillis(300));

        assertThat(result.reachable()).isFalse();
    }

    @Test
    void aServerThatIsNotOllamaIsNotReachable() {
        try (FakeModelServer server = new FakeModelServer()) {
            assertThat(probe.probe(LocalApi.OLLAMA, server.baseUrl(), Duration.ofMillis(500))
                            .reachable())
                    .isFalse();
        }
    }
}
