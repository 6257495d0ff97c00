package io.tiergate.localworker.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.tiergate.localworker.config.LocalWorkerConfiguration;
import io.tiergate.localworker.cost.LocalAttemptPricer;
import io.tiergate.localworker.health.LocalHealthReporter;
import io.tiergate.localworker.serve.LocalRequestHandler;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.kafka.FaultInjection;
import io.tiergate.worker.kafka.TierWorker;
import io.tiergate.worker.kafka.TierWorkerConfig;
import io.tiergate.worker.runtime.BudgetBoard;
import io.tiergate.worker.shadow.ShadowPlan;
import io.tiergate.worker.shadow.ShadowingHandler;
import io.tiergate.worker.work.WorkEnvironment;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Consumes {@code inference.tier.local} with worker-core's {@link TierWorker}: bounded in-flight
 * requests, results / cost events / hand-offs (and the shadows of sampled served requests,
 * docs/calibration.md) published in one transaction with the offset,
 * undecodable records to {@code inference.tier.local.dlq}. Starts when the application has started
 * (platform's {@code TopicProvisioning} is a context bean: the topics exist by then), stops
 * gracefully with it.
 */
@Singleton
@Requires(notEnv = Environment.CLI)
public class LocalTierWorker implements AutoCloseable {

    private final TierWorker worker;
    private final LocalHealthReporter health;

    public LocalTierWorker(
            KafkaClientSettings settings,
            LocalWorkerConfiguration config,
            LocalAttemptPricer pricer,
            LocalRequestHandler handler,
            InboundRecords inbound,
            MeterRegistry meters,
            LocalHealthReporter health,
            BudgetBoard budgets,
            ShadowPlan shadow) {
        TierWorkerConfig workerConfig = TierWorkerConfig.builder(
                        config.workerId(), config.groupId(), inputTopic(config.inputTopic()))
                .maxInFlight(config.maxInFlight())
                .staticMembership() // worker-id is configured (default local-worker-1): stable across restarts
                .build();
        this.worker = new TierWorker(
                settings,
                workerConfig,
                WorkEnvironment.of(Tier.LOCAL, config.workerId(), pricer),
                // a sampled served request also goes to inference.shadow, in the same transaction
                new ShadowingHandler(handler, shadow, meters),
                inbound,
                meters,
                FaultInjection.NONE,
                budgets);
        this.health = health;
    }

    private static Topic<RoutedRequest> inputTopic(String name) {
        return name.equals(Topics.TIER_LOCAL.name())
                ? Topics.TIER_LOCAL
                : new Topic<>(name, RoutedRequest.class, Topic.Cleanup.DELETE);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        worker.start();
        health.start();
    }

    public TierWorker worker() {
        return worker;
    }

    @PreDestroy
    @Override
    public void close() {
        worker.close();
        health.close();
    }
}
