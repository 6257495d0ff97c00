package io.tiergate.router.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RouteRule;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The default task-type table shipped with the service ({@value #RESOURCE}, docs/architecture.md
 * "Task types and models"), or an ops replacement file ({@code tiergate.router.rules-file}). It must name a local
 * model and have a valid rule for every task type; otherwise the service does not start.
 */
public final class DefaultRules {

    public static final String RESOURCE = "/tiergate/routing-rules.json";

    /** The parsed file. */
    public record Table(String version, String localModel, Map<TaskType, RouteRule> rules) {}

    private DefaultRules() {}

    public static Table load(ModelCatalog catalog) {
        try (InputStream in = DefaultRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + RESOURCE);
            }
            return parse(in.readAllBytes(), RESOURCE, catalog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Table load(Path file, ModelCatalog catalog) {
        try {
            return parse(Files.readAllBytes(file), file.toString(), catalog);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read routing rules " + file, e);
        }
    }

    static Table parse(byte[] json, String source, ModelCatalog catalog) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Routing rules " + source + " are not valid JSON: " + e.getMessage(), e);
        }
        String version = root.path("version").asText("unversioned");
        String localModel = root.path("localModel").asText(null);
        if (localModel == null) {
            throw new IllegalStateException("Routing rules " + source + ": localModel is missing");
        }
        ModelPrice local = catalog.find(localModel)
                .orElseThrow(() ->
                        new IllegalStateException("Routing rules " + source + ": unknown localModel " + localModel));
        if (local.tier() != Tier.LOCAL) {
            throw new IllegalStateException(
                    "Routing rules " + source + ": localModel " + localModel + " is not a local model");
        }
        RuleValidator validator = new RuleValidator(catalog);
        Map<TaskType, RouteRule> rules = new EnumMap<>(TaskType.class);
        int i = 0;
        for (JsonNode n : root.path("rules")) {
            String at = "rules[" + i++ + "]";
            try {
                RoutingRule rule = fromJson(n);
                RouteRule valid = validator.validate(null, rule);
                if (rules.put(valid.taskType(), valid) != null) {
                    throw new InvalidRuleException("duplicate rule for " + valid.taskType());
                }
            } catch (InvalidRuleException | IllegalArgumentException e) {
                throw new IllegalStateException("Routing rules " + source + " " + at + ": " + e.getMessage(), e);
            }
        }
        List<TaskType> missing = new ArrayList<>();
        for (TaskType t : TaskType.values()) {
            if (!rules.containsKey(t)) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Routing rules " + source + " have no rule for " + missing);
        }
        return new Table(version, localModel, rules);
    }

    private static RoutingRule fromJson(JsonNode n) {
        List<String> fallbacks = new ArrayList<>();
        n.path("fallbackModels").forEach(f -> fallbacks.add(f.asText()));
        JsonNode threshold = n.get("localComplexityThreshold");
        return RoutingRule.newBuilder()
                .setTaskType(n.path("taskType").asText(null))
                .setTier(Tier.valueOf(n.path("tier").asText("UNKNOWN")))
                .setModel(n.path("model").asText(null))
                .setFallbackModels(fallbacks)
                .setLocalComplexityThreshold(threshold == null || threshold.isNull() ? null : threshold.asDouble())
                .setUpdatedAt(Instant.EPOCH)
                .build();
    }
}
