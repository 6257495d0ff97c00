package io.tiergate.schemas.topics;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostCenter;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OpsAuditEvent;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.ShadowAnswer;
import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.events.VirtualKey;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.topics.Topic.Cleanup;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every topic of docs/architecture.md ("Topics"), in one place: services never write a topic name
 * as a bare string.
 * Partition counts are not here: they are configuration ({@code tiergate.topics.*}).
 */
public final class Topics {

    /** Topic names as compile-time constants, for annotations ({@code @Topic(Names.X)}). */
    public static final class Names {
        public static final String INFERENCE_REQUESTS = "inference.requests";
        public static final String INFERENCE_CLASSIFIED = "inference.classified";
        public static final String TIER_LOCAL = "inference.tier.local";
        public static final String TIER_CLOUD = "inference.tier.cloud";
        public static final String INFERENCE_DEFERRED = "inference.deferred";
        public static final String INFERENCE_RESULTS = "inference.results";
        public static final String INFERENCE_COSTS = "inference.costs";
        public static final String INFERENCE_ATTEMPTS = "inference.attempts";
        public static final String INFERENCE_STREAM = "inference.stream";
        public static final String ROUTING_DECISIONS = "routing.decisions";
        public static final String ROUTING_RULES = "routing.rules";
        public static final String BUDGET_CONFIG = "budget.config";
        public static final String BUDGET_STATUS = "budget.status";
        public static final String COST_WINDOWS = "cost.windows";
        public static final String WORKER_HEALTH = "worker.health";
        public static final String ROUTING_BY_COST_CENTER = "routing.by-cost-center";
        public static final String COST_CENTERS = "cost.centers";
        public static final String OPS_AUDIT = "ops.audit";
        public static final String GATEWAY_KEYS = "gateway.keys";
        public static final String CALIBRATION_SAMPLES = "routing.calibration.samples";
        public static final String CALIBRATION = "routing.calibration";
        public static final String INFERENCE_SHADOW = "inference.shadow";
        public static final String SHADOW_ANSWERS = "inference.shadow.answers";

        private Names() {}
    }

    public static final String DLQ_SUFFIX = ".dlq";

    /** Upstream requests. Key: request id. */
    public static final Topic<InferenceRequest> INFERENCE_REQUESTS =
            new Topic<>(Names.INFERENCE_REQUESTS, InferenceRequest.class, Cleanup.DELETE);
    /** Requests with their classification. Key: request id. */
    public static final Topic<ClassifiedRequest> INFERENCE_CLASSIFIED =
            new Topic<>(Names.INFERENCE_CLASSIFIED, ClassifiedRequest.class, Cleanup.DELETE);
    /** Work for the local worker. Key: request id. */
    public static final Topic<RoutedRequest> TIER_LOCAL =
            new Topic<>(Names.TIER_LOCAL, RoutedRequest.class, Cleanup.DELETE);
    /** Work for the cloud workers. Key: request id. Sovereign requests never appear here. */
    public static final Topic<RoutedRequest> TIER_CLOUD =
            new Topic<>(Names.TIER_CLOUD, RoutedRequest.class, Cleanup.DELETE);
    /** Requests held back by an EXHAUSTED budget with onExhausted=DEFER. Key: request id. */
    public static final Topic<ClassifiedRequest> INFERENCE_DEFERRED =
            new Topic<>(Names.INFERENCE_DEFERRED, ClassifiedRequest.class, Cleanup.DELETE);
    /** One final result per request. Key: request id. */
    public static final Topic<InferenceResult> INFERENCE_RESULTS =
            new Topic<>(Names.INFERENCE_RESULTS, InferenceResult.class, Cleanup.DELETE);
    /** One cost event per attempt. Key: request id. */
    public static final Topic<CostEvent> INFERENCE_COSTS =
            new Topic<>(Names.INFERENCE_COSTS, CostEvent.class, Cleanup.DELETE);
    /**
     * Write-ahead record of every model call, durable before the call is made (docs/delivery.md,
     * "Write-ahead attempts"). Key: request id.
     */
    public static final Topic<AttemptStarted> INFERENCE_ATTEMPTS =
            new Topic<>(Names.INFERENCE_ATTEMPTS, AttemptStarted.class, Cleanup.DELETE);
    /**
     * Answers as the model produces them, for requests that asked to stream (docs/gateway.md,
     * "Streaming"). Key: request id, so a request's chunks are in order in one partition. A relay
     * for the gateway, not a record: written outside the workers' transactions, kept one hour.
     */
    public static final Topic<StreamChunk> INFERENCE_STREAM =
            new Topic<>(Names.INFERENCE_STREAM, StreamChunk.class, Cleanup.DELETE, Duration.ofHours(1));
    /** Audit of every routing decision. Key: request id. */
    public static final Topic<RoutingDecision> ROUTING_DECISIONS =
            new Topic<>(Names.ROUTING_DECISIONS, RoutingDecision.class, Cleanup.DELETE);
    /** Ops overrides of the task table. Key: task type; tombstone restores the default. */
    public static final Topic<RoutingRule> ROUTING_RULES =
            new Topic<>(Names.ROUTING_RULES, RoutingRule.class, Cleanup.COMPACT);
    /** Budgets. Key: scope (cost center or "global"); tombstone deletes. */
    public static final Topic<BudgetConfig> BUDGET_CONFIG =
            new Topic<>(Names.BUDGET_CONFIG, BudgetConfig.class, Cleanup.COMPACT);
    /** Live budget state, read by the router. Key: scope. */
    public static final Topic<BudgetStatus> BUDGET_STATUS =
            new Topic<>(Names.BUDGET_STATUS, BudgetStatus.class, Cleanup.COMPACT);
    /** Windowed spend for analysts. Key: scope|taskType|tier|model|kind|windowStart. */
    public static final Topic<CostWindow> COST_WINDOWS =
            new Topic<>(Names.COST_WINDOWS, CostWindow.class, Cleanup.DELETE);
    /** Worker capacity and circuit state, read by the router. Key: worker id. */
    public static final Topic<WorkerHealth> WORKER_HEALTH =
            new Topic<>(Names.WORKER_HEALTH, WorkerHealth.class, Cleanup.COMPACT);

