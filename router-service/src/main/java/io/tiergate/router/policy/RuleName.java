package io.tiergate.router.policy;

/**
 * The policy rule that fired, in the order of docs/architecture.md, "Policy order" (first match
 * wins); recorded on every decision.
 */
public enum RuleName {
    SOVEREIGNTY,
    BUDGET,
    /** the client asked for a model of the price table ({@code tiergate.requested-model}) and it was honoured */
    PINNED,
    LATENCY,
    TASK_TABLE,
    CAPACITY
}
