package io.tiergate.router.policy;

/**
 * The policy rule that fired, in the order of docs/architecture.md, "Policy order" (first match
 * wins); recorded on every decision.
 */
public enum RuleName {
    SOVEREIGNTY,
    BUDGET,
    LATENCY,
    TASK_TABLE,
    CAPACITY
}
