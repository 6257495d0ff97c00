package io.tiergate.classifier.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.classifier.classify.TaskModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The weights in src/main/resources/model belong to the training data beside them. */
class ShippedModelTest {

    @Test
    void theShippedModelWasTrainedOnTheCurrentTrainingData() {
        TaskModel model = TaskModel.loadDefault();
        assertThat(model.trainingDataSha256())
                .as(
                        "training data changed since the model was trained: run io.tiergate.classifier.train.Train (docs/classifier.md)")
                .isEqualTo(TrainingData.trainSha256(Path.of("src", "main", "resources", "training")));
    }

    @Test
    void itCoversTheNineTaskTypesWithTheMiniLmHead() {
        TaskModel model = TaskModel.loadDefault();
        assertThat(model.classes()).containsExactly(ModelTrainer.CLASSES);
        assertThat(model.full().denseDim()).isEqualTo(384);
        assertThat(model.embedderName()).isEqualTo("all-minilm-l6-v2-q");
    }

    @Test
    void writesAndReadsBackTheSameModel() throws Exception {
        TaskModel model = TaskModel.loadDefault();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.write(out);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        TaskModel.read(new ByteArrayInputStream(out.toByteArray())).write(again);
        assertThat(again.toByteArray()).isEqualTo(out.toByteArray());
    }

    @Test
    void theTrainingDataParsesCleanly() {
        TrainingData data = TrainingData.load(Path.of("src", "main", "resources", "training"));
        assertThat(data.problems()).isEmpty();
        assertThat(data.train()).hasSizeGreaterThanOrEqualTo(9 * 300);
    }
}
