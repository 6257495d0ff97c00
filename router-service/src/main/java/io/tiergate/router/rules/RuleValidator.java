package io.tiergate.router.rules;

import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RouteRule;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a routing rule against the task types and the price table. A rule is rejected (with a
 * reason naming the field) when: its key and task type differ; the task type is not one of
 * {@link TaskType}; its tier is not LOCAL or CLOUD; its model is unknown or runs on the other tier
 * (a LOCAL rule with a cloud model, or the reverse); a fallback is unknown, not a cloud model,
 * repeated or the rule's own model; a complexity threshold is given for a cloud rule, lies outside
 * [0, 1], or has no fallback to send complex work to.
 */
public final class RuleValidator {

    /** Longer chains only add latency; the cloud worker tries them in order. */
    public static final int MAX_FALLBACKS = 5;

    private final ModelCatalog catalog;

    public RuleValidator(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param key the record key (the task type name), or {@code null} when there is none (CLI, defaults)
     * @throws InvalidRuleException with the reason
     */
    public RouteRule validate(String key, RoutingRule rule) {
        if (rule == null) {
            throw new InvalidRuleException("a routing rule must have a value (a tombstone needs a key)");
        }
        String typeName = rule.getTaskType();
        if (key != null && !key.equals(typeName)) {
            throw new InvalidRuleException("record key '" + key + "' does not match taskType '" + typeName + "'");
        }
        TaskType type = parseTaskType(typeName);
        Tier tier = rule.getTier();
        if (tier != Tier.LOCAL && tier != Tier.CLOUD) {
            throw new InvalidRuleException(typeName + ": tier must be LOCAL or CLOUD, was " + tier);
        }
        ModelPrice model = known(typeName, "model", rule.getModel());
        if (model.tier() != tier) {
            throw new InvalidRuleException(typeName + ": a " + tier + " rule needs a " + tier + " model, but '"
                    + model.id() + "' runs on " + model.tier());
        }
        List<String> fallbacks = rule.getFallbackModels() == null ? List.of() : List.copyOf(rule.getFallbackModels());
        if (fallbacks.size() > MAX_FALLBACKS) {
            throw new InvalidRuleException(
                    typeName + ": at most " + MAX_FALLBACKS + " fallback models, got " + fallbacks.size());
        }
        Set<String> seen = new HashSet<>();
        for (String id : fallbacks) {
            ModelPrice fallback = known(typeName, "fallback model", id);
            if (fallback.tier() != Tier.CLOUD) {
                throw new InvalidRuleException(
                        typeName + ": fallback model '" + id + "' is not a cloud model (fallbacks are cloud models)");
            }
            if (id.equals(model.id())) {
                throw new InvalidRuleException(typeName + ": fallback model '" + id + "' is the rule's own model");
            }
            if (!seen.add(id)) {
                throw new InvalidRuleException(typeName + ": fallback model '" + id + "' is listed twice");
            }
        }
        Double threshold = rule.getLocalComplexityThreshold();
        if (threshold != null) {
            if (tier != Tier.LOCAL) {
                throw new InvalidRuleException(typeName + ": localComplexityThreshold applies to LOCAL rules only");
            }
            if (threshold.isNaN() || threshold < 0 || threshold > 1) {
                throw new InvalidRuleException(
                        typeName + ": localComplexityThreshold must be within [0, 1], was " + threshold);
            }
            if (fallbacks.isEmpty()) {
                throw new InvalidRuleException(
                        typeName + ": localComplexityThreshold needs a fallback model to send complex requests to");
            }
        }
        return new RouteRule(type, tier, model.id(), fallbacks, threshold);
    }

    /** Same checks, for callers outside Kafka (CLI): an IllegalArgumentException with the reason. */
    public RouteRule check(RoutingRule rule) {
        try {
            return validate(null, rule);
        } catch (InvalidRuleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static TaskType parseTaskType(String name) {
        if (name == null) {
            throw new InvalidRuleException("taskType is missing");
        }
        try {
            return TaskType.valueOf(name);
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            Arrays.stream(TaskType.values()).forEach(t -> known.add(t.name()));
            throw new InvalidRuleException("unknown task type '" + name + "'; known: " + known);
        }
    }

    private ModelPrice known(String typeName, String what, String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidRuleException(typeName + ": " + what + " is missing");
        }
        Optional<ModelPrice> m = catalog.find(id);
        if (m.isEmpty()) {
            List<String> ids =
                    catalog.prices().models().stream().map(ModelPrice::id).toList();
            throw new InvalidRuleException(
                    typeName + ": unknown " + what + " '" + id + "' (not in the price table; known: " + ids + ")");
        }
        return m.get();
    }
}
