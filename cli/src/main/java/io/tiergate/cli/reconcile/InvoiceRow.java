package io.tiergate.cli.reconcile;

import io.tiergate.schemas.cost.TokenUsage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of a provider's usage export, normalised: the UTC day, the model as the provider names
 * it, the tokens ({@link TokenUsage}: uncached input, output, cached read, cache write), the cost in
 * USD when the export carries money (at nano-dollar scale) and the request count when it has one.
 *
 * @param line the row's line in the file, for messages about it
 */
public record InvoiceRow(
        int line,
        LocalDate day,
        String model,
        TokenUsage tokens,
        Optional<BigDecimal> costUsd,
        OptionalLong requests) {}
