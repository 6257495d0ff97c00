package io.tiergate.classifier.classify;

import static io.tiergate.classifier.classify.Vectors.dot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StaticTokenEmbedderTest {

    private static OnnxSentenceEmbedder minilm;
    private static StaticTokenEmbedder statics;

    @BeforeAll
    static void load() {
        minilm = new OnnxSentenceEmbedder(OnnxSentenceEmbedder.Spec.MINILM, 1, 128);
        statics = new StaticTokenEmbedder(minilm);
    }

    @Test
    void aOneTokenTextIsWhatTheSentenceModelSaysOfIt() { // words that are one token of its vocabulary
        for (String word : List.of("review", "code", "error")) {
            assertThat(dot(statics.embed(word), minilm.embed(word))).as(word).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void aTextIsTheNormalisedMeanOfItsTokensWhateverTheirOrder() {
        float[] review = statics.embed("review");
        float[] code = statics.embed("code");
        float[] sum = new float[review.length];
        for (int d = 0; d < sum.length; d++) {
            sum[d] = review[d] + code[d];
        }
        double norm = Math.sqrt(dot(sum, sum));
        float[] both = statics.embed("review code");
        assertThat(dot(both, both)).isCloseTo(1.0, within(1e-4));
        assertThat(dot(both, sum) / norm).isCloseTo(1.0, within(1e-4));
        assertThat(dot(statics.embed("code review"), both)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void aBatchGivesTheVectorsOfOneAtATimeAndLearnsEachTokenOnce() {
        List<String> texts = List.of(
                "Please review the diff below for race conditions",
                "why does the consumer lag grow after the deploy",
                "tl;dr");
        StaticTokenEmbedder fresh = new StaticTokenEmbedder(minilm);
        List<float[]> batch = fresh.embedAll(texts);
        int learned = fresh.knownTokens();
        assertThat(learned).isPositive();
        for (int i = 0; i < texts.size(); i++) {
            assertThat(dot(batch.get(i), fresh.embed(texts.get(i)))).isCloseTo(1.0, within(1e-5));
        }
        assertThat(fresh.knownTokens()).isEqualTo(learned);
        assertThat(fresh.embedAll(List.of())).isEmpty();
    }

    @Test
    void theTaskModelNamesItAndGetsIt() {
        SentenceEmbedder named = Embedders.named("all-minilm-l6-v2-q-static", 1, 128);
        assertThat(named).isInstanceOf(StaticTokenEmbedder.class);
        assertThat(named.name()).isEqualTo("all-minilm-l6-v2-q-static");
        assertThat(named.dimensions()).isEqualTo(384);
        assertThat(Embedders.named("all-minilm-l6-v2-q", 1, 128)).isInstanceOf(OnnxSentenceEmbedder.class);
    }
}
