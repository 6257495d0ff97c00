package io.tiergate.router;

import io.tiergate.router.policy.BudgetView;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test data for the router's unit and integration tests. */
public final class Fixtures {

    public static final PriceTable PRICES = PriceTable.loadDefault();
    public static final ModelCatalog CATALOG = new ModelCatalog(PRICES);
    public static final DefaultRules.Table DEFAULTS = DefaultRules.load(CATALOG);

    public static final String QWEN = "qwen3:8b";
    public static final String DEEPSEEK = "deepseek/deepseek-chat";
    public static final String HAIKU = "anthropic/claude-haiku-4.5";
    public static final String SONNET = "anthropic/claude-sonnet-4.6";
    public static final String OPUS = "anthropic/claude-opus-4.6";

    private Fixtures() {}

    public static RulesBook rules() {
        return new RulesBook(DEFAULTS, new RuleValidator(CATALOG));
    }

    /** A request builder with harmless defaults. */
    public static final class Req {
        private String id = "req-1";
        private String costCenter = "team-a";
        private TaskType type = TaskType.CONVERSATION;
        private boolean sovereign;
        private boolean sensitive;
        private Long latencyMs;
        private double complexity = 0.3;
        private int tokens = 500;
        private Integer maxOutputTokens;
        private String requestedModel;

        /** The gateway's {@code model}, as {@code attributes["tiergate.requested-model"]}. */
        public Req requestedModel(String v) {
            requestedModel = v;
            return this;
        }

        public Req id(String v) {
            id = v;
            return this;
        }

        public Req costCenter(String v) {
            costCenter = v;
            return this;
        }

        public Req type(TaskType v) {
            type = v;
            return this;
        }

        public Req sovereign(boolean v) {
            sovereign = v;
            return this;
        }

        public Req sensitive(boolean v) {
            sensitive = v;
            return this;
        }

        public Req latencyMs(Long v) {
            latencyMs = v;
            return this;
        }

        public Req complexity(double v) {
            complexity = v;
            return this;
        }

        public Req tokens(int v) {
            tokens = v;
            return this;
        }

        public Req maxOutputTokens(Integer v) {
            maxOutputTokens = v;
            return this;
        }

        public ClassifiedRequest build() {
            Instant now = Instant.now();
            return ClassifiedRequest.newBuilder()
                    .setRequest(InferenceRequest.newBuilder()
                            .setRequestId(id)
                            .setPrompt("prompt of " + id)
                            .setSystemPrompt(null)
                            .setCostCenter(costCenter)
                            .setTaskTypeHint(null)
                            .setRequiresDataSovereignty(sovereign)
                            .setLatencyBudgetMs(latencyMs)
                            .setMaxOutputTokens(maxOutputTokens)
                            .setCreatedAt(now)
                            .setAttributes(
                                    requestedModel == null
                                            ? Map.of()
                                            : Map.of(
                                                    io.tiergate.schemas.results.RequestAttributes.REQUESTED_MODEL,
                                                    requestedModel))
                            .build())
                    .setClassification(Classification.newBuilder()
                            .setTaskType(type)
                            .setConfidence(0.9)
                            .setEvidence(List.of("test"))
                            .setEstimatedInputTokens(tokens)
                            .setTokenEncoding("cl100k_base")
                            .setComplexity(complexity)
                            .setContainsSensitiveData(sensitive)
                            .setSensitiveKinds(sensitive ? List.of("EMAIL") : List.of())
                            .setHintUsed(false)
                            .setClassifierVersion("test")
                            .build())
                    .setClassifiedAt(now)
                    .build();
        }
    }

    public static Req req() {
        return new Req();
    }

    /** A budget view with one fixed state, for policy tests. */
    public static BudgetView fixedBudget(BudgetLevel level, OnExhausted onExhausted) {
        return new BudgetView() {
            @Override
            public BudgetState state(String costCenter) {
                return new BudgetState(level, costCenter, onExhausted, "budget '" + costCenter + "' is " + level);
            }

            @Override
            public Admission admit(String costCenter, BigDecimal estimatedUsd) {
                return level == BudgetLevel.EXHAUSTED
                        ? new Admission(false, costCenter, onExhausted, "exhausted")
                        : Admission.ok();
            }
        };
    }

    public static BudgetView normalBudget() {
        return fixedBudget(BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL);
    }

    /** A status with a daily limit only. */
    public static BudgetStatus status(
            String scope, BudgetLevel level, OnExhausted onExhausted, String dailySpend, String dailyLimit) {
        Instant now = Instant.now();
        return BudgetStatus.newBuilder()
                .setScope(scope)
                .setLevel(level)
                .setOnExhausted(onExhausted)
                .setDailySpendUsd(Money.usd(dailySpend))
                .setDailyLimitUsd(dailyLimit == null ? null : Money.usd(dailyLimit))
                .setMonthlySpendUsd(Money.usd(dailySpend))
                .setMonthlyLimitUsd(null)
                .setUtilization(0)
                .setBurnRateUsdPerHour(Money.ZERO)
                .setForecastExhaustionAt(null)
                .setAnomaly(false)
                .setPeriodDayStart(now)
                .setPeriodMonthStart(now)
                .setUpdatedAt(now)
                .build();
    }

    public static WorkerHealth health(
            String worker, Tier tier, int depth, int limit, CircuitState circuit, Instant at) {
        return WorkerHealth.newBuilder()
                .setWorkerId(worker)
                .setTier(tier)
                .setQueueDepth(depth)
                .setQueueLimit(limit)
                .setCircuit(circuit)
                .setUpdatedAt(at)
                .build();
    }

    public static RoutingRule rule(String type, Tier tier, String model, List<String> fallbacks, Double threshold) {
        return RoutingRule.newBuilder()
                .setTaskType(type)
                .setTier(tier)
                .setModel(model)
                .setFallbackModels(fallbacks)
                .setLocalComplexityThreshold(threshold)
                .setUpdatedAt(Instant.now())
                .build();
    }
}
