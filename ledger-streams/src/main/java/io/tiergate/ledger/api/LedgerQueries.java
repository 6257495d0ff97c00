package io.tiergate.ledger.api;

import io.tiergate.ledger.budget.BudgetAssessment;
import io.tiergate.ledger.budget.BudgetAssessor;
import io.tiergate.ledger.budget.BudgetPolicy;
import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.kafka.LedgerStores;
import io.tiergate.ledger.windows.WindowKinds;
import io.tiergate.ledger.windows.WindowTotals;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WindowKind;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The answers of the HTTP API, computed from the state stores (interactive queries). Spend views
 * roll the stored spend to "now" exactly as the topology does, so a period that ended shows zero
 * even before the next cost event or status punctuation.
 */
public final class LedgerQueries {

    private static final Comparator<LedgerViews.Window> WINDOW_ORDER = Comparator.comparing(
                    LedgerViews.Window::windowStart)
            .thenComparing(LedgerViews.Window::scope)
            .thenComparing(LedgerViews.Window::taskType)
            .thenComparing(LedgerViews.Window::tier)
            .thenComparing(LedgerViews.Window::model);

    private final LedgerStores stores;
    private final BudgetAssessor assessor;
    private final LongSupplier clock;

    public LedgerQueries(LedgerStores stores, BudgetAssessor assessor, LongSupplier clock) {
        this.stores = stores;
        this.assessor = assessor;
        this.clock = clock;
    }

    /** The running day or month of {@code scope}; empty when the scope has neither spend nor budget. */
    public Optional<LedgerViews.Spend> spend(String scope, String period) {
        boolean day = parsePeriod(period);
        BudgetPolicy configured = stores.budgets().get(scope);
        ScopeSpend stored = stores.scopeSpend().get(scope);
        if (configured == null && stored == null) {
            return Optional.empty();
        }
        BudgetPolicy policy = configured == null ? BudgetPolicy.unlimited(scope) : configured;
        ScopeSpend view = stored == null ? new ScopeSpend(scope) : stored.copy();
        long now = Math.max(clock.getAsLong(), view.lastEventAt());
        view.rollTo(now, policy.zone());
        BudgetAssessment assessment = assessor.assess(policy, view, now);
        BigDecimal spend = day ? assessment.dailySpendUsd() : assessment.monthlySpendUsd();
        BigDecimal limit = day ? assessment.dailyLimitUsd() : assessment.monthlyLimitUsd();
        Double utilization = limit == null
                ? null
                : limit.signum() == 0
                        ? 1.0
                        : spend.divide(limit, MathContext.DECIMAL64).doubleValue();
        return Optional.of(new LedgerViews.Spend(
                scope,
                day ? "day" : "month",
                policy.zone().getId(),
                instant(day ? assessment.dayStartMs() : assessment.monthStartMs()),
                instant(day ? assessment.dayEndMs() : assessment.monthEndMs()),
                money(spend),
                money(day ? assessment.dailyAllTiersUsd() : assessment.monthlyAllTiersUsd()),
                limit == null ? null : money(limit),
                utilization,
                assessment.level().name(),
                money(assessment.burnRateUsdPerHour()),
                assessment.forecastExhaustionAtMs() == null ? null : instant(assessment.forecastExhaustionAtMs())));
    }

