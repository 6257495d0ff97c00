package io.tiergate.localworker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.tiergate.schemas.topics.Topics;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;

/**
 * {@code tiergate.local-worker.*}: how the local worker consumes, how much it takes at once, when
 * its circuit opens, where escalations go. Endpoints are {@link LocalEndpointConfiguration}.
 * Defaults in application.yml.
 */
@ConfigurationProperties("tiergate.local-worker")
public class LocalWorkerConfiguration {

  /** Unique among live instances, stable across restarts (part of the transactional id). */
  @NotBlank private String workerId = "local-worker-1";

  @NotBlank private String groupId = "tiergate-local-worker";

  /** The tier topic consumed; another name only to isolate test runs on a shared broker. */
  @NotBlank private String inputTopic = Topics.Names.TIER_LOCAL;

  /** auto | ollama | openai-compatible | simulated. */
  @NotBlank private String backend = "auto";

  /** The endpoint serving models that no endpoint lists. */
  @NotBlank private String defaultEndpoint = "ollama";

  /** Escalation target when the decision names no cloud fallback. */
  @NotBlank private String defaultCloudModel = "anthropic/claude-haiku-4.5";

  /** Local calls running at once (a consumer GPU serves one stream well). */
  @Positive private int streams = 1;

  /** Requests waiting for a stream before overflow escalates. */
  @PositiveOrZero private int queueLimit = 4;

  /** How long work that may not leave the machine waits for a queue place or the circuit. */
  @NotNull private Duration holdMaxWait = Duration.ofMinutes(2);

  /** Requests the worker runtime holds at once (running, queued or held back). */
  @Positive private int maxInFlight = 8;

  @NotNull private Duration probeTimeout = Duration.ofMillis(500);

  /** Optional price table file; the one shipped in the schemas jar otherwise. */
  private String priceTable;

  @Positive private int circuitFailureThreshold = 5;

  @NotNull private Duration circuitOpenDuration = Duration.ofSeconds(30);

  @NotNull private Duration healthCheckEvery = Duration.ofSeconds(1);

  @NotNull private Duration healthHeartbeat = Duration.ofSeconds(5);

  /** Wall time = modelled time / speed-up, for the simulated backend. */
  @DecimalMin("0.001") private double simulationSpeedUp = 1.0;

  private long simulationSeed = 42L;

  @PositiveOrZero private double simulationFailureRate = 0.0;

  public String getWorkerId() {
    return workerId;
  }

  public void setWorkerId(String workerId) {
    this.workerId = workerId;
  }

  public String getGroupId() {
    return groupId;
  }

  public void setGroupId(String groupId) {
    this.groupId = groupId;
  }

  public String getInputTopic() {
    return inputTopic;
  }

  public void setInputTopic(String inputTopic) {
    this.inputTopic = inputTopic;
  }

  public String getBackend() {
    return backend;
  }

  public void setBackend(String backend) {
    this.backend = backend;
  }

  public String getDefaultEndpoint() {
    return defaultEndpoint;
  }

  public void setDefaultEndpoint(String defaultEndpoint) {
    this.defaultEndpoint = defaultEndpoint;
  }

  public String getDefaultCloudModel() {
    return defaultCloudModel;
  }

  public void setDefaultCloudModel(String defaultCloudModel) {
    this.defaultCloudModel = defaultCloudModel;
  }

  public int getStreams() {
    return streams;
  }

  public void setStreams(int streams) {
    this.streams = streams;
  }

  public int getQueueLimit() {
    return queueLimit;
  }

  public void setQueueLimit(int queueLimit) {
    this.queueLimit = queueLimit;
  }

  public Duration getHoldMaxWait() {
    return holdMaxWait;
  }

  public void setHoldMaxWait(Duration holdMaxWait) {
    this.holdMaxWait = holdMaxWait;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  public void setMaxInFlight(int maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  public Duration getProbeTimeout() {
    return probeTimeout;
  }

  public void setProbeTimeout(Duration probeTimeout) {
    this.probeTimeout = probeTimeout;
  }

  public String getPriceTable() {
    return priceTable;
  }

  public void setPriceTable(String priceTable) {
    this.priceTable = priceTable;
  }

  public int getCircuitFailureThreshold() {
    return circuitFailureThreshold;
  }

  public void setCircuitFailureThreshold(int circuitFailureThreshold) {
    this.circuitFailureThreshold = circuitFailureThreshold;
  }

  public Duration getCircuitOpenDuration() {
    return circuitOpenDuration;
  }

  public void setCircuitOpenDuration(Duration circuitOpenDuration) {
    this.circuitOpenDuration = circuitOpenDuration;
  }

  public Duration getHealthCheckEvery() {
    return healthCheckEvery;
  }

  public void setHealthCheckEvery(Duration healthCheckEvery) {
    this.healthCheckEvery = healthCheckEvery;
  }

  public Duration getHealthHeartbeat() {
    return healthHeartbeat;
  }

  public void setHealthHeartbeat(Duration healthHeartbeat) {
    this.healthHeartbeat = healthHeartbeat;
  }

  public double getSimulationSpeedUp() {
    return simulationSpeedUp;
  }

  public void setSimulationSpeedUp(double simulationSpeedUp) {
    this.simulationSpeedUp = simulationSpeedUp;
  }

  public long getSimulationSeed() {
    return simulationSeed;
  }

  public void setSimulationSeed(long simulationSeed) {
    this.simulationSeed = simulationSeed;
  }

  public double getSimulationFailureRate() {
    return simulationFailureRate;
  }

  public void setSimulationFailureRate(double simulationFailureRate) {
    this.simulationFailureRate = simulationFailureRate;
  }
}
