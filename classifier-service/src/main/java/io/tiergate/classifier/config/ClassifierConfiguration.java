package io.tiergate.classifier.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** {@code tiergate.classifier.*}, validated at start; see {@link ClassifierSettings} for meanings. */
@ConfigurationProperties("tiergate.classifier")
public class ClassifierConfiguration {

  @Positive private int maxPromptTokens = ClassifierSettings.DEFAULTS.maxPromptTokens();
  @Positive private int maxPromptChars = ClassifierSettings.DEFAULTS.maxPromptChars();

  @NotBlank
  @Pattern(regexp = "cl100k_base|o200k_base", message = "must be cl100k_base or o200k_base")
  private String tokenEncoding = ClassifierSettings.DEFAULTS.tokenEncoding();

  private boolean embeddingEnabled = ClassifierSettings.DEFAULTS.embeddingEnabled();

  @DecimalMin("0.0")
  private double embeddingThreshold = ClassifierSettings.DEFAULTS.embeddingThreshold();

  @Positive private int embeddingThreads = ClassifierSettings.DEFAULTS.embeddingThreads();

  @PositiveOrZero private int embeddingCacheSize = ClassifierSettings.DEFAULTS.embeddingCacheSize();

  @DecimalMin("0.0")
  @DecimalMax("1.0")
  private double uncertaintyMargin = ClassifierSettings.DEFAULTS.uncertaintyMargin();

  public ClassifierSettings toSettings() {
    return new ClassifierSettings(
        maxPromptTokens, maxPromptChars, tokenEncoding, embeddingEnabled, embeddingThreshold, embeddingThreads,
        embeddingCacheSize, uncertaintyMargin);
  }

  public double getUncertaintyMargin() {
    return uncertaintyMargin;
  }

  public void setUncertaintyMargin(double uncertaintyMargin) {
    this.uncertaintyMargin = uncertaintyMargin;
  }

  public int getMaxPromptTokens() {
    return maxPromptTokens;
  }

  public void setMaxPromptTokens(int maxPromptTokens) {
    this.maxPromptTokens = maxPromptTokens;
  }

  public int getMaxPromptChars() {
    return maxPromptChars;
  }

  public void setMaxPromptChars(int maxPromptChars) {
    this.maxPromptChars = maxPromptChars;
  }

  public String getTokenEncoding() {
    return tokenEncoding;
  }

  public void setTokenEncoding(String tokenEncoding) {
    this.tokenEncoding = tokenEncoding;
  }

  public boolean isEmbeddingEnabled() {
    return embeddingEnabled;
  }

  public void setEmbeddingEnabled(boolean embeddingEnabled) {
    this.embeddingEnabled = embeddingEnabled;
  }

  public double getEmbeddingThreshold() {
    return embeddingThreshold;
  }

  public void setEmbeddingThreshold(double embeddingThreshold) {
    this.embeddingThreshold = embeddingThreshold;
  }

  public int getEmbeddingThreads() {
    return embeddingThreads;
  }

  public void setEmbeddingThreads(int embeddingThreads) {
    this.embeddingThreads = embeddingThreads;
  }

  public int getEmbeddingCacheSize() {
    return embeddingCacheSize;
  }

  public void setEmbeddingCacheSize(int embeddingCacheSize) {
    this.embeddingCacheSize = embeddingCacheSize;
  }
}
