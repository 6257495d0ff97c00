package io.tiergate.ledger;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.tiergate.schemas.cost.PriceTable;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;

/** {@code tiergate.ledger.*}: see application.yml for the defaults and docs/ledger.md for meaning. */
@ConfigurationProperties("tiergate.ledger")
public class LedgerConfiguration {

  @NotNull private Duration windowGrace = Duration.ofMinutes(5);
  @NotNull private Duration hourRetention = Duration.ofDays(7);
  @NotNull private Duration dayRetention = Duration.ofDays(100);
  @NotNull private Duration monthRetention = Duration.ofDays(800);
  @NotNull private Duration dedupeRetention = Duration.ofDays(7);
  @NotNull private Duration statusInterval = Duration.ofSeconds(5);
  @NotNull private Duration maxClockSkew = Duration.ofHours(1);

  @NotNull
  @DecimalMin(value = "1", inclusive = false)
  private BigDecimal anomalyFactor = new BigDecimal("3");

  @NotNull
  @DecimalMin("0")
  private BigDecimal anomalyMinRateUsdPerHour = new BigDecimal("0.01");

  private boolean budgetIncludesLocalSpend;

  @NotNull
  @DecimalMin(value = "0", inclusive = false)
  private BigDecimal maxLimitUsd = new BigDecimal("1000000000");

  private boolean repriceFromPriceTable;

  private String priceTable;

  public LedgerSettings toSettings() {
    return new LedgerSettings(
        windowGrace,
        hourRetention,
        dayRetention,
        monthRetention,
        dedupeRetention,
        statusInterval,
        maxClockSkew,
        anomalyFactor,
        anomalyMinRateUsdPerHour,
        budgetIncludesLocalSpend,
        maxLimitUsd,
        false,
        repriceFromPriceTable ? prices() : null);
  }

  private PriceTable prices() {
    return priceTable == null || priceTable.isBlank() ? PriceTable.loadDefault() : PriceTable.load(Path.of(priceTable));
  }

  public boolean isRepriceFromPriceTable() {
    return repriceFromPriceTable;
  }

  public void setRepriceFromPriceTable(boolean repriceFromPriceTable) {
    this.repriceFromPriceTable = repriceFromPriceTable;
  }

  /** A price-table file for re-pricing; empty: the table bundled with the schemas module. */
  public String getPriceTable() {
    return priceTable;
  }

  public void setPriceTable(String priceTable) {
    this.priceTable = priceTable;
  }

  public Duration getWindowGrace() {
    return windowGrace;
  }

  public void setWindowGrace(Duration windowGrace) {
    this.windowGrace = windowGrace;
  }

  public Duration getHourRetention() {
    return hourRetention;
  }

  public void setHourRetention(Duration hourRetention) {
    this.hourRetention = hourRetention;
  }

  public Duration getDayRetention() {
    return dayRetention;
  }

  public void setDayRetention(Duration dayRetention) {
    this.dayRetention = dayRetention;
  }

  public Duration getMonthRetention() {
    return monthRetention;
  }

  public void setMonthRetention(Duration monthRetention) {
    this.monthRetention = monthRetention;
  }

  public Duration getDedupeRetention() {
    return dedupeRetention;
  }

  public void setDedupeRetention(Duration dedupeRetention) {
    this.dedupeRetention = dedupeRetention;
  }

  public Duration getStatusInterval() {
    return statusInterval;
  }

  public void setStatusInterval(Duration statusInterval) {
    this.statusInterval = statusInterval;
  }

  public Duration getMaxClockSkew() {
    return maxClockSkew;
  }

  public void setMaxClockSkew(Duration maxClockSkew) {
    this.maxClockSkew = maxClockSkew;
  }

  public BigDecimal getAnomalyFactor() {
    return anomalyFactor;
  }

  public void setAnomalyFactor(BigDecimal anomalyFactor) {
    this.anomalyFactor = anomalyFactor;
  }

  public BigDecimal getAnomalyMinRateUsdPerHour() {
    return anomalyMinRateUsdPerHour;
  }

  public void setAnomalyMinRateUsdPerHour(BigDecimal anomalyMinRateUsdPerHour) {
    this.anomalyMinRateUsdPerHour = anomalyMinRateUsdPerHour;
  }

  public boolean isBudgetIncludesLocalSpend() {
    return budgetIncludesLocalSpend;
  }

  public void setBudgetIncludesLocalSpend(boolean budgetIncludesLocalSpend) {
    this.budgetIncludesLocalSpend = budgetIncludesLocalSpend;
  }

  public BigDecimal getMaxLimitUsd() {
    return maxLimitUsd;
  }

  public void setMaxLimitUsd(BigDecimal maxLimitUsd) {
    this.maxLimitUsd = maxLimitUsd;
  }
}
