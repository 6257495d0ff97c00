package io.tiergate.router.policy;

import io.tiergate.schemas.events.TaskType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The task-type table in force: one rule per task type (the default file merged with ops overrides)
 * and the local model that serves sovereign requests whose type's rule is a cloud rule. Immutable.
 */
public final class RoutingTable {

    /** Where a rule came from, for {@code rules show} and rationales. */
    public enum Source {
        DEFAULT,
        OVERRIDE
    }

    private final Map<TaskType, RouteRule> rules;
    private final Map<TaskType, Source> sources;
    private final String localModel;
    private final String version;

    public RoutingTable(
            Map<TaskType, RouteRule> rules, Map<TaskType, Source> sources, String localModel, String version) {
        this.rules = Map.copyOf(new EnumMap<>(rules));
        this.sources = Map.copyOf(new EnumMap<>(sources));
        this.localModel = Objects.requireNonNull(localModel, "localModel");
        this.version = version;
        for (TaskType type : TaskType.values()) {
            if (!this.rules.containsKey(type)) {
                throw new IllegalArgumentException("The routing table has no rule for " + type);
            }
        }
    }

    /** The rule for {@code type}; every task type has one (the default file must cover all). */
    public RouteRule rule(TaskType type) {
        return rules.get(type == null ? TaskType.UNKNOWN : type);
    }

    public Source source(TaskType type) {
        return sources.getOrDefault(type, Source.DEFAULT);
    }

    public Map<TaskType, RouteRule> rules() {
        return new EnumMap<>(rules);
    }

    /** The local model used for sovereign requests of cloud-rule types and for budget downgrades. */
    public String localModel() {
        return localModel;
    }

    public String version() {
        return version;
    }
}
