package io.tiergate.classifier.train;

import io.tiergate.classifier.classify.TaskModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains the shipped task model on the training data (never the frozen evaluation sets) with
 * {@link TrainingRecipe#DEFAULT} and writes it to {@code src/main/resources} + {@value TaskModel#RESOURCE}.
 * Deterministic: the same data gives the same weights.
 *
 * <pre>./mvnw -q -o -pl classifier-service compile exec:java -Dexec.mainClass=io.tiergate.classifier.train.Train</pre>
 *
 * Options: {@code --data DIR}, {@code --out FILE}.
 */
public final class Train {

    private Train() {}

    public static void main(String[] args) throws IOException {
        Path dir = TrainingData.defaultDirectory();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> dir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (out == null) {
            // training/ sits beside model/ under src/main/resources
            out = dir.toAbsolutePath().getParent().resolve(TaskModel.RESOURCE.substring(1));
        }
        TrainingData data = TrainingData.load(dir);
        if (!data.problems().isEmpty()) {
            System.err.println("Skipped lines: " + data.problems());
        }
        long start = System.nanoTime();
        ModelTrainer trainer =
                new ModelTrainer(TrainingRecipe.DEFAULT, Evaluate.embedder(TrainingRecipe.DEFAULT.embedder()));
        TaskModel model = trainer.train(trainer.prepare(data.train()), data.trainSha256());
        Files.createDirectories(out.getParent());
        try (OutputStream file = Files.newOutputStream(out)) {
            model.write(file);
        }
        System.out.printf(
                "Trained on %d prompts in %.1f s (%s); wrote %s (%d bytes), training data %s%n",
                data.train().size(),
                (System.nanoTime() - start) / 1e9,
                model.recipe(),
                out,
                Files.size(out),
                model.trainingDataSha256());
    }
}
