package io.tiergate.router.rules;

import io.tiergate.router.policy.RouteRule;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The task-type table in force: the default file overridden, per task type, by the latest valid
 * record on the compacted {@code routing.rules} topic. A tombstone restores the default; an invalid
 * record changes nothing (the last good table stays in force) and is reported by
 * {@link #apply}'s exception. Reads are lock-free (an immutable table behind a volatile reference).
 */
public final class RulesBook {

    private final DefaultRules.Table defaults;
    private final RuleValidator validator;
    private final Map<TaskType, RouteRule> overrides = new EnumMap<>(TaskType.class);
    private volatile RoutingTable current;
    private long revision;

    public RulesBook(DefaultRules.Table defaults, RuleValidator validator) {
        this.defaults = defaults;
        this.validator = validator;
        rebuild();
    }

    public RoutingTable current() {
        return current;
    }

    public RuleValidator validator() {
        return validator;
    }

    /**
     * Applies one routing.rules record: a rule, or {@code null} (tombstone) to restore the default.
     *
     * @throws InvalidRuleException when the record is invalid; the table is unchanged
     */
    public synchronized void apply(String key, RoutingRule rule) {
        if (rule == null) {
            if (key == null) {
                throw new InvalidRuleException("a tombstone without a key cannot name a task type");
            }
            TaskType type = RuleValidator.parseTaskType(key);
            if (overrides.remove(type) != null) {
                rebuild();
            }
            return;
        }
        RouteRule valid = validator.validate(key, rule);
        overrides.put(valid.taskType(), valid);
        rebuild();
    }

    public synchronized Map<TaskType, RouteRule> overrides() {
        return new EnumMap<>(overrides);
    }

    public DefaultRules.Table defaults() {
        return defaults;
    }

    private void rebuild() {
        Map<TaskType, RouteRule> rules = new EnumMap<>(defaults.rules());
        Map<TaskType, RoutingTable.Source> sources = new EnumMap<>(TaskType.class);
        for (TaskType t : rules.keySet()) {
            sources.put(t, RoutingTable.Source.DEFAULT);
        }
        overrides.forEach((t, r) -> {
            rules.put(t, r);
            sources.put(t, RoutingTable.Source.OVERRIDE);
        });
        revision++;
        current = new RoutingTable(
                rules,
                sources,
                defaults.localModel(),
                defaults.version() + "+" + overrides.size() + " overrides (rev " + revision + ")");
    }
}
