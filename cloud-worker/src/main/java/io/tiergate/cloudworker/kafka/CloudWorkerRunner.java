package io.tiergate.cloudworker.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.tiergate.cloudworker.config.CloudWorkerConfiguration;
import io.tiergate.cloudworker.serve.CloudModels;
import io.tiergate.cloudworker.serve.CloudRequestHandler;
import io.tiergate.cloudworker.serve.ServingModel;
import io.tiergate.cloudworker.serve.ShadowRequestHandler;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.TopicProvisioning;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.health.HealthSnapshot;
import io.tiergate.worker.health.WorkerHealthPublisher;
import io.tiergate.worker.kafka.FaultInjection;
import io.tiergate.worker.kafka.TierWorker;
import io.tiergate.worker.kafka.TierWorkerConfig;
import io.tiergate.worker.runtime.BudgetBoard;
import io.tiergate.worker.work.AttemptPricer;
import io.tiergate.worker.work.WorkEnvironment;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cloud tier: one {@link TierWorker} on {@code inference.tier.cloud} in group
 * {@code tiergate-cloud-worker} (scale out by starting more instances), serving with
 * {@link CloudRequestHandler}, and publishing this instance's health to {@code worker.health}; and a
 * second one on {@code inference.shadow} in group {@code <group-id>-shadow}, answering shadow
 * requests with {@link ShadowRequestHandler} (docs/calibration.md, "Shadow traffic";
 * {@code tiergate.cloud-worker.shadow.enabled=false} turns it off).
 */
@Context
@Requires(notEnv = Environment.CLI)
@Requires(property = "tiergate.cloud-worker.enabled", notEquals = "false")
public class CloudWorkerRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CloudWorkerRunner.class);

    private final TierWorker worker;
    private final TierWorker shadowWorker; // null: shadow traffic not served here
    private final WorkerHealthPublisher health;
    private final CloudWorkerConfiguration config;
    private final CloudModels models;

    public CloudWorkerRunner(
            CloudWorkerConfiguration config,
            @Named("cloudWorkerId") String workerId,
            KafkaClientSettings settings,
            InboundRecords inbound,
            EventPublisher publisher,
            MeterRegistry meters,
            CloudModels models,
            CloudRequestHandler handler,
            ShadowRequestHandler shadowHandler,
            AttemptPricer pricer,
            Optional<TopicProvisioning> topicsProvisioned,
            @Value("${tiergate.cloud-worker.shadow.enabled:true}") boolean shadowEnabled,
            @Value("${tiergate.cloud-worker.shadow.max-in-flight:4}") int shadowMaxInFlight) {
        this.config = config;
        this.models = models;
        TierWorkerConfig.Builder builder = TierWorkerConfig.builder(workerId, config.groupId(), Topics.TIER_CLOUD)
                .maxInFlight(config.maxInFlight())
                .revokeDrainTimeout(config.revokeDrainTimeout())
                .shutdownTimeout(config.shutdownTimeout());
        if (config.workerId() != null) {
            builder.staticMembership(); // a configured id is stable across restarts; host-pid ids are not
        }
        TierWorkerConfig workerConfig = builder.build();
        // retries, fallbacks and escalations are admitted against budget.status (docs/budgets.md, "Every paid call
        // reserved")
        this.worker = new TierWorker(
                settings,
                workerConfig,
                WorkEnvironment.of(Tier.CLOUD, workerId, pricer),
                handler,
                inbound,
                meters,
                FaultInjection.NONE,
                new BudgetBoard(Clock.systemUTC(), workerConfig.attemptsMemory()));
        // shadow requests: their own group and transactional id (under the cloud worker's prefix), their own
        // budget view; the shadow scope's budget is their daily cap (docs/calibration.md)
        if (shadowEnabled) {
            TierWorkerConfig.Builder shadow = TierWorkerConfig.builder(
                            workerId + "-shadow", config.groupId() + "-shadow", Topics.INFERENCE_SHADOW)
                    .maxInFlight(shadowMaxInFlight)
                    .revokeDrainTimeout(config.revokeDrainTimeout())
                    .shutdownTimeout(config.shutdownTimeout());
            if (config.workerId() != null) {
                shadow.staticMembership();
            }
            TierWorkerConfig shadowConfig = shadow.build();
            this.shadowWorker = new TierWorker(
                    settings,
                    shadowConfig,
                    WorkEnvironment.of(Tier.CLOUD, workerId + "-shadow", pricer),
                    shadowHandler,
                    inbound,
                    meters,
                    FaultInjection.NONE,
                    new BudgetBoard(Clock.systemUTC(), shadowConfig.attemptsMemory()));
        } else {
            this.shadowWorker = null;
        }
        this.health = config.health().publish() ? new WorkerHealthPublisher(publisher, workerId, Tier.CLOUD) : null;
        topicsProvisioned.ifPresent(t -> LOG.debug("topics provisioned before the worker starts"));
    }

    @PostConstruct
    void start() {
        worker.start();
        if (shadowWorker != null) {
            shadowWorker.start();
        }
        if (health != null) {
            health.start(
                    this::snapshot,
                    config.health().checkEvery(),
                    config.health().heartbeat());
        }
    }

    /** In flight vs. the bound; circuit OPEN only when every model's breaker is open. */
    HealthSnapshot snapshot() {
        return new HealthSnapshot(worker.inFlight(), worker.maxInFlight(), circuit());
    }

    public CircuitState circuit() {
        boolean anyClosed = false;
        boolean anyHalfOpen = false;
        for (ServingModel m : models.all()) {
            switch (m.breaker().getState()) {
                case CLOSED, DISABLED, METRICS_ONLY -> anyClosed = true;
                case HALF_OPEN -> anyHalfOpen = true;
                default -> {
                    // OPEN, FORCED_OPEN
                }
            }
        }
        if (anyClosed) {
            return CircuitState.CLOSED;
        }
        return anyHalfOpen ? CircuitState.HALF_OPEN : CircuitState.OPEN;
    }

    public TierWorker worker() {
        return worker;
    }

    @PreDestroy
    void stop() {
        worker.close();
        if (shadowWorker != null) {
            shadowWorker.close();
        }
        if (health != null) {
            health.close();
        }
    }
}
