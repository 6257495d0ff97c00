package io.tiergate.cli.demo;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.CompactedView;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicFollower;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.policy.SovereigntyRule;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows one demo run through every topic (read_committed, from the ends of the topics as they
 * were when the tracker started), keeping per-request facts: classified, routed (tier, time),
 * deferred, results, cost events (deduplicated by request and attempt), and budget levels.
 */
public final class PipelineTracker implements AutoCloseable {

    /** What happened to one request. */
    public static final class RequestState {
        public ClassifiedRequest classified;
        /** When the classifier published its classification (the record's timestamp), or -1. */
        public long classifiedAtMs = -1;

        public long routedAtMs = -1;
        /** The policy rule that fired for the first routing (SOVEREIGNTY, BUDGET, LATENCY, TASK_TABLE, CAPACITY, ...). */
        public String rule;
        /** The budget level the first routing decision saw. */
        public BudgetLevel budgetLevel;

        public final Set<String> tiersSeen = new LinkedHashSet<>();
        public boolean deferred;
        public final List<InferenceResult> results = new ArrayList<>();
        public final Map<Integer, CostEvent> costsByAttempt = new HashMap<>();

        /** What this request cost: its cost events, one per attempt, summed exactly. */
        public BigDecimal cost() {
            BigDecimal total = Money.ZERO;
            for (CostEvent c : costsByAttempt.values()) {
                total = total.add(c.getCostUsd());
            }
            return total;
        }

        /** What counts against a budget by default: every tier but LOCAL (docs/ledger.md, "budgets count cloud spend"). */
        public BigDecimal cloudCost() {
            BigDecimal total = Money.ZERO;
            for (CostEvent c : costsByAttempt.values()) {
                if (c.getTier() != Tier.LOCAL) {
                    total = total.add(c.getCostUsd());
                }
            }
            return total;
        }
    }

    private static final List<Topic<?>> FOLLOWED = List.of(
            Topics.INFERENCE_CLASSIFIED,
            Topics.TIER_LOCAL,
            Topics.TIER_CLOUD,
            Topics.INFERENCE_DEFERRED,
            Topics.INFERENCE_RESULTS,
            Topics.INFERENCE_COSTS);

    private final String runPrefix;
    private final Map<Class<?>, AvroDeserializer<?>> decoders = new HashMap<>();
    private final Map<String, RequestState> requests = new HashMap<>();
    private final Set<BudgetLevel> levelsSeen = new LinkedHashSet<>();
    private final Map<String, BudgetStatus> latestStatus = new HashMap<>();
    private int sovereignOnCloud;
    private final TopicFollower follower;
    private final CompactedView statuses;

    public PipelineTracker(String bootstrap, String registryUrl, String runPrefix) {
        this.runPrefix = runPrefix;
        for (Topic<?> topic : FOLLOWED) {
            AvroDeserializer<?> d = new AvroDeserializer<>();
            d.configure(
                    Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, SerdeConfig.VALUE_TYPE, topic.valueType()),
                    false);
            decoders.put(topic.valueType(), d);
        }
        KafkaClientSettings settings = new KafkaClientSettings(bootstrap, registryUrl, "tiergate-demo");
        this.statuses = CompactedView.builder(settings, new EventDecoder(settings), "tiergate-demo-budget-status")
                .topic(Topics.BUDGET_STATUS, this::status)
                .start();
        this.follower = TopicFollower.start(
                settings,
                ReadSpec.of("tiergate-demo-tracker")
                        .topics(FOLLOWED.stream().map(Topic::name).toList(), StartAt.end())
                        .handleWhileHolding(this),
                this::handle);
    }

    private synchronized void status(String scope, BudgetStatus status) {
        if (status != null) {
            levelsSeen.add(status.getLevel());
            latestStatus.put(status.getScope(), status);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        String topic = record.topic();
        String key = record.key();
        if (key == null || !key.startsWith(runPrefix)) {
            return; // another run's traffic
        }
        RequestState state = requests.computeIfAbsent(key, k -> new RequestState());
        if (topic.equals(Topics.INFERENCE_CLASSIFIED.name())) {
            state.classified = decode(Topics.INFERENCE_CLASSIFIED, record);
            if (state.classifiedAtMs < 0) {
                state.classifiedAtMs = record.timestamp();
            }
        } else if (topic.equals(Topics.TIER_LOCAL.name()) || topic.equals(Topics.TIER_CLOUD.name())) {
            RoutedRequest routed = decode(Topics.TIER_LOCAL, record);
            boolean cloud = topic.equals(Topics.TIER_CLOUD.name());
            state.tiersSeen.add(cloud ? "CLOUD" : "LOCAL");
            if (state.routedAtMs < 0 && routed.getAttempt() == 1) {
                state.routedAtMs = record.timestamp();
                state.rule = routed.getDecision().getRule();
                state.budgetLevel = routed.getDecision().getBudgetLevel();
            }
            if (cloud && SovereigntyRule.isSovereign(routed.getClassified())) {
                sovereignOnCloud++;
            }
        } else if (topic.equals(Topics.INFERENCE_DEFERRED.name())) {
            state.deferred = true;
        } else if (topic.equals(Topics.INFERENCE_RESULTS.name())) {
            state.results.add(decode(Topics.INFERENCE_RESULTS, record));
        } else if (topic.equals(Topics.INFERENCE_COSTS.name())) {
            CostEvent cost = decode(Topics.INFERENCE_COSTS, record);
            state.costsByAttempt.putIfAbsent(cost.getAttempt(), cost);
        }
    }

    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> V decode(Topic<V> topic, ConsumerRecord<String, byte[]> record) {
        return ((AvroDeserializer<V>) decoders.get(topic.valueType())).deserialize(record.topic(), record.value());
    }

    /** A consistent copy of what is known now. */
    public synchronized Snapshot snapshot() {
        follower.check();
        statuses.check();
        int classified = 0;
        int routed = 0;
        int completed = 0;
        int deferredWaiting = 0;
        BigDecimal spend = BigDecimal.ZERO;
        BigDecimal cloudSpend = BigDecimal.ZERO;
        for (RequestState s : requests.values()) {
            if (s.classified != null) classified++;
            if (!s.tiersSeen.isEmpty() || s.deferred || !s.results.isEmpty()) routed++;
            if (!s.results.isEmpty()) completed++;
            else if (s.deferred) deferredWaiting++;
            spend = spend.add(s.cost());
            cloudSpend = cloudSpend.add(s.cloudCost());
        }
        return new Snapshot(
                classified,
                routed,
                completed,
                deferredWaiting,
                spend,
                cloudSpend,
                Map.copyOf(latestStatus),
                Set.copyOf(levelsSeen),
                sovereignOnCloud);
    }

    /** Progress counters at one moment. */
    public record Snapshot(
            int classified,
            int routed,
            int completed,
            int deferredWaiting,
            BigDecimal spendUsd,
            BigDecimal cloudSpendUsd,
            Map<String, BudgetStatus> statusByScope,
            Set<BudgetLevel> levelsSeen,
            int sovereignOnCloud) {}

    /** The per-request facts (a copy of the map; call after the run has drained). */
    public synchronized Map<String, RequestState> requests() {
        return Map.copyOf(requests);
    }

    @Override
    public void close() {
        follower.close();
        statuses.close();
    }
}
