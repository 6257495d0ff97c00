package io.tiergate.classifier.config;

/**
 * What the classifier needs to know, as plain values: built from {@code tiergate.classifier.*} in the
 * service ({@link ClassifierConfiguration}), or {@link #DEFAULTS} in batch mode without Micronaut.
 * The defaults here and in application.yml are the same (a test checks).
 *
 * @param maxPromptTokens prompt + system prompt above this many tokens go to the dead-letter topic
 * @param maxPromptChars checked before tokenizing, so a huge prompt costs no tokenizer time
 * @param tokenEncoding jtokkit encoding: cl100k_base or o200k_base
 * @param embeddingEnabled false: the fast model alone (no ONNX Runtime, no model load)
 * @param embeddingThreshold fast-model probability at or above which the embedding is skipped
 * @param embeddingThreads ONNX Runtime intra-op threads per embedding
 * @param embeddingCacheSize asks whose embeddings are remembered (LRU); 0 disables the cache
 * @param uncertaintyMargin when the top two task types' probabilities are closer than this, the
 *     request is served as the one with the higher minimum tier (0: never)
 */
public record ClassifierSettings(
    int maxPromptTokens,
    int maxPromptChars,
    String tokenEncoding,
    boolean embeddingEnabled,
    double embeddingThreshold,
    int embeddingThreads,
    int embeddingCacheSize,
    double uncertaintyMargin) {

  public static final ClassifierSettings DEFAULTS =
      new ClassifierSettings(32_000, 200_000, "cl100k_base", true, 0.7, 1, 4_096, 0.1);

  public ClassifierSettings {
    if (maxPromptTokens <= 0 || maxPromptChars <= 0 || embeddingThreads <= 0) {
      throw new IllegalArgumentException("limits and threads must be positive");
    }
    if (embeddingCacheSize < 0) {
      throw new IllegalArgumentException("embedding cache size must be >= 0");
    }
    if (!(embeddingThreshold >= 0)) {
      throw new IllegalArgumentException("embedding threshold must be >= 0");
    }
    if (!(uncertaintyMargin >= 0 && uncertaintyMargin <= 1)) {
      throw new IllegalArgumentException("uncertainty margin must be between 0 and 1");
    }
  }

  /** These settings with the embedding model off or on, and its threshold. */
  public ClassifierSettings withEmbedding(boolean enabled, double threshold) {
    return new ClassifierSettings(
        maxPromptTokens, maxPromptChars, tokenEncoding, enabled, threshold, embeddingThreads, embeddingCacheSize,
        uncertaintyMargin);
  }

  /** These settings with another embedding cache size (0: none). */
  public ClassifierSettings withEmbeddingCacheSize(int size) {
    return new ClassifierSettings(
        maxPromptTokens, maxPromptChars, tokenEncoding, embeddingEnabled, embeddingThreshold, embeddingThreads, size,
        uncertaintyMargin);
  }

  /** These settings with another uncertainty margin (0: always the most likely type). */
  public ClassifierSettings withUncertaintyMargin(double margin) {
    return new ClassifierSettings(
        maxPromptTokens, maxPromptChars, tokenEncoding, embeddingEnabled, embeddingThreshold, embeddingThreads,
        embeddingCacheSize, margin);
  }
}
