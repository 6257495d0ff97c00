package io.tiergate.router.config;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.tiergate.platform.config.PropertyCheck;
import io.tiergate.router.budget.Staleness;
import io.tiergate.router.budget.Thresholds;
import io.tiergate.router.defer.DeferralLimits;
import io.tiergate.router.policy.RequestCostLimits;
import io.tiergate.schemas.events.BudgetLevel;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code tiergate.router.*}, bound and checked at start: a property left out takes its value from
 * {@link #DEFAULTS}, the one place the router's defaults are written (the CLI's one-shot readers
 * use them too); an invalid value stops the start naming the property. The intake and rules-audit
 * listeners' group ids ({@code intake-group-id}, {@code rules-audit-group-id}) are read by their
 * annotations, with their defaults there.
 *
 * @param deciderGroupId consumer group of the deciders on routing.by-cost-center (the partition owner decides a cost center)
 * @param deferredGroupId consumer group of the releaser of inference.deferred
 * @param reservationTimeout an open reservation is dropped when no cost event arrived within this
 *     (queue wait + call time); also how far back the audit and costs are read on a rebuild
 * @param budgetStaleness a budget whose latest budget.status is older than this, or whose status has
 *     not included a cost this router received longer ago than this, is stale (the ledger stalled)
 * @param staleBudgetLevel the level a stale budget is at least at: CONSERVE, CRITICAL_ONLY or EXHAUSTED
 * @param healthStaleness worker.health records older than this are ignored
 * @param localAverageService average time the local model takes per queued request (queue wait = depth × this)
 * @param deferMinHold a deferred request is held at least this long (doubling with each re-deferral)...
 * @param deferMaxHold ...up to this
 * @param deferMaxAge a request first deferred this long ago gets a REJECTED result ({@code DEFERRAL_EXPIRED});
 *     inference.deferred keeps its records at least a month (the longest budget period) longer
 * @param deferMaxBytes bytes of deferred records one releaser holds at most; a deferral beyond them gets
 *     a REJECTED result ({@code DEFERRAL_BACKLOG_FULL})
 * @param defaultConserveThreshold CONSERVE threshold of budgets without a budget.config record
 * @param defaultCriticalThreshold CRITICAL_ONLY threshold of budgets without a budget.config record
 * @param pollTimeout the deciders' and releaser's poll timeout
 * @param maxPollRecords records a decider takes per poll
 * @param startupTimeout how long start-up waits for the compacted state topics to be read to their end
 * @param rulesFile an ops replacement for the default routing-rules file; null: the shipped one
 * @param maxOutputTokens the largest {@code maxOutputTokens} a request may ask for (>= 1); a request
 *     outside [1, this] is dead-lettered and answered REJECTED
 * @param costCeilingFactor a routed request's USD ceiling is this × the worst case of the most
 *     expensive call its decision permits (>= 1; docs/budgets.md, "The cost of one request")
 * @param dedupeWindow a request id decided within this is not decided again when a duplicate of
 *     it arrives (docs/budgets.md, "Duplicates"); also how far back the audit is read on assignment
 * @param dedupeMaxIds at most this many decided request ids remembered per routing.by-cost-center
 *     partition (the oldest forgotten first)
 */
