package io.tiergate.classifier.train;

import java.util.Locale;

/**
 * Hyperparameters of the shipped model, chosen by cross-validation on the training split only
 * ({@code Evaluate --grid}); the held-out split never takes part in choosing them.
 *
 * @param lambdaFast L2 strength of the fast (sparse-only) model
 * @param lambdaFull L2 strength of the full model (sparse + embedding)
 * @param denseScale multiplier on the unit-norm embedding in the full model
 * @param minDocuments sparse features seen in fewer training prompts are dropped
 * @param embeddingChars characters of the ask the embedding model reads
 * @param folds k of the k-fold cross-validation
 * @param seed fold assignment seed
 */
public record TrainingRecipe(
    double lambdaFast, double lambdaFull, float denseScale, int minDocuments, int embeddingChars, int folds, long seed) {

  public static final TrainingRecipe DEFAULT = new TrainingRecipe(3e-4, 1e-3, 3f, 3, 120, 10, 20261122L);

  public TrainingRecipe withLambdas(double fast, double full) {
    return new TrainingRecipe(fast, full, denseScale, minDocuments, embeddingChars, folds, seed);
  }

  public TrainingRecipe withDenseScale(float scale) {
    return new TrainingRecipe(lambdaFast, lambdaFull, scale, minDocuments, embeddingChars, folds, seed);
  }

  public TrainingRecipe withMinDocuments(int documents) {
    return new TrainingRecipe(lambdaFast, lambdaFull, denseScale, documents, embeddingChars, folds, seed);
  }

  public TrainingRecipe withEmbeddingChars(int chars) {
    return new TrainingRecipe(lambdaFast, lambdaFull, denseScale, minDocuments, chars, folds, seed);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "lambdaFast=%g lambdaFull=%g denseScale=%s minDocuments=%d embeddingChars=%d folds=%d seed=%d",
        lambdaFast, lambdaFull, denseScale, minDocuments, embeddingChars, folds, seed);
  }
}
