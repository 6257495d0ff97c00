package io.tiergate.router.cli;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.budget.BudgetGate;
import io.tiergate.router.budget.ReservationLedger;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.policy.Decision;
import io.tiergate.router.policy.LocalCapacity;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RoutingPolicy;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ./tiergate route explain}: the decision the routers would make for a request described on
 * the command line, with its rationale, using the live routing rules, budget status and local
 * worker health (each compacted topic read to its end). Live routers additionally hold
 * reservations for their in-flight cloud decisions, which are not visible from outside; the
 * explanation says so.
 *
 * <pre>
 *   RouteExplainer explainer = new RouteExplainer(bootstrapServers, schemaRegistryUrl);
 *   RouteExplainer.Explanation e = explainer.explain(
 *       RouteExplainer.Query.of(TaskType.CODE_REVIEW).costCenter("team-a").sovereign(false).latencyMs(800L));
 *   System.out.println(e.render());
 * </pre>
 */
public final class RouteExplainer {

    /** What to explain; unset values take the defaults of {@link #of}. */
    public record Query(
            TaskType taskType,
            boolean sovereign,
            boolean sensitive,
            Long latencyMs,
            String costCenter,
            double complexity,
            int inputTokens) {

        public Query {
            Objects.requireNonNull(taskType, "taskType");
            Objects.requireNonNull(costCenter, "costCenter");
            if (complexity < 0 || complexity > 1 || Double.isNaN(complexity)) {
                throw new IllegalArgumentException("--complexity must be within [0, 1], was " + complexity);
            }
            if (inputTokens < 0) {
                throw new IllegalArgumentException("--input-tokens must be >= 0, was " + inputTokens);
            }
            if (latencyMs != null && latencyMs <= 0) {
                throw new IllegalArgumentException("--latency-ms must be > 0, was " + latencyMs);
            }
        }

        /** cost center "default", not sovereign, no latency budget, complexity 0.5, 1,000 input tokens. */
        public static Query of(TaskType taskType) {
            return new Query(taskType, false, false, null, "default", 0.5, 1000);
        }

        public Query sovereign(boolean v) {
            return new Query(taskType, v, sensitive, latencyMs, costCenter, complexity, inputTokens);
        }

        /** As if the classifier had found sensitive data (also forces local). */
        public Query sensitive(boolean v) {
            return new Query(taskType, sovereign, v, latencyMs, costCenter, complexity, inputTokens);
        }

        public Query latencyMs(Long v) {
            return new Query(taskType, sovereign, sensitive, v, costCenter, complexity, inputTokens);
        }

        public Query costCenter(String v) {
            return new Query(taskType, sovereign, sensitive, latencyMs, v, complexity, inputTokens);
        }

        public Query complexity(double v) {
            return new Query(taskType, sovereign, sensitive, latencyMs, costCenter, v, inputTokens);
        }

        public Query inputTokens(int v) {
            return new Query(taskType, sovereign, sensitive, latencyMs, costCenter, complexity, v);
        }
    }

    /**
     * @param decision the decision as the audit topic would record it
     * @param costCenterBudget, globalBudget one line each on the budget state seen
     * @param localTier what worker.health says about the local tier
     * @param ruleSource DEFAULT or OVERRIDE for the request's task type
     * @param rulesVersion the routing table in force
     */
    public record Explanation(
            RoutingDecision decision,
            String costCenterBudget,
            String globalBudget,
            String localTier,
            RoutingTable.Source ruleSource,
            String rulesVersion,
            long expectedOutputTokens) {

        /** Human-readable, several lines. */
        public String render() {
            RoutingDecision d = decision;
            StringBuilder out = new StringBuilder();
            out.append("Decision:   ").append(d.getAction());
            switch (d.getAction()) {
                case ROUTE ->
                    out.append(" → ")
                            .append(d.getTier())
                            .append(' ')
                            .append(d.getModel())
                            .append(" (")
                            .append(d.getCapabilityClass())
                            .append(')');
                default -> out.append(" (would have used ").append(d.getModel()).append(')');
            }
            out.append('\n');
            out.append("Fallbacks:  ")
                    .append(d.getFallbackModels().isEmpty() ? "none" : String.join(" → ", d.getFallbackModels()))
                    .append('\n');
            out.append("Rule:       ")
                    .append(d.getRule())
                    .append(d.getSovereign() ? " (sovereign)" : "")
                    .append('\n');
            out.append("Rationale:  ").append(d.getRationale()).append('\n');
            out.append("Estimate:   $")
                    .append(d.getEstimatedCostUsd().stripTrailingZeros().toPlainString())
                    .append(" (expected output ")
                    .append(expectedOutputTokens)
                    .append(" tokens)")
                    .append('\n');
            out.append("Budget:     level ").append(d.getBudgetLevel()).append('\n');
            out.append("            ").append(costCenterBudget).append('\n');
            out.append("            ").append(globalBudget).append('\n');
            out.append("Local tier: ").append(localTier).append('\n');
            out.append("Rules:      ")
                    .append(rulesVersion)
                    .append(" (")
                    .append(d.getTaskType())
                    .append(": ")
                    .append(ruleSource)
                    .append(")\n");
            out.append(
                    "Note:       live routers also hold reservations for in-flight cloud decisions; they are not included here.");
            return out.toString();
        }
    }