@Context
@ConfigurationProperties(RouterConfiguration.PREFIX)
public record RouterConfiguration(
        String deciderGroupId,
        String deferredGroupId,
        Duration reservationTimeout,
        Duration budgetStaleness,
        String staleBudgetLevel,
        Duration healthStaleness,
        Duration localAverageService,
        Duration deferMinHold,
        Duration deferMaxHold,
        Duration deferMaxAge,
        long deferMaxBytes,
        double defaultConserveThreshold,
        double defaultCriticalThreshold,
        Duration pollTimeout,
        int maxPollRecords,
        Duration startupTimeout,
        @Nullable String rulesFile,
        int maxOutputTokens,
        BigDecimal costCeilingFactor,
        Duration dedupeWindow,
        int dedupeMaxIds) {

    public static final String PREFIX = "tiergate.router";

    /** The router's defaults: what a property left out gets. */
    public static final RouterConfiguration DEFAULTS = new RouterConfiguration(
            "tiergate-router",
            "tiergate-router-deferred",
            Duration.ofMinutes(5),
            Duration.ofSeconds(60),
            BudgetLevel.CRITICAL_ONLY.name(),
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofSeconds(60),
            Duration.ofHours(24),
            256L * 1024 * 1024,
            Thresholds.DEFAULT.conserve(),
            Thresholds.DEFAULT.critical(),
            Duration.ofMillis(100),
            500,
            Duration.ofSeconds(60),
            null,
            RequestCostLimits.DEFAULT.maxOutputTokens(),
            RequestCostLimits.DEFAULT.costCeilingFactor(),
            Duration.ofHours(1),
            100_000);

    public RouterConfiguration {
        PropertyCheck check = PropertyCheck.under(PREFIX);
        check.notBlank("decider-group-id", deciderGroupId);
        check.notBlank("deferred-group-id", deferredGroupId);
        check.positive("reservation-timeout", reservationTimeout);
        check.positive("budget-staleness", budgetStaleness);
        check.oneOf(
                "stale-budget-level",
                staleBudgetLevel,
                Staleness.ALLOWED_LEVELS.stream().map(Enum::name).sorted().toArray(String[]::new));
        check.positive("health-staleness", healthStaleness);
        check.notNegative("local-average-service", localAverageService);
        check.positive("defer-min-hold", deferMinHold);
        check.positive("defer-max-hold", deferMaxHold);
        if (deferMaxHold.compareTo(deferMinHold) < 0) {
            throw check.invalid(
                    "defer-max-hold",
                    ">= " + check.key("defer-min-hold") + " (" + PropertyCheck.format(deferMinHold) + ")",
                    PropertyCheck.format(deferMaxHold));
        }
        check.positive("defer-max-age", deferMaxAge);
        check.positive("defer-max-bytes", deferMaxBytes);
        check.between("default-conserve-threshold", defaultConserveThreshold, 0, 1);
        check.between("default-critical-threshold", defaultCriticalThreshold, 0, 1);
        if (!(defaultConserveThreshold > 0 && defaultConserveThreshold <= defaultCriticalThreshold)) {
            throw check.invalid(
                    "default-conserve-threshold",
                    "> 0 and <= " + check.key("default-critical-threshold") + " (" + defaultCriticalThreshold + ")",
                    defaultConserveThreshold);
        }
        check.positive("poll-timeout", pollTimeout);
        check.positive("max-poll-records", maxPollRecords);
        check.positive("startup-timeout", startupTimeout);
        check.positive("max-output-tokens", maxOutputTokens);
        check.required("cost-ceiling-factor", costCeilingFactor);
        if (costCeilingFactor.compareTo(BigDecimal.ONE) < 0) {
            throw check.invalid("cost-ceiling-factor", ">= 1", costCeilingFactor.toPlainString());
        }
        check.positive("dedupe-window", dedupeWindow);
        check.positive("dedupe-max-ids", dedupeMaxIds);
    }

    /** Binds {@code tiergate.router.*}; what is not set comes from {@link #DEFAULTS}. */
    @ConfigurationInject
    static RouterConfiguration bind(
            Optional<String> deciderGroupId,
            Optional<String> deferredGroupId,
            Optional<Duration> reservationTimeout,
            Optional<Duration> budgetStaleness,
            Optional<String> staleBudgetLevel,
            Optional<Duration> healthStaleness,
            Optional<Duration> localAverageService,
            Optional<Duration> deferMinHold,
            Optional<Duration> deferMaxHold,
            Optional<Duration> deferMaxAge,
            Optional<Long> deferMaxBytes,
            Optional<Double> defaultConserveThreshold,
            Optional<Double> defaultCriticalThreshold,
            Optional<Duration> pollTimeout,
            Optional<Integer> maxPollRecords,
            Optional<Duration> startupTimeout,
            Optional<String> rulesFile,
            Optional<Integer> maxOutputTokens,
            Optional<BigDecimal> costCeilingFactor,
            Optional<Duration> dedupeWindow,
            Optional<Integer> dedupeMaxIds) {
        RouterConfiguration d = DEFAULTS;
        return new RouterConfiguration(
                PropertyCheck.text(deciderGroupId).orElse(d.deciderGroupId),
                PropertyCheck.text(deferredGroupId).orElse(d.deferredGroupId),
                reservationTimeout.orElse(d.reservationTimeout),
                budgetStaleness.orElse(d.budgetStaleness),
                PropertyCheck.text(staleBudgetLevel).orElse(d.staleBudgetLevel),
                healthStaleness.orElse(d.healthStaleness),
                localAverageService.orElse(d.localAverageService),
                deferMinHold.orElse(d.deferMinHold),
                deferMaxHold.orElse(d.deferMaxHold),
                deferMaxAge.orElse(d.deferMaxAge),
                deferMaxBytes.orElse(d.deferMaxBytes),
                defaultConserveThreshold.orElse(d.defaultConserveThreshold),
                defaultCriticalThreshold.orElse(d.defaultCriticalThreshold),
                pollTimeout.orElse(d.pollTimeout),
                maxPollRecords.orElse(d.maxPollRecords),
                startupTimeout.orElse(d.startupTimeout),
                PropertyCheck.text(rulesFile).orElse(d.rulesFile),
                maxOutputTokens.orElse(d.maxOutputTokens),
                costCeilingFactor.orElse(d.costCeilingFactor),
                dedupeWindow.orElse(d.dedupeWindow),
                dedupeMaxIds.orElse(d.dedupeMaxIds));
    }

    /** The bounds of deferral (docs/budgets.md, "Deferral"). */
    public DeferralLimits deferralLimits() {
        return new DeferralLimits(deferMaxAge, deferMaxBytes, deferMinHold, deferMaxHold);
    }

    /** When a budget counts as stale and what it is treated as then. */
    public Staleness staleness() {
        return new Staleness(budgetStaleness, BudgetLevel.valueOf(staleBudgetLevel));
    }

    /** What one request may ask for and cost. */
    public RequestCostLimits requestCostLimits() {
        return new RequestCostLimits(maxOutputTokens, costCeilingFactor);
    }

    /** The thresholds of budgets without a budget.config record. */
    public Thresholds defaultThresholds() {
        return new Thresholds(defaultConserveThreshold, defaultCriticalThreshold);
    }
}
