package io.tiergate.schemas.cost;

import io.tiergate.schemas.events.CostBreakdown;
import java.math.BigDecimal;

/**
 * A priced call: the total charged and its breakdown (the Avro {@link CostBreakdown} carried by
 * cost events). For table and TCO prices the breakdown's components sum exactly to the total; for
 * a provider-reported cost the total is the provider's figure and the components are the table's
 * estimate, kept for comparison.
 */
public record Cost(BigDecimal totalUsd, CostBreakdown breakdown) {}
