package io.tiergate.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tiergate.classifier.*} as the service binds it at start, with its application.yml (CLI
 * environment: no listener, no model load, no broker).
 */
class ClassifierSettingsTest {

    private static ClassifierSettings start(Map<String, Object> properties) {
        try (ApplicationContext context = ApplicationContext.run(withQuietContext(properties), Environment.CLI)) {
            return context.getBean(ClassifierSettings.class);
        }
    }

    /** A context that lives a few milliseconds: no health monitor scheduled into it. */
    private static Map<String, Object> withQuietContext(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("micronaut.health.monitor.enabled", "false");
        return all;
    }

    @Test
    void missingPropertiesTakeTheDocumentedDefaults() {
        ClassifierSettings settings = start(Map.of());
        assertThat(settings).isEqualTo(ClassifierSettings.DEFAULTS);
        assertThat(settings.maxPromptTokens()).isEqualTo(32_000);
        assertThat(settings.maxPromptChars()).isEqualTo(200_000);
        assertThat(settings.tokenEncoding()).isEqualTo("cl100k_base");
        assertThat(settings.embeddingEnabled()).isTrue();
        assertThat(settings.embeddingThreshold()).isEqualTo(0.7);
        assertThat(settings.embeddingThreads()).isEqualTo(1);
        assertThat(settings.embeddingCacheSize()).isEqualTo(4_096);
        assertThat(settings.uncertaintyMargin()).isEqualTo(0.1);
    }

    @Test
    void aSetPropertyOverridesItsDefaultOnly() {
        ClassifierSettings settings = start(Map.of(
                "tiergate.classifier.embedding-cache-size", "0", "tiergate.classifier.token-encoding", "o200k_base"));
        assertThat(settings).isEqualTo(new ClassifierSettings(32_000, 200_000, "o200k_base", true, 0.7, 1, 0, 0.1));
    }

    @Test
    void anOutOfRangeValueFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(Map.of("tiergate.classifier.max-prompt-tokens", "-5")))
                .hasMessageContaining("tiergate.classifier.max-prompt-tokens must be > 0, was -5");
        assertThatThrownBy(() -> start(Map.of("tiergate.classifier.uncertainty-margin", "1.5")))
                .hasMessageContaining("tiergate.classifier.uncertainty-margin must be between 0.0 and 1.0, was 1.5");
        assertThatThrownBy(() -> start(Map.of("tiergate.classifier.token-encoding", "p50k_base")))
                .hasMessageContaining(
                        "tiergate.classifier.token-encoding must be one of cl100k_base, o200k_base, was \"p50k_base\"");
    }

    @Test
    void aValueOfTheWrongTypeFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> start(Map.of("tiergate.classifier.embedding-threshold", "high")))
                .hasMessageContaining("tiergate.classifier.embedding-threshold must be a number, was \"high\"");
    }

    @Test
    void batchModeGetsTheSameChecks() {
        assertThatThrownBy(() -> ClassifierSettings.DEFAULTS.withEmbeddingCacheSize(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tiergate.classifier.embedding-cache-size must be >= 0, was -1");
    }
}
