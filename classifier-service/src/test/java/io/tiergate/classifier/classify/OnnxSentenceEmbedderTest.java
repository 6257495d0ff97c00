package io.tiergate.classifier.classify;

import static io.tiergate.classifier.classify.Vectors.dot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxSentenceEmbedderTest {

    private static OnnxSentenceEmbedder minilm;

    @BeforeAll
    static void load() {
        minilm = new OnnxSentenceEmbedder(OnnxSentenceEmbedder.Spec.MINILM, 1, 128);
    }

    @Test
    void aBatchOfMixedLengthsGivesTheVectorsOfOneAtATime() {
        List<String> texts = List.of(
                "tl;dr this thread",
                "Please review the diff below for race conditions and missing tests before we merge it into main",
                "why",
                "Summarize the following incident report for the weekly digest, three bullets, plain words, no jargon at all please");
        List<float[]> batch = minilm.embedAll(texts);
        assertThat(batch).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = minilm.embed(texts.get(i));
            assertThat(batch.get(i)).hasSize(384);
            assertThat(dot(batch.get(i), batch.get(i))).isCloseTo(1.0, within(1e-4));
            assertThat(dot(batch.get(i), alone)).as(texts.get(i)).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void similarAsksAreCloserThanDifferentOnes() {
        float[] summary = minilm.embed("summarize this email thread");
        float[] digest = minilm.embed("give me a short recap of these emails");
        float[] review = minilm.embed("review this pull request for security bugs");
        assertThat(dot(summary, digest)).isGreaterThan(dot(summary, review));
    }

    @Test
    void anEmptyBatchIsEmptyAndAnUnknownModelIsNamed() {
        assertThat(minilm.embedAll(List.of())).isEmpty();
        assertThatThrownBy(() -> OnnxSentenceEmbedder.Spec.named("word2vec"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("word2vec")
                .hasMessageContaining("all-minilm-l6-v2-q");
    }
}
