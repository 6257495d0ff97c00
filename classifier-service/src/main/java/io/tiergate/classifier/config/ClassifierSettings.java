package io.tiergate.classifier.config;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.tiergate.platform.config.PropertyCheck;
import java.util.Optional;

/**
 * {@code tiergate.classifier.*}: what the classifier needs to know, as plain values. The service
 * binds it from configuration at start (a property left out takes its value from {@link #DEFAULTS});
 * batch mode and tests use {@link #DEFAULTS} or construct it, without Micronaut. Either way the
 * values are checked here, and a failure names the property.
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
@Context
@ConfigurationProperties(ClassifierSettings.PREFIX)
public record ClassifierSettings(
        int maxPromptTokens,
        int maxPromptChars,
        String tokenEncoding,
        boolean embeddingEnabled,
        double embeddingThreshold,
        int embeddingThreads,
        int embeddingCacheSize,
        double uncertaintyMargin) {

    public static final String PREFIX = "tiergate.classifier";

    /** The defaults: the service's, for every property left out, and batch mode's. */
    public static final ClassifierSettings DEFAULTS =
            new ClassifierSettings(32_000, 200_000, "cl100k_base", true, 0.7, 1, 4_096, 0.1);

    public ClassifierSettings {
        PropertyCheck check = PropertyCheck.under(PREFIX);
        check.positive("max-prompt-tokens", maxPromptTokens);
        check.positive("max-prompt-chars", maxPromptChars);
        check.oneOf("token-encoding", tokenEncoding, "cl100k_base", "o200k_base");
        check.atLeast("embedding-threshold", embeddingThreshold, 0);
        check.positive("embedding-threads", embeddingThreads);
        check.notNegative("embedding-cache-size", embeddingCacheSize);
        check.between("uncertainty-margin", uncertaintyMargin, 0, 1);
    }

    /** Binds {@code tiergate.classifier.*}; what is not set comes from {@link #DEFAULTS}. */
    @ConfigurationInject
    static ClassifierSettings bind(
            Optional<Integer> maxPromptTokens,
            Optional<Integer> maxPromptChars,
            Optional<String> tokenEncoding,
            Optional<Boolean> embeddingEnabled,
            Optional<Double> embeddingThreshold,
            Optional<Integer> embeddingThreads,
            Optional<Integer> embeddingCacheSize,
            Optional<Double> uncertaintyMargin) {
        ClassifierSettings d = DEFAULTS;
        return new ClassifierSettings(
                maxPromptTokens.orElse(d.maxPromptTokens),
                maxPromptChars.orElse(d.maxPromptChars),
                PropertyCheck.text(tokenEncoding).orElse(d.tokenEncoding),
                embeddingEnabled.orElse(d.embeddingEnabled),
                embeddingThreshold.orElse(d.embeddingThreshold),
                embeddingThreads.orElse(d.embeddingThreads),
                embeddingCacheSize.orElse(d.embeddingCacheSize),
                uncertaintyMargin.orElse(d.uncertaintyMargin));
    }

    /** These settings with the embedding model off or on, and its threshold. */
    public ClassifierSettings withEmbedding(boolean enabled, double threshold) {
        return new ClassifierSettings(
                maxPromptTokens,
                maxPromptChars,
                tokenEncoding,
                enabled,
                threshold,
                embeddingThreads,
                embeddingCacheSize,
                uncertaintyMargin);
    }

    /** These settings with another embedding cache size (0: none). */
    public ClassifierSettings withEmbeddingCacheSize(int size) {
        return new ClassifierSettings(
                maxPromptTokens,
                maxPromptChars,
                tokenEncoding,
                embeddingEnabled,
                embeddingThreshold,
                embeddingThreads,
                size,
                uncertaintyMargin);
    }

    /** These settings with another uncertainty margin (0: always the most likely type). */
    public ClassifierSettings withUncertaintyMargin(double margin) {
        return new ClassifierSettings(
                maxPromptTokens,
                maxPromptChars,
                tokenEncoding,
                embeddingEnabled,
                embeddingThreshold,
                embeddingThreads,
                embeddingCacheSize,
                margin);
    }
}
