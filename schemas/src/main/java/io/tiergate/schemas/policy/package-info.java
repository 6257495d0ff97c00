/**
 * The domain rules every service must apply identically, once: the budget level a spend reaches
 * ({@link io.tiergate.schemas.policy.BudgetLevelRule}) and whether a request is sovereign
 * ({@link io.tiergate.schemas.policy.SovereigntyRule}). docs/architecture.md ("Policy order",
 * "Budget levels") is the contract these classes implement.
 *
 * <p>A sibling of {@code io.tiergate.schemas.cost}, not part of it: {@code cost} prices tokens into
 * money; these rules decide what a request may do. Pure functions over the events and exact
 * decimals: no I/O, no clock, no Kafka types.
 */
package io.tiergate.schemas.policy;
