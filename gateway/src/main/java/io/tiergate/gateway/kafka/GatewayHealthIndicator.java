package io.tiergate.gateway.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.tiergate.gateway.keys.VirtualKeys;
import io.tiergate.gateway.pending.PendingCalls;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} detail "gateway": DOWN when the reader of results or of gateway.keys stopped (the
 * instance would wait for results it can no longer see); calls waiting and keys known. Never a key.
 */
@Singleton
@Requires(beans = GatewayTopics.class)
public class GatewayHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final GatewayTopics topics;
    private final PendingCalls pending;
    private final VirtualKeys keys;

    public GatewayHealthIndicator(GatewayTopics topics, PendingCalls pending, VirtualKeys keys) {
        this.topics = topics;
        this.pending = pending;
        this.keys = keys;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> info = new LinkedHashMap<>();
        try {
            topics.check();
            healthStatus = HealthStatus.UP;
        } catch (IllegalStateException e) {
            healthStatus = HealthStatus.DOWN;
            info.put("error", e.getMessage());
        }
        info.put("pendingCalls", pending.size());
        info.put("keysKnown", keys.size());
        return info;
    }

    @Override
    protected String getName() {
        return "gateway";
    }
}