    /**
     * Router-internal: classified requests re-keyed by cost center, so each cost center's budget is
     * decided by one router instance, in order (see docs/budgets.md). Key: cost center.
     */
    public static final Topic<ClassifiedRequest> ROUTING_BY_COST_CENTER =
            new Topic<>(Names.ROUTING_BY_COST_CENTER, ClassifiedRequest.class, Cleanup.DELETE);

    /**
     * The registered cost centers, managed by ops (docs/security.md, "Cost centers"). Key: cost
     * center name; a tombstone unregisters it.
     */
    public static final Topic<CostCenter> COST_CENTERS =
            new Topic<>(Names.COST_CENTERS, CostCenter.class, Cleanup.COMPACT);

    /**
     * Who changed which config record, when and why: every ops change of {@code budget.config},
     * {@code routing.rules} and {@code cost.centers}, written in the same transaction as the change
     * (docs/security.md, "Audit"). Never compacted, kept forever. Key: {@code topic/key}.
     */
    public static final Topic<OpsAuditEvent> OPS_AUDIT =
            new Topic<>(Names.OPS_AUDIT, OpsAuditEvent.class, Cleanup.DELETE, Topic.FOREVER);

    /**
     * The gateway's virtual keys (docs/gateway.md, "Virtual keys"): read in full by every gateway
     * instance. Key: the SHA-256 of the bearer token, never the token.
     */
    public static final Topic<VirtualKey> GATEWAY_KEYS =
            new Topic<>(Names.GATEWAY_KEYS, VirtualKey.class, Cleanup.COMPACT);

    /**
     * One judged shadow comparison per sampled request (docs/calibration.md). Key: {@code
     * taskType|localModel}, so one task type and model aggregate in one partition.
     */
    public static final Topic<CalibrationSample> CALIBRATION_SAMPLES =
            new Topic<>(Names.CALIBRATION_SAMPLES, CalibrationSample.class, Cleanup.DELETE);

    /**
     * Agreement per task type and local model, aggregated from the samples by the ledger
     * (docs/calibration.md). Key: {@code taskType|localModel}.
     */
    public static final Topic<CalibrationStat> CALIBRATION =
            new Topic<>(Names.CALIBRATION, CalibrationStat.class, Cleanup.COMPACT);

    /**
     * Shadow requests for the cloud workers (docs/calibration.md, "Shadow traffic"): a sample of the
     * requests the local tier served, to be answered again by a reference cloud model. A cloud topic:
     * sovereign requests never appear here. Key: request id.
     */
    public static final Topic<RoutedRequest> INFERENCE_SHADOW =
            new Topic<>(Names.INFERENCE_SHADOW, RoutedRequest.class, Cleanup.DELETE);

    /**
     * The reference model's answer to each shadow request, with the local answer, for the judges
     * (docs/calibration.md, "Judges"). Never read as a result. Key: request id.
     */
    public static final Topic<ShadowAnswer> SHADOW_ANSWERS =
            new Topic<>(Names.SHADOW_ANSWERS, ShadowAnswer.class, Cleanup.DELETE);

    /** The scope name of the one global budget. */
    public static final String GLOBAL_SCOPE = "global";

    public static final List<Topic<? extends SpecificRecord>> ALL = List.of(
            INFERENCE_REQUESTS,
            INFERENCE_CLASSIFIED,
            TIER_LOCAL,
            TIER_CLOUD,
            INFERENCE_DEFERRED,
            INFERENCE_RESULTS,
            INFERENCE_COSTS,
            INFERENCE_ATTEMPTS,
            INFERENCE_STREAM,
            ROUTING_DECISIONS,
            ROUTING_RULES,
            BUDGET_CONFIG,
            BUDGET_STATUS,
            COST_WINDOWS,
            WORKER_HEALTH,
            ROUTING_BY_COST_CENTER,
            COST_CENTERS,
            OPS_AUDIT,
            GATEWAY_KEYS,
            CALIBRATION_SAMPLES,
            CALIBRATION,
            INFERENCE_SHADOW,
            SHADOW_ANSWERS);

    /** Topics whose records go to the cloud tier: the sovereignty invariant is checked against these. */
    public static final List<Topic<RoutedRequest>> CLOUD_TOPICS = List.of(TIER_CLOUD, INFERENCE_SHADOW);

    private Topics() {}

    public static Optional<Topic<? extends SpecificRecord>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
