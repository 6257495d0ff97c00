package io.tiergate.classifier.train;

import io.tiergate.classifier.classify.FeatureExtractor;
import io.tiergate.classifier.classify.PromptSignals;
import io.tiergate.classifier.classify.SentenceEmbedder;
import io.tiergate.classifier.classify.SoftmaxModel;
import io.tiergate.classifier.classify.SparseFeatures;
import io.tiergate.classifier.classify.TaskClassifier;
import io.tiergate.classifier.classify.TaskModel;
import io.tiergate.classifier.train.TrainingData.LabelledPrompt;
import io.tiergate.schemas.events.TaskType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits the two models of a {@link TaskModel} (fast: sparse features; full: sparse features + the
 * embedding of the ask) on labelled prompts, with the features computed exactly as at inference.
 */
final class ModelTrainer {

    /** The nine types in schema order; UNKNOWN is a reader's fallback, never a label. */
    static final TaskType[] CLASSES =
            Arrays.stream(TaskType.values()).filter(t -> t != TaskType.UNKNOWN).toArray(TaskType[]::new);

    private final TrainingRecipe recipe;
    private final SentenceEmbedder embedder;
    private final FeatureExtractor extractor = new FeatureExtractor();

    ModelTrainer(TrainingRecipe recipe, SentenceEmbedder embedder) {
        this.recipe = recipe;
        this.embedder = embedder;
    }

    /** A labelled prompt with its features and embedding computed. */
    record Example(
            LabelledPrompt source, PromptSignals signals, SparseFeatures features, float[] embedding, int label) {}

    List<Example> prepare(List<LabelledPrompt> prompts) {
        List<PromptSignals> signals =
                prompts.stream().map(p -> PromptSignals.scan(p.prompt())).toList();
        List<String> texts = new ArrayList<>();
        for (PromptSignals s : signals) {
            String text = TaskClassifier.embeddingText(s, recipe.embeddingChars());
            if (!text.isEmpty()) {
                texts.add(text);
            }
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += BATCH) {
            vectors.addAll(embedder.embedAll(texts.subList(from, Math.min(texts.size(), from + BATCH))));
        }
        List<Example> out = new ArrayList<>(prompts.size());
        int next = 0;
        for (int i = 0; i < prompts.size(); i++) {
            LabelledPrompt p = prompts.get(i);
            boolean prose = !TaskClassifier.embeddingText(signals.get(i), recipe.embeddingChars())
                    .isEmpty();
            // a prompt without prose never reaches the full model at inference; a zero vector stands in
            float[] embedding = prose ? vectors.get(next++) : new float[embedder.dimensions()];
            out.add(new Example(
                    p, signals.get(i), extractor.extract(signals.get(i)), embedding, indexOf(p.taskType())));
        }
        return out;
    }

    /** Texts per embedding call while preparing. */
    private static final int BATCH = 32;

    TaskModel train(List<Example> examples, String trainingDataSha256) {
        List<SparseFeatures> xs = examples.stream().map(Example::features).toList();
        float[][] dense = examples.stream().map(Example::embedding).toArray(float[][]::new);
        int[] labels = examples.stream().mapToInt(Example::label).toArray();
        SoftmaxModel fast = new SoftmaxTrainer(recipe.lambdaFast(), 1f, recipe.minDocuments())
                .fit(xs, null, labels, CLASSES.length);
        SoftmaxModel full = new SoftmaxTrainer(recipe.lambdaFull(), recipe.denseScale(), recipe.minDocuments())
                .fit(xs, dense, labels, CLASSES.length);
        return new TaskModel(
                CLASSES,
                fast,
                full,
                embedder.name(),
                recipe.embeddingChars(),
                trainingDataSha256,
                recipe + " examples=" + examples.size());
    }

    static int indexOf(TaskType type) {
        for (int i = 0; i < CLASSES.length; i++) {
            if (CLASSES[i] == type) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a label: " + type);
    }
}
