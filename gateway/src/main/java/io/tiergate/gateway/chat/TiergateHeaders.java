package io.tiergate.gateway.chat;

/**
 * tiergate's own request fields, sent as HTTP headers beside OpenAI's body (docs/gateway.md,
 * "Headers"); each value as the client sent it, null when absent.
 */
public record TiergateHeaders(String costCenter, String taskType, String sovereign, String latencyBudgetMs) {

    public static final String COST_CENTER = "x-tiergate-cost-center";
    public static final String TASK_TYPE = "x-tiergate-task-type";
    public static final String SOVEREIGN = "x-tiergate-sovereign";
    public static final String LATENCY_BUDGET_MS = "x-tiergate-latency-budget-ms";
    /** Response headers: what answered the call (docs/gateway.md, "Responses"). */
    public static final String REQUEST_ID = "x-tiergate-request-id";

    public static final String TIER = "x-tiergate-tier";
    public static final String MODEL = "x-tiergate-model";
    public static final String RULE = "x-tiergate-rule";
    public static final String COST_USD = "x-tiergate-cost-usd";

    public static final TiergateHeaders NONE = new TiergateHeaders(null, null, null, null);
}
