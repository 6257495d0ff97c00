package io.tiergate.classifier.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SoftmaxModelTest {

    private static final int CLASSES = 9;

    @Test
    void theFeatureTableFindsExactlyWhatASearchOfTheTrainedIdsFinds() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            int[] trained = IntStream.generate(() -> random.nextInt(1 << 22))
                    .limit(1 + random.nextInt(5_000))
                    .distinct()
                    .sorted()
                    .toArray();
            float[] weights = new float[trained.length * CLASSES];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) random.nextGaussian();
            }
            SoftmaxModel model = new SoftmaxModel(CLASSES, trained, weights, 0, 1f, new float[0]);
            // half the prompt's features were seen in training, half were not (ids next to trained ones collide in the
            // table)
            int[] ids = IntStream.range(0, 200)
                    .map(i -> i % 2 == 0
                            ? trained[random.nextInt(trained.length)]
                            : trained[random.nextInt(trained.length)] + 1 + random.nextInt(3))
                    .filter(id -> id < 1 << 22)
                    .distinct()
                    .sorted()
                    .toArray();
            float[] values = new float[ids.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextFloat();
            }
            SparseFeatures x = new SparseFeatures(ids, values, new String[ids.length]);

            double[] expected = new double[CLASSES];
            for (int i = 0; i < ids.length; i++) {
                int r = Arrays.binarySearch(trained, ids[i]);
                for (int k = 0; r >= 0 && k < CLASSES; k++) {
                    expected[k] += weights[r * CLASSES + k] * values[i];
                    assertThat(model.contribution(x, i, k)).isEqualTo(weights[r * CLASSES + k] * values[i]);
                }
                if (r < 0) {
                    assertThat(model.contribution(x, i, 0)).isZero();
                }
            }
            assertThat(model.probabilities(x, null)).containsExactly(SoftmaxModel.softmax(expected));
        }
    }

    @Test
    void aModelWithoutFeaturesScoresEveryPromptTheSame() {
        SoftmaxModel model = new SoftmaxModel(CLASSES, new int[0], new float[0], 0, 1f, new float[0]);
        SparseFeatures x = new SparseFeatures(new int[] {1, 2}, new float[] {1f, 1f}, new String[2]);

        assertThat(model.probabilities(x, null)).containsOnly(1.0 / CLASSES);
    }

    @Test
    void negativeFeatureIdsAreRefused() {
        assertThatThrownBy(() -> new SoftmaxModel(2, new int[] {-3, 4}, new float[4], 0, 1f, new float[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
