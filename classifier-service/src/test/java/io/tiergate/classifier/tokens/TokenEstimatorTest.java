package io.tiergate.classifier.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    @Test
    void countsWithTheRealCl100kTokenizer() {
        TokenEstimator cl100k = new TokenEstimator("cl100k_base");
        assertThat(cl100k.encodingName()).isEqualTo("cl100k_base");
        assertThat(cl100k.count("hello world")).isEqualTo(2);
        // words × 1.3 would say 4 here; BPE splits the identifier and the punctuation
        assertThat(cl100k.count("getUserByIdOrThrow(\"42\");")).isGreaterThan(5);
        assertThat(cl100k.count("")).isZero();
        assertThat(cl100k.count(null)).isZero();
    }

    @Test
    void o200kIsAvailableAndCountsDifferently() {
        TokenEstimator o200k = new TokenEstimator("o200k_base");
        assertThat(o200k.encodingName()).isEqualTo("o200k_base");
        String text = "Résumé für die Überprüfung der Rechnungsnummern — bitte zusammenfassen.";
        assertThat(o200k.count(text)).isPositive().isNotEqualTo(new TokenEstimator("cl100k_base").count(text));
    }

    @Test
    void specialTokenTextIsCountedAsOrdinaryText() {
        TokenEstimator cl100k = new TokenEstimator("cl100k_base");
        // jtokkit's encode() refuses special tokens; a user may well paste one
        assertThat(cl100k.count("before <|endoftext|> after")).isGreaterThan(3);
    }

    @Test
    void anUnknownEncodingIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> new TokenEstimator("gpt2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cl100k_base")
                .hasMessageContaining("o200k_base");
    }
}
