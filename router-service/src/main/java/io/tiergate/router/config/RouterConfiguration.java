package io.tiergate.router.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.tiergate.router.budget.Thresholds;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * {@code tiergate.router.*}. A plain bean as well: tests and the CLI create one with {@code new} and
 * set what they need; the defaults are the service's defaults (also in application.yml).
 */
@ConfigurationProperties("tiergate.router")
public class RouterConfiguration {

  /** Consumer group of the deciders on routing.by-cost-center (the partition owner decides a cost center). */
  @NotBlank private String deciderGroupId = "tiergate-router";

  /** Consumer group of the releaser of inference.deferred. */
  @NotBlank private String deferredGroupId = "tiergate-router-deferred";

  /** An open reservation is dropped when no cost event arrived within this (queue wait + call time). */
  @NotNull private Duration reservationTimeout = Duration.ofMinutes(5);

  /** A settled cost stays counted until a budget.status arrives at least this much later. */
  @NotNull private Duration settleHold = Duration.ofSeconds(2);

  /** ...or this much time passed (the ledger is assumed to have counted it). */
  @NotNull private Duration settleTimeout = Duration.ofSeconds(30);

  /** worker.health records older than this are ignored. */
  @NotNull private Duration healthStaleness = Duration.ofSeconds(60);

  /** Average time the local model takes per queued request (queue wait = depth × this). */
  @NotNull private Duration localAverageService = Duration.ofSeconds(10);

  /** A deferred request is held at least this long (doubling with each re-deferral)... */
  @NotNull private Duration deferMinHold = Duration.ofSeconds(1);

  /** ...up to this. */
  @NotNull private Duration deferMaxHold = Duration.ofSeconds(60);

  /** Thresholds of budgets without a budget.config record. */
  @DecimalMin("0.0") @DecimalMax("1.0") private double defaultConserveThreshold = 0.8;

  @DecimalMin("0.0") @DecimalMax("1.0") private double defaultCriticalThreshold = 0.95;

  @NotNull private Duration pollTimeout = Duration.ofMillis(100);

  @Positive private int maxPollRecords = 500;

  /** How long start-up waits for the compacted state topics to be read to their end. */
  @NotNull private Duration startupTimeout = Duration.ofSeconds(60);

  /** An ops replacement for the default routing-rules file (optional). */
  private String rulesFile;

  public Thresholds defaultThresholds() {
    return new Thresholds(defaultConserveThreshold, defaultCriticalThreshold);
  }

  public String getDeciderGroupId() {
    return deciderGroupId;
  }

  public void setDeciderGroupId(String deciderGroupId) {
    this.deciderGroupId = deciderGroupId;
  }

  public String getDeferredGroupId() {
    return deferredGroupId;
  }

  public void setDeferredGroupId(String deferredGroupId) {
    this.deferredGroupId = deferredGroupId;
  }

  public Duration getReservationTimeout() {
    return reservationTimeout;
  }

  public void setReservationTimeout(Duration reservationTimeout) {
    this.reservationTimeout = reservationTimeout;
  }

  public Duration getSettleHold() {
    return settleHold;
  }

  public void setSettleHold(Duration settleHold) {
    this.settleHold = settleHold;
  }

  public Duration getSettleTimeout() {
    return settleTimeout;
  }

  public void setSettleTimeout(Duration settleTimeout) {
    this.settleTimeout = settleTimeout;
  }

  public Duration getHealthStaleness() {
    return healthStaleness;
  }

  public void setHealthStaleness(Duration healthStaleness) {
    this.healthStaleness = healthStaleness;
  }

  public Duration getLocalAverageService() {
    return localAverageService;
  }

  public void setLocalAverageService(Duration localAverageService) {
    this.localAverageService = localAverageService;
  }

  public Duration getDeferMinHold() {
    return deferMinHold;
  }

  public void setDeferMinHold(Duration deferMinHold) {
    this.deferMinHold = deferMinHold;
  }

  public Duration getDeferMaxHold() {
    return deferMaxHold;
  }

  public void setDeferMaxHold(Duration deferMaxHold) {
    this.deferMaxHold = deferMaxHold;
  }

  public double getDefaultConserveThreshold() {
    return defaultConserveThreshold;
  }

  public void setDefaultConserveThreshold(double defaultConserveThreshold) {
    this.defaultConserveThreshold = defaultConserveThreshold;
  }

  public double getDefaultCriticalThreshold() {
    return defaultCriticalThreshold;
  }

  public void setDefaultCriticalThreshold(double defaultCriticalThreshold) {
    this.defaultCriticalThreshold = defaultCriticalThreshold;
  }

  public Duration getPollTimeout() {
    return pollTimeout;
  }

  public void setPollTimeout(Duration pollTimeout) {
    this.pollTimeout = pollTimeout;
  }

  public int getMaxPollRecords() {
    return maxPollRecords;
  }

  public void setMaxPollRecords(int maxPollRecords) {
    this.maxPollRecords = maxPollRecords;
  }

  public Duration getStartupTimeout() {
    return startupTimeout;
  }

  public void setStartupTimeout(Duration startupTimeout) {
    this.startupTimeout = startupTimeout;
  }

  public String getRulesFile() {
    return rulesFile;
  }

  public void setRulesFile(String rulesFile) {
    this.rulesFile = rulesFile;
  }
}
