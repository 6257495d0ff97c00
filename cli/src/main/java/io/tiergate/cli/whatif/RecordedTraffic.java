package io.tiergate.cli.whatif;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.TopicSnapshot;
import io.tiergate.router.rules.InvalidRuleException;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A run's recorded traffic, read once from the cluster with the platform's {@link TopicSnapshot}
 * (each topic to its end offsets at the start, {@code read_committed}): {@code inference.classified},
 * {@code routing.decisions}, {@code inference.costs}, {@code inference.results}, and the budgets
 * ({@code budget.config}) and rule overrides ({@code routing.rules}) in force at the end.
 *
 * <p>A request is replayable when it has a classification and a decision; its first classification,
 * first decision and first result count (a redelivered copy is a duplicate), and each {@code
 * (requestId, attempt)} cost once, as the ledger counts it. Records that do not decode are counted
 * and left out.
 *
 * @param requests the replayable requests made in [from, to)
 * @param budgets the latest budget of each scope
 * @param undecided requests in the window classified but never decided (lost, or still in flight)
 * @param undecodable records that did not decode
 * @param calibration {@code routing.calibration} by key, when asked for (else empty)
 */
public record RecordedTraffic(
        List<RecordedRequest> requests,
        Map<String, BudgetConfig> budgets,
        int undecided,
        int undecodable,
        Map<String, CalibrationStat> calibration) {

    /**
     * Reads the topics; applies the {@code routing.rules} overrides, in order, to {@code rules} (an
     * invalid one is skipped, as the routers skip it).
     *
     * @param from first request time included (null: no bound)
     * @param to first request time excluded (null: no bound)
     * @param calibration also read {@code routing.calibration} (for {@code --shadow-evidence})
     */
    public static RecordedTraffic read(
            KafkaClientSettings settings,
            Instant from,
            Instant to,
            RulesBook rules,
            boolean calibration,
            Duration timeout) {
        EventDecoder decoder = new EventDecoder(settings);
        Map<String, ClassifiedRequest> classified = new LinkedHashMap<>();
        Map<String, RoutingDecision> decisions = new HashMap<>();
        Map<String, Map<Integer, CostEvent>> costs = new HashMap<>();
        Map<String, InferenceResult> results = new HashMap<>();
        Map<String, BudgetConfig> budgets = new TreeMap<>();
        Map<String, CalibrationStat> stats = new TreeMap<>();
        int[] undecodable = {0};
        ReadSpec spec = ReadSpec.of("tiergate-cli-whatif-" + UUID.randomUUID())
                .topic(Topics.INFERENCE_CLASSIFIED.name())
                .topic(Topics.ROUTING_DECISIONS.name())
                .topic(Topics.INFERENCE_COSTS.name())
                .topic(Topics.INFERENCE_RESULTS.name())
                .topic(Topics.BUDGET_CONFIG.name())
                .topic(Topics.ROUTING_RULES.name())
                .maxPollRecords(5000)
                .metadataTimeout(timeout);
        if (calibration) {
            spec.topic(Topics.CALIBRATION.name());
        }
        TopicSnapshot.read(settings, spec, timeout, record -> {
            try {
                accept(record, decoder, classified, decisions, costs, results, budgets, rules, stats);
            } catch (EventDecoder.DecodeException e) {
                undecodable[0]++;
            }
        });
        List<RecordedRequest> requests = new ArrayList<>();
        int undecided = 0;
        for (ClassifiedRequest c : classified.values()) {
            Instant created = c.getRequest().getCreatedAt();
            if ((from != null && created.isBefore(from)) || (to != null && !created.isBefore(to))) {
                continue;
            }
            String id = c.getRequest().getRequestId();
            RoutingDecision decision = decisions.get(id);
            if (decision == null) {
                undecided++;
                continue;
            }
            requests.add(new RecordedRequest(
                    c,
                    decision,
                    new ArrayList<>(costs.getOrDefault(id, Map.of()).values()),
                    results.get(id)));
        }
        return new RecordedTraffic(
                List.copyOf(requests), Map.copyOf(budgets), undecided, undecodable[0], Map.copyOf(stats));
    }

    private static void accept(
            ConsumerRecord<String, byte[]> record,
            EventDecoder decoder,
            Map<String, ClassifiedRequest> classified,
            Map<String, RoutingDecision> decisions,
            Map<String, Map<Integer, CostEvent>> costs,
            Map<String, InferenceResult> results,
            Map<String, BudgetConfig> budgets,
            RulesBook rules,
            Map<String, CalibrationStat> stats) {
        switch (record.topic()) {
            case Topics.Names.INFERENCE_CLASSIFIED -> {
                ClassifiedRequest c = decoder.decode(Topics.INFERENCE_CLASSIFIED, record);
                if (c != null) {
                    classified.putIfAbsent(c.getRequest().getRequestId(), c);
                }
            }
            case Topics.Names.ROUTING_DECISIONS -> {
                RoutingDecision d = decoder.decode(Topics.ROUTING_DECISIONS, record);
                if (d != null) {
                    decisions.putIfAbsent(d.getRequestId(), d);
                }
            }
            case Topics.Names.INFERENCE_COSTS -> {
                CostEvent e = decoder.decode(Topics.INFERENCE_COSTS, record);
                if (e != null) {
                    costs.computeIfAbsent(e.getRequestId(), k -> new TreeMap<>())
                            .putIfAbsent(e.getAttempt(), e);
                }
            }
            case Topics.Names.INFERENCE_RESULTS -> {
                InferenceResult r = decoder.decode(Topics.INFERENCE_RESULTS, record);
                if (r != null) {
                    results.putIfAbsent(r.getRequestId(), r);
                }
            }
            case Topics.Names.BUDGET_CONFIG -> {
                BudgetConfig b = decoder.decode(Topics.BUDGET_CONFIG, record);
                if (b == null) {
                    budgets.remove(record.key());
                } else {
                    budgets.put(record.key() != null ? record.key() : b.getScope(), b);
                }
            }
            case Topics.Names.ROUTING_RULES -> {
                try {
                    rules.apply(record.key(), decoder.decode(Topics.ROUTING_RULES, record));
                } catch (InvalidRuleException e) {
                    // the routers keep the last good table too
                }
            }
            case Topics.Names.CALIBRATION -> {
                CalibrationStat stat = decoder.decode(Topics.CALIBRATION, record);
                if (stat == null) {
                    stats.remove(record.key());
                } else {
                    stats.put(ShadowEvidence.key(stat.getTaskType(), stat.getLocalModel()), stat);
                }
            }
            default -> {}
        }
    }
}