    private final KafkaClientSettings client;
    private final ModelCatalog catalog;
    private final DefaultRules.Table defaults;
    private final Duration timeout;

    /** With the price table and default rules shipped in the jars. */
    public RouteExplainer(String bootstrapServers, String schemaRegistryUrl) {
        this(bootstrapServers, schemaRegistryUrl, PriceTable.loadDefault(), null, Duration.ofSeconds(30));
    }

    /**
     * @param prices the price table in use (an ops override file), or the default
     * @param defaults the default rules file in use, or {@code null} for the shipped one
     */
    public RouteExplainer(
            String bootstrapServers,
            String schemaRegistryUrl,
            PriceTable prices,
            DefaultRules.Table defaults,
            Duration timeout) {
        this(RouterState.settings(bootstrapServers, schemaRegistryUrl), prices, defaults, timeout);
    }

    /** With the given cluster settings (the CLI's, with the client security of --command-config). */
    public RouteExplainer(KafkaClientSettings client) {
        this(client, PriceTable.loadDefault(), null, Duration.ofSeconds(30));
    }

    public RouteExplainer(
            KafkaClientSettings client, PriceTable prices, DefaultRules.Table defaults, Duration timeout) {
        this.client = client;
        this.catalog = new ModelCatalog(prices);
        this.defaults = defaults != null ? defaults : DefaultRules.load(catalog);
        this.timeout = timeout;
    }

    /** Reads the live state and decides {@code query}. */
    public Explanation explain(Query query) {
        RouterState state = RouterState.read(client, catalog, defaults, timeout);
        Clock clock = Clock.systemUTC();
        ReservationLedger none =
                new ReservationLedger(RouterConfiguration.DEFAULTS.reservationTimeout(), state.budgets);
        BudgetGate gate = new BudgetGate(state.budgets, none, clock::millis, RouterConfiguration.DEFAULTS.staleness());
        LocalCapacity local = state.health.localCapacity(clock.millis());
        RoutingTable table = state.rules.current();
        Decision d =
                new RoutingPolicy(catalog).decide(request(query, clock.instant()), table, gate, local, clock.instant());
        return new Explanation(
                d.toEvent(),
                gate.scope(query.costCenter()).summary(),
                gate.scope(Topics.GLOBAL_SCOPE).summary(),
                local.summary(),
                table.source(query.taskType()),
                table.version(),
                catalog.prices().expectedOutputTokens(query.taskType()));
    }

    private static ClassifiedRequest request(Query q, Instant now) {
        return ClassifiedRequest.newBuilder()
                .setRequest(InferenceRequest.newBuilder()
                        .setRequestId("explain-" + now.toEpochMilli())
                        .setPrompt("(explain)")
                        .setSystemPrompt(null)
                        .setCostCenter(q.costCenter())
                        .setTaskTypeHint(q.taskType().name())
                        .setRequiresDataSovereignty(q.sovereign())
                        .setLatencyBudgetMs(q.latencyMs())
                        .setMaxOutputTokens(null)
                        .setCreatedAt(now)
                        .setAttributes(Map.of())
                        .build())
                .setClassification(Classification.newBuilder()
                        .setTaskType(q.taskType())
                        .setConfidence(1.0)
                        .setEvidence(List.of("cli"))
                        .setEstimatedInputTokens(q.inputTokens())
                        .setComplexity(q.complexity())
                        .setContainsSensitiveData(q.sensitive())
                        .setSensitiveKinds(List.of())
                        .setHintUsed(true)
                        .setClassifierVersion("cli")
                        .build())
                .setClassifiedAt(now)
                .build();
    }
}
