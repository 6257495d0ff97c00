package io.tiergate.classifier.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.classifier.classify.FeatureExtractor;
import io.tiergate.classifier.classify.PromptSignals;
import io.tiergate.classifier.classify.SoftmaxModel;
import io.tiergate.classifier.classify.SparseFeatures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoftmaxTrainerTest {

    private final FeatureExtractor extractor = new FeatureExtractor();

    private SparseFeatures features(String text) {
        return extractor.extract(PromptSignals.scan(text));
    }

    @Test
    void lbfgsFindsTheMinimumOfAQuadratic() {
        // f(x) = (x0 - 3)^2 + 10 (x1 + 1)^2
        double[] x = SoftmaxTrainer.Lbfgs.minimize(
                (p, g) -> {
                    g[0] = 2 * (p[0] - 3);
                    g[1] = 20 * (p[1] + 1);
                    return (p[0] - 3) * (p[0] - 3) + 10 * (p[1] + 1) * (p[1] + 1);
                },
                new double[] {0, 0},
                5,
                100);
        assertThat(x[0]).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(x[1]).isCloseTo(-1, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void learnsSeparableClassesAndPredictsThem() {
        List<SparseFeatures> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        String[] a = {"summarize the report", "summarize this thread", "summarize the notes please", "give me a summary"
        };
        String[] b = {"review this pull request", "review my diff", "please review the change", "code review for this"};
        for (String s : a) {
            xs.add(features(s));
            ys.add(0);
        }
        for (String s : b) {
            xs.add(features(s));
            ys.add(1);
        }
        SoftmaxModel m = new SoftmaxTrainer(1e-3, 1f, 1)
                .fit(xs, null, ys.stream().mapToInt(Integer::intValue).toArray(), 2);
        assertThat(m.probabilities(features("summarize the meeting"), null)[0]).isGreaterThan(0.5);
        assertThat(m.probabilities(features("review the pull request"), null)[1])
                .isGreaterThan(0.5);
    }

    @Test
    void rareFeaturesGetNoWeight() {
        SparseFeatures alphaDoc = features("alpha common");
        List<SparseFeatures> xs = List.of(alphaDoc, features("beta common"));
        SoftmaxModel kept = new SoftmaxTrainer(1e-3, 1f, 1).fit(xs, null, new int[] {0, 1}, 2);
        SoftmaxModel pruned = new SoftmaxTrainer(1e-3, 1f, 2).fit(xs, null, new int[] {0, 1}, 2);
        int alpha = indexOf(alphaDoc, "u:alpha");
        int common = indexOf(alphaDoc, "u:common");
        assertThat(kept.contribution(alphaDoc, alpha, 0)).isPositive();
        assertThat(pruned.contribution(alphaDoc, alpha, 0)).isZero();
        assertThat(pruned.contribution(alphaDoc, common, 0)).isNotZero();
    }

    private static int indexOf(SparseFeatures x, String name) {
        for (int i = 0; i < x.size(); i++) {
            if (x.name(i).equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no feature " + name);
    }

    @Test
    void usesTheDenseVector() {
        List<SparseFeatures> xs = List.of(features("same"), features("same"), features("same"), features("same"));
        float[][] dense = {{1, 0}, {0.9f, 0.1f}, {0, 1}, {0.1f, 0.9f}};
        SoftmaxModel m = new SoftmaxTrainer(1e-4, 3f, 1).fit(xs, dense, new int[] {0, 0, 1, 1}, 2);
        assertThat(m.denseDim()).isEqualTo(2);
        assertThat(m.probabilities(features("same"), new float[] {1, 0})[0]).isGreaterThan(0.8);
        assertThat(m.probabilities(features("same"), new float[] {0, 1})[1]).isGreaterThan(0.8);
    }
}
