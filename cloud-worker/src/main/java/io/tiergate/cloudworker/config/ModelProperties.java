package io.tiergate.cloudworker.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code tiergate.cloud-worker.models.<name>.*}: one cloud model endpoint. {@code <name>} is a
 * config handle (model ids contain dots, which property keys cannot); {@code model} is the
 * price-table id and defaults to the handle.
 */
@EachProperty("tiergate.cloud-worker.models")
public class ModelProperties {

  private final String name;
  @Nullable private String model;
  @NotNull private ModelEndpoint.Api api = ModelEndpoint.Api.OPENAI;
  @Nullable private String baseUrl;
  @Nullable private String apiKeyEnv;
  @Nullable private String apiKeyFile;
  @Nullable private String remoteModel;
  @Nullable private String provider;
  private boolean stream = true;
  @Positive private int defaultMaxOutputTokens = 4096;
  @NotNull private Duration timeout = Duration.ofSeconds(120);
  @Nullable @Positive private Long requestsPerMinute;
  @Nullable @Positive private Long tokensPerMinute;
  @DecimalMin("1")
  @DecimalMax("100")
  private float circuitFailureRatePercent = 50;
  @Positive private int circuitMinimumCalls = 10;
  @NotNull private Duration circuitOpenFor = Duration.ofSeconds(30);
  private Map<String, String> headers = new HashMap<>();

  public ModelProperties(@Parameter String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  /** The price-table id (defaults to the config handle). */
  public String getModel() {
    return model != null ? model : name;
  }

  public void setModel(@Nullable String model) {
    this.model = model;
  }

  public ModelEndpoint.Api getApi() {
    return api;
  }

  public void setApi(ModelEndpoint.Api api) {
    this.api = api;
  }

  @Nullable
  public String getBaseUrl() {
    return baseUrl;
  }

  public void setBaseUrl(@Nullable String baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Nullable
  public String getApiKeyEnv() {
    return apiKeyEnv;
  }

  public void setApiKeyEnv(@Nullable String apiKeyEnv) {
    this.apiKeyEnv = apiKeyEnv;
  }

  @Nullable
  public String getApiKeyFile() {
    return apiKeyFile;
  }

  public void setApiKeyFile(@Nullable String apiKeyFile) {
    this.apiKeyFile = apiKeyFile;
  }

  /** The provider's model name (defaults to the price-table id). */
  public String getRemoteModel() {
    return remoteModel != null ? remoteModel : getModel();
  }

  public void setRemoteModel(@Nullable String remoteModel) {
    this.remoteModel = remoteModel;
  }

  /** Label on results and cost events; defaults from the API and base URL. */
  public String getProvider() {
    if (provider != null) {
      return provider;
    }
    return switch (api) {
      case ANTHROPIC -> "anthropic";
      case SIMULATED -> "simulated";
      case OPENAI -> baseUrl != null && baseUrl.contains("openrouter.ai") ? "openrouter"
          : baseUrl != null && baseUrl.contains("api.openai.com") ? "openai" : "openai-compatible";
    };
  }

  public void setProvider(@Nullable String provider) {
    this.provider = provider;
  }

  public boolean isStream() {
    return stream;
  }

  public void setStream(boolean stream) {
    this.stream = stream;
  }

  public int getDefaultMaxOutputTokens() {
    return defaultMaxOutputTokens;
  }

  public void setDefaultMaxOutputTokens(int defaultMaxOutputTokens) {
    this.defaultMaxOutputTokens = defaultMaxOutputTokens;
  }

  public Duration getTimeout() {
    return timeout;
  }

  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  @Nullable
  public Long getRequestsPerMinute() {
    return requestsPerMinute;
  }

  public void setRequestsPerMinute(@Nullable Long requestsPerMinute) {
    this.requestsPerMinute = requestsPerMinute;
  }

  @Nullable
  public Long getTokensPerMinute() {
    return tokensPerMinute;
  }

  public void setTokensPerMinute(@Nullable Long tokensPerMinute) {
    this.tokensPerMinute = tokensPerMinute;
  }

  public float getCircuitFailureRatePercent() {
    return circuitFailureRatePercent;
  }

  public void setCircuitFailureRatePercent(float circuitFailureRatePercent) {
    this.circuitFailureRatePercent = circuitFailureRatePercent;
  }

  public int getCircuitMinimumCalls() {
    return circuitMinimumCalls;
  }

  public void setCircuitMinimumCalls(int circuitMinimumCalls) {
    this.circuitMinimumCalls = circuitMinimumCalls;
  }

  public Duration getCircuitOpenFor() {
    return circuitOpenFor;
  }

  public void setCircuitOpenFor(Duration circuitOpenFor) {
    this.circuitOpenFor = circuitOpenFor;
  }

  public Map<String, String> getHeaders() {
    return headers;
  }

  public void setHeaders(Map<String, String> headers) {
    this.headers = headers;
  }
}
