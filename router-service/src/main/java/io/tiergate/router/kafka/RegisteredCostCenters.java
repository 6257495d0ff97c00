package io.tiergate.router.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.CompactedView;
import io.tiergate.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered cost centers ({@code cost.centers}, compacted), followed by every router instance
 * in full (a {@link CompactedView}, read committed: the CLI writes it in transactions with its
 * audit records). {@link #current} answers only once the topic has been read to the end seen at
 * start, so no request is checked against a half-read registry.
 */
@Singleton
@Requires(notEnv = Environment.CLI)
public class RegisteredCostCenters implements AutoCloseable {

    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final CompactedView view;

    public RegisteredCostCenters(KafkaClientSettings client, EventDecoder decoder) {
        this.view = CompactedView.builder(client, decoder, "tiergate-router-cost-centers-" + UUID.randomUUID())
                .topic(Topics.COST_CENTERS, (name, center) -> {
                    if (name == null) {
                        return;
                    }
                    if (center == null) {
                        names.remove(name);
                    } else {
                        names.add(name);
                    }
                })
                .start();
    }

    /**
     * The registered names.
     *
     * @throws IllegalStateException when the topic has not been read to its end within {@code
     *     timeout} (the caller's batch is retried)
     */
    public Set<String> current(Duration timeout) {
        try {
            if (!view.awaitCaughtUp(timeout)) {
                throw new IllegalStateException(Topics.COST_CENTERS.name() + " not read to its end within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + Topics.COST_CENTERS.name(), e);
        }
        return Set.copyOf(names);
    }

    @PreDestroy
    @Override
    public void close() {
        view.close();
    }
}
