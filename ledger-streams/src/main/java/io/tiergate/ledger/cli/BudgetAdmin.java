package io.tiergate.ledger.cli;

import io.tiergate.ledger.LedgerConfiguration;
import io.tiergate.ledger.budget.BudgetConfigValidator;
import io.tiergate.ledger.budget.BudgetPolicy;
import io.tiergate.ledger.budget.InvalidBudgetConfigException;
import io.tiergate.platform.kafka.AuditedChanges;
import io.tiergate.platform.kafka.AuditedChanges.Change;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.CompactedView;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.OpsAuditEvent;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Budgets for the CLI ({@code ./tiergate budget set|show|rm}), without Micronaut: writes {@code
 * budget.config} (key = scope; a tombstone removes) with its {@code ops.audit} record (who, why) in
 * one transaction (platform's {@link AuditedChanges}) and reads {@code budget.config} / {@code
 * budget.status} back.
 *
 * <p>{@link #set} checks the budget with the same rules as the ledger before sending, so a bad
 * budget fails here with the field named instead of landing in {@code budget.config.dlq}. {@link
 * #show} answers with the budget in force: the latest record of the scope that the ledger accepts
 * (a rejected record does not replace the previous budget there either). Both topics are read once,
 * to their current end, as platform's {@link CompactedView}s (a schema registry outage is waited
 * out, up to the timeout).
 */
public final class BudgetAdmin implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClientSettings settings;
    private final EventDecoder decoder;
    private final BudgetConfigValidator validator;
    private AuditedChanges writer;

    /** What {@code budget set} asks for; null thresholds/zone/onExhausted take the defaults. */
    public record BudgetRequest(
            String scope,
            BigDecimal dailyLimitUsd,
            BigDecimal monthlyLimitUsd,
            OnExhausted onExhausted,
            Double conserveThreshold,
            Double criticalThreshold,
            String timezone) {

        public static BudgetRequest of(String scope, BigDecimal dailyLimitUsd, BigDecimal monthlyLimitUsd) {
            return new BudgetRequest(scope, dailyLimitUsd, monthlyLimitUsd, null, null, null, null);
        }

        public BudgetRequest onExhausted(OnExhausted value) {
            return new BudgetRequest(
                    scope, dailyLimitUsd, monthlyLimitUsd, value, conserveThreshold, criticalThreshold, timezone);
        }

        public BudgetRequest thresholds(Double conserve, Double critical) {
            return new BudgetRequest(scope, dailyLimitUsd, monthlyLimitUsd, onExhausted, conserve, critical, timezone);
        }

        public BudgetRequest timezone(String zone) {
            return new BudgetRequest(
                    scope, dailyLimitUsd, monthlyLimitUsd, onExhausted, conserveThreshold, criticalThreshold, zone);
        }
    }

    /** The ledger's default maximum limit ({@code tiergate.ledger.max-limit-usd}). */
    public static final BigDecimal DEFAULT_MAX_LIMIT_USD = LedgerConfiguration.DEFAULTS.maxLimitUsd();

    /** With the ledger's default maximum limit ({@link #DEFAULT_MAX_LIMIT_USD}). */
    public BudgetAdmin(String bootstrapServers, String schemaRegistryUrl) {
        this(bootstrapServers, schemaRegistryUrl, DEFAULT_MAX_LIMIT_USD);
    }

    public BudgetAdmin(String bootstrapServers, String schemaRegistryUrl, BigDecimal maxLimitUsd) {
        this(new KafkaClientSettings(bootstrapServers, schemaRegistryUrl, "tiergate-cli"), maxLimitUsd);
    }

    /** With the given cluster settings (the CLI's, with the client security of --command-config). */
    public BudgetAdmin(KafkaClientSettings settings) {
        this(settings, DEFAULT_MAX_LIMIT_USD);
    }

    public BudgetAdmin(KafkaClientSettings settings, BigDecimal maxLimitUsd) {
        this.settings = settings;
        this.decoder = new EventDecoder(settings);
        this.validator = new BudgetConfigValidator(maxLimitUsd);
    }

    /**
     * Writes the budget with its audit record and waits until both are committed.
     *
     * @param reason why the budget changes (recorded in {@code ops.audit}); must not be blank
     * @throws InvalidBudgetConfigException naming the field, before anything is sent
     * @throws IllegalArgumentException when {@code reason} is blank, before anything is sent
     */
    public BudgetConfig set(BudgetRequest request, String reason) {
        BudgetConfig config = configOf(request);
        validator.validate(request.scope(), config);
        writer().write(Change.set(Topics.BUDGET_CONFIG, request.scope(), config), reason);
        return config;
    }

    /**
     * The record {@link #set} would write for {@code request}, checked with the ledger's rules against
     * {@code maxLimitUsd}; nothing is sent, no broker is needed.
     *
     * @throws InvalidBudgetConfigException naming the field
     */
    public static BudgetConfig check(BudgetRequest request, BigDecimal maxLimitUsd) {
        BudgetConfig config = configOf(request);
        new BudgetConfigValidator(maxLimitUsd).validate(request.scope(), config);
        return config;
    }

    private static BudgetConfig configOf(BudgetRequest request) {
        return BudgetConfig.newBuilder()
                .setScope(request.scope())
                .setDailyLimitUsd(request.dailyLimitUsd() == null ? null : Money.usd(request.dailyLimitUsd()))
                .setMonthlyLimitUsd(request.monthlyLimitUsd() == null ? null : Money.usd(request.monthlyLimitUsd()))
                .setOnExhausted(request.onExhausted() == null ? OnExhausted.DEGRADE_LOCAL : request.onExhausted())
                .setConserveThreshold(
                        request.conserveThreshold() == null
                                ? BudgetPolicy.DEFAULT_CONSERVE
                                : request.conserveThreshold())
                .setCriticalThreshold(
                        request.criticalThreshold() == null
                                ? BudgetPolicy.DEFAULT_CRITICAL
                                : request.criticalThreshold())
                .setTimezone(request.timezone() == null ? "UTC" : request.timezone())
                .setUpdatedAt(Instant.now())
                .build();
    }

    /**
     * Writes a tombstone for {@code scope} with its audit record: the ledger forgets its budget (no
     * limits from then on).
     */
    public OpsAuditEvent remove(String scope, String reason) {
        if (scope == null || scope.isBlank()) {
            throw new InvalidBudgetConfigException("scope", "must not be empty");
        }
        return writer().write(Change.remove(Topics.BUDGET_CONFIG, scope), reason);
    }

    /** The budget in force for {@code scope}, if any. */
    public Optional<BudgetConfig> show(String scope) {
        return Optional.ofNullable(list().get(scope));
    }

    /** Every budget in force, by scope. */
    public Map<String, BudgetConfig> list() {
        Map<String, BudgetConfig> inForce = new TreeMap<>();
        CompactedView.builder(settings, decoder, readerId())
                .topic(Topics.BUDGET_CONFIG, (scope, config) -> {
                    if (scope == null) {
                        return;
                    }
                    if (config == null) {
                        inForce.remove(scope);
                        return;
                    }
                    try {
                        validator.validate(scope, config);
                        inForce.put(scope, config);
                    } catch (InvalidBudgetConfigException rejected) {
                        // the ledger rejects it too (budget.config.dlq): the previous budget stays in force
                    }
                })
                .loadOnce(TIMEOUT); // an undecodable record is skipped too: the ledger dead-letters it
        return inForce;
    }

    /** The latest budget.status of {@code scope}, as the router sees it. */
    public Optional<BudgetStatus> status(String scope) {
        return Optional.ofNullable(statuses().get(scope));
    }

    /** The latest budget.status of every scope. */
    public Map<String, BudgetStatus> statuses() {
        Map<String, BudgetStatus> latest = new TreeMap<>();
        CompactedView.builder(settings, decoder, readerId())
                .topic(Topics.BUDGET_STATUS, (scope, status) -> {
                    if (scope == null) {
                        return;
                    }
                    if (status == null) {
                        latest.remove(scope);
                    } else {
                        latest.put(scope, status);
                    }
                })
                .loadOnce(TIMEOUT);
        return latest;
    }

    private static String readerId() {
        return "tiergate-cli-" + UUID.randomUUID();
    }

    /** Human-readable lines for {@code budget show}. */
    public static String describe(BudgetConfig config, BudgetStatus status) {
        StringBuilder text = new StringBuilder();
        text.append("scope:          ").append(config.getScope()).append('\n');
        text.append("daily limit:    ").append(usd(config.getDailyLimitUsd())).append('\n');
        text.append("monthly limit:  ").append(usd(config.getMonthlyLimitUsd())).append('\n');
        text.append("thresholds:     conserve ")
                .append(config.getConserveThreshold())
                .append(", critical ")
                .append(config.getCriticalThreshold())
                .append('\n');
        text.append("on exhausted:   ").append(config.getOnExhausted()).append('\n');
        text.append("time zone:      ").append(config.getTimezone()).append('\n');
        if (status != null) {
            text.append("level:          ")
                    .append(status.getLevel())
                    .append(status.getAnomaly() ? " (anomaly)" : "")
                    .append('\n');
            text.append("spent today:    ")
                    .append(usd(status.getDailySpendUsd()))
                    .append('\n');
            text.append("spent in month: ")
                    .append(usd(status.getMonthlySpendUsd()))
                    .append('\n');
            text.append("burn rate:      ")
                    .append(usd(status.getBurnRateUsdPerHour()))
                    .append(" per hour\n");
            text.append("exhausted at:   ")
                    .append(
                            status.getForecastExhaustionAt() == null
                                    ? "not forecast this period"
                                    : status.getForecastExhaustionAt().toString())
                    .append('\n');
            text.append("status as of:   ").append(status.getUpdatedAt()).append('\n');
        }
        return text.toString();
    }

    private static String usd(BigDecimal amount) {
        return amount == null ? "none" : Money.usd(amount).toPlainString() + " USD";
    }

    private AuditedChanges writer() {
        if (writer == null) {
            writer = new AuditedChanges(settings, "budget-admin");
        }
        return writer;
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
