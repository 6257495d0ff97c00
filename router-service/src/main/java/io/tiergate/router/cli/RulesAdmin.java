package io.tiergate.router.cli;

import io.tiergate.platform.kafka.AuditedChanges;
import io.tiergate.platform.kafka.AuditedChanges.Change;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RouteRule;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.router.rules.InvalidRuleException;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./tiergate rules set|show|reset}: ops overrides of the task-type table on the compacted
 * {@code routing.rules} topic (key = task type). {@code set} validates exactly as the routers do
 * and refuses an invalid rule before writing it; {@code reset} writes tombstones, which restore the
 * defaults. Every change is written with its {@code ops.audit} record (who, why) in one transaction
 * (platform's {@link AuditedChanges}). The routers apply a change within their poll interval,
 * without restart.
 *
 * <pre>
 *   try (RulesAdmin admin = new RulesAdmin(bootstrapServers, schemaRegistryUrl)) {
 *     admin.set("SUMMARIZATION", Tier.CLOUD, "anthropic/claude-haiku-4.5", List.of(), null, "why");
 *     System.out.println(RulesAdmin.render(admin.show()));
 *     admin.reset("SUMMARIZATION", "why");     // or admin.resetAll("why")
 *   }
 * </pre>
 */
public final class RulesAdmin implements AutoCloseable {

    /** One row of the effective table. */
    public record Row(TaskType taskType, RouteRule rule, RoutingTable.Source source) {}

    private final KafkaClientSettings client;
    private final ModelCatalog catalog;
    private final DefaultRules.Table defaults;
    private final RuleValidator validator;
    private final Duration timeout;
    private AuditedChanges writer;

    public RulesAdmin(String bootstrapServers, String schemaRegistryUrl) {
        this(bootstrapServers, schemaRegistryUrl, PriceTable.loadDefault(), null, Duration.ofSeconds(30));
    }

    public RulesAdmin(
            String bootstrapServers,
            String schemaRegistryUrl,
            PriceTable prices,
            DefaultRules.Table defaults,
            Duration timeout) {
        this(RouterState.settings(bootstrapServers, schemaRegistryUrl), prices, defaults, timeout);
    }

    /** With the given cluster settings (the CLI's, with the client security of --command-config). */
    public RulesAdmin(KafkaClientSettings client) {
        this(client, PriceTable.loadDefault(), null, Duration.ofSeconds(30));
    }

    public RulesAdmin(KafkaClientSettings client, PriceTable prices, DefaultRules.Table defaults, Duration timeout) {
        this.client = client;
        this.catalog = new ModelCatalog(prices);
        this.defaults = defaults != null ? defaults : DefaultRules.load(catalog);
        this.validator = new RuleValidator(catalog);
        this.timeout = timeout;
    }

    /**
     * Validates and writes an override for {@code taskType}; returns the record written.
     *
     * @param fallbackModels cloud models (escalation targets for a LOCAL rule, fallbacks for a CLOUD rule)
     * @param localComplexityThreshold LOCAL rules only: above it requests go to the first fallback; may be null
     * @param reason why (recorded in {@code ops.audit}); must not be blank
     * @throws IllegalArgumentException with the reason, when the routers would reject the rule or no
     *     reason is given
     */
    public RoutingRule set(
            String taskType,
            Tier tier,
            String model,
            List<String> fallbackModels,
            Double localComplexityThreshold,
            String reason) {
        RoutingRule rule = rule(taskType, tier, model, fallbackModels, localComplexityThreshold);
        validator.check(rule);
        writer().write(Change.set(Topics.ROUTING_RULES, rule.getTaskType(), rule), reason);
        return rule;
    }

    /**
     * Checks a rule as the routers (and {@link #set}) would, with the shipped price table and without
     * a cluster: the CLI refuses a bad rule before it looks for a broker.
     *
     * @throws IllegalArgumentException with the reason the routers would give
     */
    public static void check(
            String taskType, Tier tier, String model, List<String> fallbackModels, Double localComplexityThreshold) {
        new RuleValidator(new ModelCatalog(PriceTable.loadDefault()))
                .check(rule(taskType, tier, model, fallbackModels, localComplexityThreshold));
    }

    /** Checks a task type's name as {@link #reset} would, without a cluster. */
    public static void checkTaskType(String taskType) {
        try {
            RuleValidator.parseTaskType(taskType == null ? null : taskType.toUpperCase(Locale.ROOT));
        } catch (InvalidRuleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static RoutingRule rule(
            String taskType, Tier tier, String model, List<String> fallbackModels, Double localComplexityThreshold) {
        return RoutingRule.newBuilder()
                .setTaskType(taskType == null ? null : taskType.toUpperCase(Locale.ROOT))
                .setTier(tier)
                .setModel(model)
                .setFallbackModels(fallbackModels == null ? List.of() : List.copyOf(fallbackModels))
                .setLocalComplexityThreshold(localComplexityThreshold)
                .setUpdatedAt(Instant.now())
                .build();
    }

    /** The table in force: every task type with its rule and whether it is the default or an override. */
    public List<Row> show() {
        RoutingTable table =
                RouterState.read(client, catalog, defaults, timeout).rules.current();
        List<Row> rows = new ArrayList<>();
        for (TaskType t : TaskType.values()) {
            rows.add(new Row(t, table.rule(t), table.source(t)));
        }
        return rows;
    }

    /**
     * Validates every rule as {@link #set} does and writes them all, with their {@code ops.audit}
     * records, in one transaction (all or none); what {@code rules recommend --apply} uses.
     *
     * @throws IllegalArgumentException when a rule would be rejected by the routers (nothing is
     *     written) or no reason is given
     */
    public List<RoutingRule> setAll(List<RoutingRule> rules, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be empty: say why the change is made");
        }
        rules.forEach(validator::check);
        if (!rules.isEmpty()) {
            writer().write(
                            rules.stream()
                                    .map(r -> Change.set(Topics.ROUTING_RULES, r.getTaskType(), r))
                                    .toList(),
                            reason);
        }
        return List.copyOf(rules);
    }

    /** The task table's local model (the defaults file's {@code localModel}). */
    public String localModel() {
        return defaults.localModel();
    }

    /** The catalogue the rules are checked against (the price table's models). */
    public ModelCatalog catalog() {
        return catalog;
    }

    /** The cluster settings this admin reads and writes with. */
    public KafkaClientSettings client() {
        return client;
    }

    /** Restores the default for {@code taskType} (a tombstone), audited with {@code reason}. */
    public void reset(String taskType, String reason) {
        String name = taskType == null ? null : taskType.toUpperCase(Locale.ROOT);
        try {
            RuleValidator.parseTaskType(name);
        } catch (InvalidRuleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        writer().write(Change.remove(Topics.ROUTING_RULES, name), reason);
    }

    /**
     * Restores every default: a tombstone for each task type that has an override, all in one
     * audited transaction; returns those types.
     */
    public List<TaskType> resetAll(String reason) {
        List<TaskType> overridden = show().stream()
                .filter(r -> r.source() == RoutingTable.Source.OVERRIDE)
                .map(Row::taskType)
                .toList();
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be empty: say why the change is made");
        }
        if (!overridden.isEmpty()) {
            writer().write(
                            overridden.stream()
                                    .map(t -> Change.remove(Topics.ROUTING_RULES, t.name()))
                                    .toList(),
                            reason);
        }
        return overridden;
    }

    /** A fixed-width table for the terminal. */
    public static String render(List<Row> rows) {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%-15s %-6s %-30s %-10s %-55s %s%n",
                "TASK TYPE",
                "TIER",
                "MODEL",
                "THRESHOLD",
                "FALLBACKS",
                "SOURCE"));
        for (Row r : rows) {
            RouteRule rule = r.rule();
            out.append(String.format(
                    Locale.ROOT,
                    "%-15s %-6s %-30s %-10s %-55s %s%n",
                    r.taskType(),
                    rule.tier(),
                    rule.model(),
                    rule.localComplexityThreshold() == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.2f", rule.localComplexityThreshold()),
                    rule.fallbackModels().isEmpty() ? "-" : String.join(", ", rule.fallbackModels()),
                    r.source()));
        }
        return out.toString();
    }

    private AuditedChanges writer() {
        if (writer == null) {
            writer = new AuditedChanges(client, "rules-admin");
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
