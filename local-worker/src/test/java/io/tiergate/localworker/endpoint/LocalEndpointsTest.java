package io.tiergate.localworker.endpoint;

import static io.tiergate.worker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.simulated.SimulatedBackend;
import io.tiergate.worker.simulated.SimulationSettings;
import io.tiergate.worker.testing.FakeModelServer;
import io.tiergate.worker.testing.FakeModelServer.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalEndpointsTest {

    private static final URI NOTHING_THERE = URI.create("http://127.0.0.1:1");

    private final FakeModelServer ollama =
            new FakeModelServer().on("GET", "/api/version", Reply.json(200, fixture("ollama/version.json")));
    private final EndpointProbe probe = new EndpointProbe(ModelHttp.newClient(Duration.ofMillis(300)));

    @AfterEach
    void stop() {
        ollama.close();
    }

    private LocalEndpoints select(BackendMode mode, EndpointSpec... specs) {
        return LocalEndpoints.select(
                mode,
                List.of(specs),
                "ollama",
                new ModelHttp(Duration.ofMillis(300)),
                probe,
                Duration.ofMillis(300),
                () -> new SimulatedBackend(PriceTable.loadDefault(), SimulationSettings.defaults()));
    }

    private static EndpointSpec spec(String name, URI url, boolean explicit, List<String> models) {
        return new EndpointSpec(name, null, explicit, models, EndpointSettings.defaults(name, url), null);
    }

    @Test
    void autoUsesTheRealClientWhenOllamaAnswers() {
        LocalEndpoint e = select(BackendMode.AUTO, spec("ollama", ollama.baseUrl(), false, List.of()))
                .forModel("qwen3:8b");

        assertThat(e.simulated()).isFalse();
        assertThat(e.backend().provider()).isEqualTo("ollama");
        assertThat(ollama.received()).anySatisfy(r -> assertThat(r.path()).isEqualTo("/api/version"));
    }

    @Test
    void autoSimulatesTheDefaultEndpointWhenNothingAnswers() {
        LocalEndpoint e = select(BackendMode.AUTO, spec("ollama", NOTHING_THERE, false, List.of()))
                .forModel("qwen3:8b");

        assertThat(e.simulated()).isTrue();
        assertThat(e.backend().provider()).isEqualTo("simulated");
        assertThat(e.description()).startsWith("SIMULATED");
    }

    @Test
    void autoNeverSimulatesAnExplicitlyConfiguredEndpoint() {
        LocalEndpoint e = select(BackendMode.AUTO, spec("ollama", NOTHING_THERE, true, List.of()))
                .forModel("qwen3:8b");

        assertThat(e.simulated()).isFalse();
        assertThat(e.backend().provider()).isEqualTo("ollama");
    }

    @Test
    void explicitOllamaModeNeverSimulatesEvenAtTheDefaultUrl() {
        assertThat(select(BackendMode.OLLAMA, spec("ollama", NOTHING_THERE, false, List.of()))
                        .forModel("x")
                        .simulated())
                .isFalse();
    }

    @Test
    void openAiCompatibleModeUsesThatProtocol() {
        assertThat(select(BackendMode.OPENAI_COMPATIBLE, spec("vllm", NOTHING_THERE, true, List.of()))
                        .forModel("x")
                        .backend()
                        .provider())
                .isEqualTo("openai-compatible");
    }

    @Test
    void simulatedModeSimulatesEverythingWithoutProbing() {
        LocalEndpoint e = select(BackendMode.SIMULATED, spec("ollama", ollama.baseUrl(), true, List.of()))
                .forModel("qwen3:8b");

        assertThat(e.simulated()).isTrue();
        assertThat(ollama.received()).isEmpty();
    }

    @Test
    void modelsGoToTheEndpointThatListsThemAndTheRestToTheDefault() {
        LocalEndpoints endpoints = select(
                BackendMode.OLLAMA,
                spec("ollama", ollama.baseUrl(), true, List.of()),
                new EndpointSpec(
                        "llama-cpp",
                        LocalApi.OPENAI_COMPATIBLE,
                        true,
                        List.of("qwen3-coder:30b"),
                        EndpointSettings.defaults("llama-cpp", NOTHING_THERE),
                        null));

        assertThat(endpoints.forModel("qwen3-coder:30b").name()).isEqualTo("llama-cpp");
        assertThat(endpoints.forModel("qwen3-coder:30b").backend().provider()).isEqualTo("openai-compatible");
        assertThat(endpoints.forModel("qwen3:8b").name()).isEqualTo("ollama");
    }

    @Test
    void backendModeParsesTheDocumentedSpellingsAndNamesTheKeyOtherwise() {
        assertThat(BackendMode.parse("openai-compatible")).isEqualTo(BackendMode.OPENAI_COMPATIBLE);
        assertThat(BackendMode.parse(" Auto ")).isEqualTo(BackendMode.AUTO);
        assertThatThrownBy(() -> BackendMode.parse("llamafile")).hasMessageContaining("tiergate.local-worker.backend");
    }
}