    /**
     * Windows of one kind whose start lies in [from, to], for one scope or all ({@code scope}
     * null). {@code from}/{@code to}: ISO instant, ISO date (UTC midnight) or epoch millis; by
     * default the last day (HOUR), 31 days (DAY) or 366 days (MONTH) up to now.
     */
    public List<LedgerViews.Window> windows(String scope, String kind, String from, String to) {
        WindowKind windowKind = parseKind(kind);
        Instant end = to == null ? Instant.ofEpochMilli(clock.getAsLong()) : parseInstant("to", to);
        Instant start = from == null ? end.minus(defaultSpan(windowKind)) : parseInstant("from", from);
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("from (" + start + ") is after to (" + end + ")");
        }
        List<LedgerViews.Window> result = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, WindowTotals> windows = scope == null
                ? stores.windows(windowKind).fetchAll(start, end)
                : stores.windows(windowKind).fetch(scope + '|', scope + '}', start, end)) {
            windows.forEachRemaining(entry -> {
                WindowTotals totals = entry.value;
                if (scope == null || scope.equals(totals.scope())) {
                    long windowStart = entry.key.window().start();
                    result.add(window(totals, windowKind, windowStart));
                }
            });
        }
        result.sort(WINDOW_ORDER);
        return result;
    }

    /** budget.status as last published, for every scope. */
    public List<LedgerViews.Status> statuses() {
        List<LedgerViews.Status> result = new ArrayList<>();
        try (KeyValueIterator<String, BudgetStatus> all = stores.budgetStatus().all()) {
            all.forEachRemaining(entry -> result.add(status(entry.value)));
        }
        result.sort(Comparator.comparing(LedgerViews.Status::scope));
        return result;
    }

    /** Lifetime totals per scope; {@code totalUsd} and {@code costEvents} are the global scope's. */
    public LedgerViews.Totals totals() {
        List<LedgerViews.ScopeTotal> scopes = new ArrayList<>();
        BigDecimal total = Money.ZERO;
        long events = 0;
        try (KeyValueIterator<String, ScopeSpend> all = stores.scopeSpend().all()) {
            while (all.hasNext()) {
                ScopeSpend spend = all.next().value;
                if (spend.lifetimeEvents() == 0) {
                    continue;
                }
                scopes.add(new LedgerViews.ScopeTotal(
                        spend.scope(),
                        money(spend.lifetimeAllTiers()),
                        money(spend.lifetimeBudgetSpend()),
                        spend.lifetimeEvents()));
                if (Topics.GLOBAL_SCOPE.equals(spend.scope())) {
                    total = spend.lifetimeAllTiers();
                    events = spend.lifetimeEvents();
                }
            }
        }
        scopes.sort(Comparator.comparing(LedgerViews.ScopeTotal::scope));
        return new LedgerViews.Totals(money(total), events, scopes);
    }

    /**
     * Spend on RETRY / ESCALATION / FALLBACK attempts (rework) and on SHADOW / JUDGE calls
     * (calibration) per task type and tier for {@code scope} (default global): over everything
     * counted, or over the daily windows starting in [from, to].
     */
    public LedgerViews.Rework rework(String scope, String from, String to) {
        String target = scope == null || scope.isBlank() ? Topics.GLOBAL_SCOPE : scope;
        Map<String, WindowTotals> byTaskAndTier = new TreeMap<>();
        if (from == null && to == null) {
            ReadOnlyKeyValueStore<String, WindowTotals> allTime = stores.spendByDimension();
            try (KeyValueIterator<String, WindowTotals> range = allTime.range(target + '|', target + '}')) {
                range.forEachRemaining(entry -> addRework(byTaskAndTier, target, entry.value));
            }
        } else {
            Instant end = to == null ? Instant.ofEpochMilli(clock.getAsLong()) : parseInstant("to", to);
            Instant start = from == null ? Instant.EPOCH : parseInstant("from", from);
            try (KeyValueIterator<Windowed<String>, WindowTotals> days =
                    stores.windows(WindowKind.DAY).fetch(target + '|', target + '}', start, end)) {
                days.forEachRemaining(entry -> addRework(byTaskAndTier, target, entry.value));
            }
        }
        List<LedgerViews.ReworkRow> rows = new ArrayList<>();
        for (WindowTotals totals : byTaskAndTier.values()) {
            BigDecimal rework = totals.reworkUsd();
            double share = totals.spendUsd().signum() == 0
                    ? 0.0
                    : rework.divide(totals.spendUsd(), MathContext.DECIMAL64).doubleValue();
            rows.add(new LedgerViews.ReworkRow(
                    totals.taskType().name(),
                    totals.tier().name(),
                    money(totals.spendUsd()),
                    money(rework),
                    money(totals.retryUsd()),
                    money(totals.escalationUsd()),
                    money(totals.fallbackUsd()),
                    money(totals.calibrationUsd()),
                    share,
                    totals.requestCount()));
        }
        rows.sort(Comparator.comparing((LedgerViews.ReworkRow row) -> new BigDecimal(row.reworkSpendUsd()))
                .reversed()
                .thenComparing(LedgerViews.ReworkRow::taskType)
                .thenComparing(LedgerViews.ReworkRow::tier));
        return new LedgerViews.Rework(target, from, to, rows);
    }

    private static void addRework(Map<String, WindowTotals> byTaskAndTier, String scope, WindowTotals totals) {
        if (!scope.equals(totals.scope())) {
            return;
        }
        TaskType taskType = totals.taskType();
        Tier tier = totals.tier();
        WindowTotals withoutModel = new WindowTotals(
                scope,
                taskType,
                tier,
                null,
                totals.spendUsd(),
                totals.retryUsd(),
                totals.escalationUsd(),
                totals.fallbackUsd(),
                totals.calibrationUsd(),
                totals.inputTokens(),
                totals.outputTokens(),
                totals.requestCount(),
                totals.latencySumMs());
        byTaskAndTier.merge(taskType + "|" + tier, withoutModel, WindowTotals::plus);
    }

    static LedgerViews.Window window(WindowTotals totals, WindowKind kind, long start) {
        return new LedgerViews.Window(
                totals.scope(),
                totals.taskType().name(),
                totals.tier().name(),
                totals.model(),
                kind.name(),
                instant(start),
                instant(WindowKinds.end(kind, start)),
                money(totals.spendUsd()),
                money(totals.reworkUsd()),
                totals.inputTokens(),
                totals.outputTokens(),
                totals.requestCount(),
                totals.avgLatencyMs());
    }

    static LedgerViews.Status status(BudgetStatus status) {
        return new LedgerViews.Status(
                status.getScope(),
                status.getLevel().name(),
                status.getOnExhausted().name(),
                money(status.getDailySpendUsd()),
                status.getDailyLimitUsd() == null ? null : money(status.getDailyLimitUsd()),
                money(status.getMonthlySpendUsd()),
                status.getMonthlyLimitUsd() == null ? null : money(status.getMonthlyLimitUsd()),
                status.getUtilization(),
                money(status.getBurnRateUsdPerHour()),
                status.getForecastExhaustionAt() == null
                        ? null
                        : status.getForecastExhaustionAt().toString(),
                status.getAnomaly(),
                status.getPeriodDayStart().toString(),
                status.getPeriodMonthStart().toString(),
                status.getUpdatedAt().toString());
    }

    /** Exact, nano-dollar scale, never exponent notation. */
    static String money(BigDecimal amount) {
        return Money.usd(amount).toPlainString();
    }

    private static String instant(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }

    private static boolean parsePeriod(String period) {
        if (period == null || period.equalsIgnoreCase("day")) {
            return true;
        }
        if (period.equalsIgnoreCase("month")) {
            return false;
        }
        throw new IllegalArgumentException("period must be day or month, not '" + period + "'");
    }

    private static WindowKind parseKind(String kind) {
        if (kind == null) {
            return WindowKind.DAY;
        }
        try {
            WindowKind parsed = WindowKind.valueOf(kind.toUpperCase(Locale.ROOT));
            if (parsed != WindowKind.UNKNOWN) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("kind must be HOUR, DAY or MONTH, not '" + kind + "'");
    }

    /** ISO instant, ISO date (UTC midnight) or epoch milliseconds. */
    static Instant parseInstant(String name, String value) {
        try {
            if (value.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(value));
            }
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + " must be an ISO instant (2026-11-22T10:00:00Z), a date (2026-11-22) or epoch millis, not '"
                            + value + "'");
        }
    }

    private static Duration defaultSpan(WindowKind kind) {
        return switch (kind) {
            case HOUR -> Duration.ofDays(1);
            case DAY -> Duration.ofDays(31);
            default -> Duration.ofDays(366);
        };
    }
}
