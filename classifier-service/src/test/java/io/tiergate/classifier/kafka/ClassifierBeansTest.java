package io.tiergate.classifier.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.classifier.config.ClassifierSettings;
import org.junit.jupiter.api.Test;

class ClassifierBeansTest {

    @Test
    void aNegativeWarmUpFailsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> new ClassifierBeans().requestClassifier(ClassifierSettings.DEFAULTS, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tiergate.classifier.warm-up-prompts must be >= 0, was -1");
    }
}
