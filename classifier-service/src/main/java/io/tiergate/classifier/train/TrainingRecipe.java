package io.tiergate.classifier.train;

import java.util.Locale;

/**
 * Hyperparameters of the shipped model, chosen by cross-validation on the training data only
 * ({@code Evaluate --grid}); the frozen evaluation sets never take part in choosing them. The
 * embedding model was chosen by the frozen set A (docs/classifier.md).
 *
 * @param embedder name of the sentence-embedding model ({@code OnnxSentenceEmbedder.Spec})
 * @param lambdaFast L2 strength of the fast (sparse-only) model
 * @param lambdaFull L2 strength of the full model (sparse + embedding)
 * @param denseScale multiplier on the unit-norm embedding in the full model
 * @param minDocuments sparse features seen in fewer training prompts are dropped
 * @param embeddingChars characters of the prompt's prose the embedding model reads
 * @param folds k of the k-fold cross-validation
 * @param seed fold assignment seed
 */
public record TrainingRecipe(
        String embedder,
        double lambdaFast,
        double lambdaFull,
        float denseScale,
        int minDocuments,
        int embeddingChars,
        int folds,
        long seed) {

    public static final TrainingRecipe DEFAULT =
            new TrainingRecipe("all-minilm-l6-v2-q", 1e-4, 3e-4, 2f, 3, 200, 5, 20261122L);

    public TrainingRecipe withEmbedder(String name) {
        return new TrainingRecipe(name, lambdaFast, lambdaFull, denseScale, minDocuments, embeddingChars, folds, seed);
    }

    public TrainingRecipe withLambdas(double fast, double full) {
        return new TrainingRecipe(embedder, fast, full, denseScale, minDocuments, embeddingChars, folds, seed);
    }

    public TrainingRecipe withDenseScale(float scale) {
        return new TrainingRecipe(embedder, lambdaFast, lambdaFull, scale, minDocuments, embeddingChars, folds, seed);
    }

    public TrainingRecipe withMinDocuments(int documents) {
        return new TrainingRecipe(embedder, lambdaFast, lambdaFull, denseScale, documents, embeddingChars, folds, seed);
    }

    public TrainingRecipe withEmbeddingChars(int chars) {
        return new TrainingRecipe(embedder, lambdaFast, lambdaFull, denseScale, minDocuments, chars, folds, seed);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "embedder=%s lambdaFast=%g lambdaFull=%g denseScale=%s minDocuments=%d embeddingChars=%d folds=%d seed=%d",
                embedder,
                lambdaFast,
                lambdaFull,
                denseScale,
                minDocuments,
                embeddingChars,
                folds,
                seed);
    }
}
