package io.tiergate.cloudworker.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.cloudworker.config.ApiKeySource;
import io.tiergate.cloudworker.config.CloudWorkerConfiguration.BackendMode;
import io.tiergate.cloudworker.config.ModelEndpoint;
import io.tiergate.cloudworker.config.ModelProperties;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.simulated.SimulatedBackend;
import io.tiergate.worker.simulated.SimulationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudModelsTest {

    final ModelHttp http = new ModelHttp(Duration.ofSeconds(1));
    final SimulatedBackend simulated = new SimulatedBackend(Fixtures.PRICES, SimulationSettings.defaults());

    static ModelProperties.Builder openRouter(String handle, String model) {
        return ModelProperties.builder(handle)
                .model(model)
                .api(ModelEndpoint.Api.OPENAI)
                .baseUrl("https://openrouter.ai/api/v1")
                .apiKeyEnv("OPENROUTER_API_KEY");
    }

    CloudModels build(List<ModelProperties> models, BackendMode mode, Map<String, String> env) {
        return CloudModels.build(
                models, mode, Fixtures.PRICES, new ApiKeySource(env::get), http, simulated, Clock.systemUTC());
    }

    @Test
    void withoutAnyKeyEveryCloudModelOfThePriceTableIsSimulated() {
        CloudModels models =
                build(List.of(openRouter("haiku", "anthropic/claude-haiku-4.5").build()), BackendMode.AUTO, Map.of());
        assertThat(models.allSimulated()).isTrue();
        assertThat(models.all())
                .extracting(ServingModel::model)
                .containsExactlyInAnyOrder(
                        "deepseek/deepseek-chat",
                        "anthropic/claude-haiku-4.5",
                        "anthropic/claude-sonnet-4.6",
                        "anthropic/claude-opus-4.6");
        assertThat(models.all()).allMatch(ServingModel::simulated);
        assertThat(models.get("qwen3:8b")).isEmpty();
    }

    @Test
    void withAKeyModelsAreRealAndNeverSilentlySimulated() {
        ModelProperties anthropic = openRouter("sonnet", "anthropic/claude-sonnet-4.6")
                .api(ModelEndpoint.Api.ANTHROPIC)
                .baseUrl("https://api.anthropic.com")
                .apiKeyEnv("ANTHROPIC_API_KEY")
                .build();
        CloudModels models = build(
                List.of(openRouter("haiku", "anthropic/claude-haiku-4.5").build(), anthropic),
                BackendMode.AUTO,
                Map.of("OPENROUTER_API_KEY", "sk-or-v1-abc"));
        assertThat(models.allSimulated()).isFalse();
        assertThat(models.get("anthropic/claude-haiku-4.5")).get().satisfies(m -> {
            assertThat(m.simulated()).isFalse();
            assertThat(m.endpoint().provider()).isEqualTo("openrouter");
            assertThat(m.endpoint().toString()).doesNotContain("sk-or-v1-abc");
        });
        assertThat(models.get("anthropic/claude-sonnet-4.6")).isEmpty();
        assertThat(models.get("deepseek/deepseek-chat")).isEmpty();
        assertThat(models.unavailable())
                .singleElement()
                .asString()
                .contains("anthropic/claude-sonnet-4.6")
                .contains("env ANTHROPIC_API_KEY");
    }

    @Test
    void realModeFailsTheStartWhenAKeyIsMissing() {
        assertThatThrownBy(() -> build(
                        List.of(openRouter("haiku", "anthropic/claude-haiku-4.5")
                                .build()),
                        BackendMode.REAL,
                        Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("anthropic/claude-haiku-4.5");
    }

    @Test
    void simulatedModeSimulatesEvenWithKeys() {
        CloudModels models = build(
                List.of(openRouter("haiku", "anthropic/claude-haiku-4.5").build()),
                BackendMode.SIMULATED,
                Map.of("OPENROUTER_API_KEY", "sk-or-v1-abc"));
        assertThat(models.allSimulated()).isTrue();
        assertThat(models.all()).allMatch(ServingModel::simulated);
    }

    @Test
    void aKeyFileWinsOverTheEnvironmentAndBadModelsFailFast(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, "sk-or-v1-from-file\n");
        ModelProperties p = openRouter("haiku", "anthropic/claude-haiku-4.5")
                .apiKeyFile(keyFile.toString())
                .build();
        assertThat(new ApiKeySource(Map.of("OPENROUTER_API_KEY", "sk-env")::get).resolve(p))
                .get()
                .satisfies(k -> {
                    assertThat(k.reveal()).isEqualTo("sk-or-v1-from-file");
                    assertThat(k.toString()).isEqualTo("[redacted]");
                });
        assertThatThrownBy(() -> build(List.of(openRouter("x", "no/such-model").build()), BackendMode.AUTO, Map.of()))
                .hasMessageContaining("no/such-model");
        assertThatThrownBy(() -> build(List.of(openRouter("local", "qwen3:8b").build()), BackendMode.AUTO, Map.of()))
                .hasMessageContaining("not a cloud one");
    }
}
