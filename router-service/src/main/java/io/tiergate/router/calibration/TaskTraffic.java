package io.tiergate.router.calibration;

import io.tiergate.schemas.events.TaskType;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The recorded traffic of one task type over the recommendation's look-back (30 days by default),
 * from {@code inference.costs}: what {@link Recommender} prices a move with. Shadow and judge calls
 * are calibration's own cost, not traffic, and are left out.
 *
 * @param localAttempts local-tier attempts (what moving the type up would send to the cloud)
 * @param localCostUsd their recorded cost (local TCO)
 * @param localInputTokens input tokens of the local attempts (what a cloud model would be billed for)
 * @param localOutputTokens their output tokens
 * @param cloudAttempts cloud-tier attempts (what moving the type down would keep local)
 * @param cloudCostUsd their recorded cost
 * @param from the oldest event counted (of all types); null when none
 * @param to the newest
 */
public record TaskTraffic(
        TaskType taskType,
        long requests,
        long localAttempts,
        BigDecimal localCostUsd,
        long localInputTokens,
        long localOutputTokens,
        long cloudAttempts,
        BigDecimal cloudCostUsd,
        Instant from,
        Instant to) {}
