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
 */
public record ClassifierSettings(
    int maxPromptTokens,
    int maxPromptChars,
    String tokenEncoding,
    boolean embeddingEnabled,
    double embeddingThreshold,
    int embeddingThreads) {

  public static final ClassifierSettings DEFAULTS = new ClassifierSettings(32_000, 200_000, "cl100k_base", true, 0.7, 1);

  public ClassifierSettings {
    if (maxPromptTokens <= 0 || maxPromptChars <= 0 || embeddingThreads <= 0) {
      throw new IllegalArgumentException("limits and threads must be positive");
    }
    if (!(embeddingThreshold >= 0)) {
      throw new IllegalArgumentException("embedding threshold must be >= 0");
    }
  }
}
