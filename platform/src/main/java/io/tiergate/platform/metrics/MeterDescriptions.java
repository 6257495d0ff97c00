package io.tiergate.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The HELP text of the tiergate meters registered with a registry shortcut ({@code registry.counter(name,
 * tags)}) that carries none: Prometheus' {@code promtool check metrics} flags a metric without one, and an
 * operator reading {@code /prometheus} should not have to find the code. A meter built with its own
 * {@code description(...)} keeps it. Every service has this filter (platform); a new meter is described at
 * its builder, or here when it is registered with a shortcut.
 */
@Singleton
public class MeterDescriptions implements MeterFilter {

    /** Meter name (Micrometer's dotted form) to HELP text. */
    static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("tiergate.dlq.records", "Records sent to a topic's .dlq twin (undecodable or invalid), by topic"),
            Map.entry(
                    "tiergate.shadow.requests",
                    "Served local requests shadowed to inference.shadow for a reference answer, by task type"),
            Map.entry(
                    "tiergate.shadow.refused.sovereign",
                    "Shadows refused because the request is sovereign (defence in depth; must stay 0)"),
            Map.entry("tiergate.shadow.answered", "Shadow requests the reference model answered, by task type"),
            Map.entry("tiergate.shadow.failed", "Shadow calls that failed (billed, no answer), by task type"),
            Map.entry(
                    "tiergate.shadow.skipped",
                    "Shadow requests not called, by why (budget, rate_limit, circuit, no_model)"),
            Map.entry(
                    "tiergate.router.cost-centers.unregistered",
                    "Requests whose cost center is not registered, by action (charged-default or rejected)"),
            Map.entry(
                    "tiergate.cloud-worker.budget.refused",
                    "Retry, fallback or escalation calls not made because their worst case did not fit the budget"),
            Map.entry("tiergate.ledger.duplicates", "Cost events counted before (same request and attempt), skipped"),
            Map.entry(
                    "tiergate.ledger.budget.before.period",
                    "Cost events dated before the scope's current budget period, by scope"),
            Map.entry("tiergate.ledger.anomaly", "1 while the scope's spend rate is flagged anomalous"),
            Map.entry("tiergate.ledger.anomaly.raised", "Times a scope's spend rate became anomalous"),
            Map.entry(
                    "tiergate.ledger.budget.level",
                    "Budget level per scope: 0 NORMAL, 1 CONSERVE, 2 CRITICAL_ONLY, 3 EXHAUSTED"),
            Map.entry(
                    "tiergate.ledger.budget.utilization",
                    "Budgeted spend over its limit per scope (the highest of the periods with a limit)"),
            Map.entry("tiergate.ledger.status.published", "budget.status records published"),
            Map.entry(
                    "tiergate.cloud-worker.sovereign.refused",
                    "Sovereign requests refused by the cloud worker (defence in depth; must stay 0)"),
            Map.entry(
                    "tiergate.cloud-worker.cost-ceiling.stopped",
                    "Requests stopped because one more call could pass their cost ceiling"),
            Map.entry("tiergate.cloud-worker.rate-limit.wait", "Time waited for a model's own rate limit, by model"),
            Map.entry("tiergate.local-worker.kept.local", "Requests kept local instead of escalated, by why"),
            Map.entry(
                    "tiergate.local-worker.escalations", "Requests handed from the local to the cloud tier, by reason"),
            Map.entry(
                    "tiergate.local-worker.quality.rejections",
                    "Local answers that failed their check (not JSON, not a label), by task type"),
            Map.entry(
                    "tiergate.router.reservations.expired",
                    "Reservations dropped because no cost event came within the reservation timeout"),
            Map.entry("tiergate.router.deferred.released", "Deferred requests released to routing again"),
            Map.entry("tiergate.router.deferred.rejected", "Deferred requests answered REJECTED, by reason"),
            Map.entry("tiergate.router.deferred.lost", "Deferred requests that could not be held or released"),
            Map.entry("tiergate.worker.in.flight", "Requests this worker has started and not committed"),
            Map.entry("tiergate.worker.transactions", "Worker transactions, by tier and result (committed, aborted)"),
            Map.entry("tiergate.worker.requests", "Requests whose outputs a worker committed, by tier and outcome"),
            Map.entry("tiergate.worker.attempts", "Model calls, by tier, model, reason and success"),
            Map.entry("tiergate.worker.attempt.latency", "Duration of one model call, by tier and model"),
            Map.entry(
                    "tiergate.worker.cost.usd",
                    "Billed USD by tier and model (approximate; the exact figure is each cost event's decimal)"),
            Map.entry(
                    "tiergate.worker.duplicates.skipped",
                    "Records not served because an earlier record of the same request was"),
            Map.entry(
                    "tiergate.worker.attempts.in.doubt",
                    "Attempts a dead worker left open, billed in doubt at their worst case"),
            Map.entry("tiergate.worker.partitions.revoked", "Partitions revoked from this worker in rebalances"),
            Map.entry("tiergate.worker.partitions.lost", "Partitions this worker lost without a clean revoke"));

    /** The HELP text this filter gives a meter of that name registered without one. */
    public static java.util.Optional<String> help(String meterName) {
        return java.util.Optional.ofNullable(HELP.get(meterName));
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null && !id.getDescription().isBlank()) {
            return id;
        }
        String help = HELP.get(id.getName());
        if (help == null) {
            return id;
        }
        return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), help, id.getType());
    }
}
