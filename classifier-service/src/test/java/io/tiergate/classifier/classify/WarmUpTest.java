package io.tiergate.classifier.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.classifier.config.ClassifierSettings;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void classifiesTheBundledPromptsItWasAskedFor() {
        assertThat(WarmUp.prompts(40)).hasSize(40).allSatisfy(p -> assertThat(p).isNotBlank());

        RequestClassifier classifier = RequestClassifier.create(ClassifierSettings.DEFAULTS.withEmbeddingCacheSize(0));
        assertThat(WarmUp.run(classifier, 40)).isEqualTo(40);
        assertThat(WarmUp.run(classifier, 0)).isZero();
    }

    @Test
    void stopsAtTheEndOfTheFile() {
        assertThat(WarmUp.prompts(100_000)).hasSizeBetween(100, 100_000);
    }
}
