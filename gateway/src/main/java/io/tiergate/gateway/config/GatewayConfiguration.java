package io.tiergate.gateway.config;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.tiergate.platform.config.PropertyCheck;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code tiergate.gateway.*}, bound and checked at start (docs/gateway.md, "Configuration"): a
 * property left out takes its value from {@link #DEFAULTS}; an invalid value stops the start
 * naming the property.
 *
 * @param requestTimeout how long an HTTP call waits for its request's result before it is answered
 *     504 and forgotten (the request itself goes on and is billed: the result is the record of truth)
 * @param maxPending calls waiting for a result at most on one instance; beyond it a call is answered
 *     503 at once, so memory stays bounded whatever the clients do
 * @param requireKey true: every call needs a virtual key from gateway.keys; false (a trusted local
 *     setup): a call without one is billed to {@code defaultCostCenter}
 * @param defaultCostCenter the cost center of calls without a key when {@code requireKey} is false
 * @param deferRetryAfter the Retry-After a deferred request's 429 carries
 * @param startupTimeout how long start-up waits for gateway.keys to be read to its end
 */
@Context
@ConfigurationProperties(GatewayConfiguration.PREFIX)
public record GatewayConfiguration(
        Duration requestTimeout,
        int maxPending,
        boolean requireKey,
        String defaultCostCenter,
        Duration deferRetryAfter,
        Duration startupTimeout) {

    public static final String PREFIX = "tiergate.gateway";

    public static final GatewayConfiguration DEFAULTS = new GatewayConfiguration(
            Duration.ofMinutes(5), 10_000, true, "default", Duration.ofSeconds(60), Duration.ofSeconds(60));

    public GatewayConfiguration {
        PropertyCheck check = PropertyCheck.under(PREFIX);
        check.positive("request-timeout", requestTimeout);
        check.positive("max-pending", maxPending);
        check.notBlank("default-cost-center", defaultCostCenter);
        check.positive("defer-retry-after", deferRetryAfter);
        check.positive("startup-timeout", startupTimeout);
    }

    /** Binds {@code tiergate.gateway.*}; what is not set comes from {@link #DEFAULTS}. */
    @ConfigurationInject
    static GatewayConfiguration bind(
            Optional<Duration> requestTimeout,
            Optional<Integer> maxPending,
            Optional<Boolean> requireKey,
            Optional<String> defaultCostCenter,
            Optional<Duration> deferRetryAfter,
            Optional<Duration> startupTimeout) {
        GatewayConfiguration d = DEFAULTS;
        return new GatewayConfiguration(
                requestTimeout.orElse(d.requestTimeout),
                maxPending.orElse(d.maxPending),
                requireKey.orElse(d.requireKey),
                PropertyCheck.text(defaultCostCenter).orElse(d.defaultCostCenter),
                deferRetryAfter.orElse(d.deferRetryAfter),
                startupTimeout.orElse(d.startupTimeout));
    }
}
