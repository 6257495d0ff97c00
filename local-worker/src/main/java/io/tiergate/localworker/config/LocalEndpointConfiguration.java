package io.tiergate.localworker.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.tiergate.localworker.cost.TcoOverride;
import io.tiergate.localworker.endpoint.EndpointSettings;
import io.tiergate.localworker.endpoint.EndpointSpec;
import io.tiergate.localworker.endpoint.LocalApi;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code tiergate.local-worker.endpoints.<name>.*}: one local model server, its protocol, the models
 * it serves, its timeouts and — optionally — the TCO of the machine it runs on (any figure left out
 * comes from the price table's {@code localTco}).
 */
@EachProperty("tiergate.local-worker.endpoints")
public class LocalEndpointConfiguration {

  private final String name;
  /** Blank: the default {@code http://127.0.0.1:11434}, which {@code backend=auto} may replace by the simulated backend. */
  private String baseUrl;
  /** ollama | openai-compatible; blank: as the backend mode says. */
  private String api;
  private List<String> models = new ArrayList<>();
  private boolean stream = true;
  private boolean think = false;
  /** false: leave {@code think} out of requests (servers or models that reject the field). */
  private boolean sendThink = true;
  private String keepAlive = "5m";
  private Integer numCtx;
  @NotNull private Duration connectTimeout = Duration.ofSeconds(2);
  @NotNull private Duration firstByteTimeout = Duration.ofSeconds(120);
  @NotNull private Duration idleTimeout = Duration.ofSeconds(30);
  @NotNull private Duration totalTimeout = Duration.ofMinutes(5);
  private BigDecimal wattsUnderLoad;
  private BigDecimal usdPerKwh;
  private BigDecimal hardwarePriceUsd;
  private BigDecimal lifetimeYears;
  private BigDecimal utilization;
  private BigDecimal maintenanceUsdPerYear;

  public LocalEndpointConfiguration(@Parameter String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  /** The plain description the endpoint selection works from. */
  public EndpointSpec toSpec() {
    boolean explicit = baseUrl != null && !baseUrl.isBlank();
    URI url = URI.create(explicit ? baseUrl.strip() : EndpointSettings.DEFAULT_OLLAMA_URL);
    if (url.getScheme() == null || url.getHost() == null) {
      throw new IllegalArgumentException("tiergate.local-worker.endpoints." + name + ".base-url is not an http URL: " + baseUrl);
    }
    EndpointSettings settings =
        new EndpointSettings(
            name, url, stream, sendThink ? think : null, keepAlive == null || keepAlive.isBlank() ? null : keepAlive, numCtx,
            connectTimeout, firstByteTimeout, idleTimeout, totalTimeout);
    TcoOverride tco =
        new TcoOverride(wattsUnderLoad, usdPerKwh, hardwarePriceUsd, lifetimeYears, utilization, maintenanceUsdPerYear);
    return new EndpointSpec(name, parseApi(), explicit, models, settings, tco);
  }

  private LocalApi parseApi() {
    if (api == null || api.isBlank()) {
      return null;
    }
    return switch (api.strip().toLowerCase(Locale.ROOT)) {
      case "ollama" -> LocalApi.OLLAMA;
      case "openai-compatible", "openai" -> LocalApi.OPENAI_COMPATIBLE;
      default -> throw new IllegalArgumentException(
          "tiergate.local-worker.endpoints." + name + ".api must be ollama or openai-compatible, was " + api);
    };
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String getApi() {
    return api;
  }

  public void setApi(String api) {
    this.api = api;
  }

  public List<String> getModels() {
    return models;
  }

  public void setModels(List<String> models) {
    this.models = models;
  }

  public boolean isStream() {
    return stream;
  }

  public void setStream(boolean stream) {
    this.stream = stream;
  }

  public boolean isThink() {
    return think;
  }

  public void setThink(boolean think) {
    this.think = think;
  }

  public boolean isSendThink() {
    return sendThink;
  }

  public void setSendThink(boolean sendThink) {
    this.sendThink = sendThink;
  }

  public String getKeepAlive() {
    return keepAlive;
  }

  public void setKeepAlive(String keepAlive) {
    this.keepAlive = keepAlive;
  }

  public Integer getNumCtx() {
    return numCtx;
  }

  public void setNumCtx(Integer numCtx) {
    this.numCtx = numCtx;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getFirstByteTimeout() {
    return firstByteTimeout;
  }

  public void setFirstByteTimeout(Duration firstByteTimeout) {
    this.firstByteTimeout = firstByteTimeout;
  }

  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public Duration getTotalTimeout() {
    return totalTimeout;
  }

  public void setTotalTimeout(Duration totalTimeout) {
    this.totalTimeout = totalTimeout;
  }

  public BigDecimal getWattsUnderLoad() {
    return wattsUnderLoad;
  }

  public void setWattsUnderLoad(BigDecimal wattsUnderLoad) {
    this.wattsUnderLoad = wattsUnderLoad;
  }

  public BigDecimal getUsdPerKwh() {
    return usdPerKwh;
  }

  public void setUsdPerKwh(BigDecimal usdPerKwh) {
    this.usdPerKwh = usdPerKwh;
  }

  public BigDecimal getHardwarePriceUsd() {
    return hardwarePriceUsd;
  }

  public void setHardwarePriceUsd(BigDecimal hardwarePriceUsd) {
    this.hardwarePriceUsd = hardwarePriceUsd;
  }

  public BigDecimal getLifetimeYears() {
    return lifetimeYears;
  }

  public void setLifetimeYears(BigDecimal lifetimeYears) {
    this.lifetimeYears = lifetimeYears;
  }

  public BigDecimal getUtilization() {
    return utilization;
  }

  public void setUtilization(BigDecimal utilization) {
    this.utilization = utilization;
  }

  public BigDecimal getMaintenanceUsdPerYear() {
    return maintenanceUsdPerYear;
  }

  public void setMaintenanceUsdPerYear(BigDecimal maintenanceUsdPerYear) {
    this.maintenanceUsdPerYear = maintenanceUsdPerYear;
  }
}
