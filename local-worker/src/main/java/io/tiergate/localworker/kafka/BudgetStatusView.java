package io.tiergate.localworker.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.tiergate.localworker.escalation.BudgetStatusCache;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.CompactedView;
import io.tiergate.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Keeps {@link BudgetStatusCache} current from the compacted {@code budget.status} (key = scope; a
 * tombstone removes the budget), as platform's {@link CompactedView}: every instance reads every
 * scope from the beginning, then follows; a schema registry outage is waited out. Starts when the
 * application has started (platform's {@code TopicProvisioning} is a context bean: the topic exists
 * by then), stops with it.
 */
@Singleton
@Requires(notEnv = Environment.CLI)
public class BudgetStatusView implements AutoCloseable {

    private final CompactedView.Builder builder;
    private volatile CompactedView view;

    public BudgetStatusView(KafkaClientSettings settings, EventDecoder decoder, BudgetStatusCache levels) {
        this.builder = CompactedView.builder(settings, decoder, settings.applicationName() + "-budget-status")
                .topic(Topics.BUDGET_STATUS, (scope, status) -> {
                    if (status == null) {
                        levels.remove(scope);
                    } else {
                        levels.update(status.getScope(), status.getLevel());
                    }
                });
    }

    @EventListener
    void onStartup(StartupEvent event) {
        view = builder.start();
    }

    @PreDestroy
    @Override
    public void close() {
        CompactedView v = view;
        if (v != null) {
            v.close();
        }
    }
}
