package io.tiergate.cloudworker.config;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.tiergate.platform.config.PropertyCheck;
import io.tiergate.worker.kafka.TierWorkerConfig;
import io.tiergate.worker.simulated.SimulationSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code tiergate.cloud-worker.*}: the runtime, the backend choice, retries, the simulation and
 * health publishing. Bound and checked at start: a property left out takes its value from
 * {@link #DEFAULTS} (the simulation's from worker-core's {@link SimulationSettings#defaults()}, the
 * drain and shutdown timeouts from its {@link TierWorkerConfig}), an
 * invalid one stops the start naming the property. Models are {@link ModelProperties}.
 *
 * @param enabled false: no worker runs (the runner's {@code @Requires} reads the property itself)
 * @param workerId null: {@code cloud-worker-<host>-<pid>}; set it stable per instance (pod name) so a
 *     restart fences its predecessor's transaction at once
 * @param groupId the consumer group on inference.tier.cloud
 * @param maxInFlight concurrent requests per instance
 * @param backend how models get their backend
 * @param connectTimeout the model HTTP client's connect timeout
 * @param revokeDrainTimeout how long a rebalance waits for the revoked partitions' requests
 * @param shutdownTimeout how long a graceful stop waits for requests in flight
 */
@Context
@ConfigurationProperties(CloudWorkerConfiguration.PREFIX)
public record CloudWorkerConfiguration(
        boolean enabled,
        @Nullable String workerId,
        String groupId,
        int maxInFlight,
        BackendMode backend,
        Duration connectTimeout,
        Duration revokeDrainTimeout,
        Duration shutdownTimeout,
        Retry retry,
        Simulation simulation,
        Health health) {

    public static final String PREFIX = "tiergate.cloud-worker";

    /** The cloud worker's defaults: what a property left out gets. */
    public static final CloudWorkerConfiguration DEFAULTS = new CloudWorkerConfiguration(
            true,
            null,
            "tiergate-cloud-worker",
            32,
            BackendMode.AUTO,
            Duration.ofSeconds(10),
            TierWorkerConfig.DEFAULT_REVOKE_DRAIN_TIMEOUT,
            TierWorkerConfig.DEFAULT_SHUTDOWN_TIMEOUT,
            Retry.DEFAULTS,
            Simulation.DEFAULTS,
            Health.DEFAULTS);

    /** How models get their backend. */
    public enum BackendMode {
        /** Real endpoints for models whose key resolves; all simulated only when no key resolves at all. */
        AUTO,
        /** Real endpoints only; a configured model without a key fails the start. */
        REAL,
        /** Every cloud model simulated (demo, load tests). */
        SIMULATED
    }

    public CloudWorkerConfiguration {
        PropertyCheck check = PropertyCheck.under(PREFIX);
        check.notBlank("group-id", groupId);
        check.positive("max-in-flight", maxInFlight);
        check.required("backend", backend);
        check.positive("connect-timeout", connectTimeout);
        check.notNegative("revoke-drain-timeout", revokeDrainTimeout);
        check.notNegative("shutdown-timeout", shutdownTimeout);
        check.required("retry", retry);
        check.required("simulation", simulation);
        check.required("health", health);
    }

    /** Binds {@code tiergate.cloud-worker.*}; what is not set comes from {@link #DEFAULTS}. */
    @ConfigurationInject
    static CloudWorkerConfiguration bind(
            Optional<Boolean> enabled,
            Optional<String> workerId,
            Optional<String> groupId,
            Optional<Integer> maxInFlight,
            Optional<BackendMode> backend,
            Optional<Duration> connectTimeout,
            Optional<Duration> revokeDrainTimeout,
            Optional<Duration> shutdownTimeout,
            Retry retry,
            Simulation simulation,
            Health health) {
        CloudWorkerConfiguration d = DEFAULTS;
        return new CloudWorkerConfiguration(
                enabled.orElse(d.enabled),
                PropertyCheck.text(workerId).orElse(d.workerId),
                PropertyCheck.text(groupId).orElse(d.groupId),
                maxInFlight.orElse(d.maxInFlight),
                backend.orElse(d.backend),
                connectTimeout.orElse(d.connectTimeout),
                revokeDrainTimeout.orElse(d.revokeDrainTimeout),
                shutdownTimeout.orElse(d.shutdownTimeout),
                retry,
                simulation,
                health);
    }

    /**
     * {@code tiergate.cloud-worker.retry.*}: retries per model (exponential backoff with full jitter,
     * a server's Retry-After as a floor) and the request's overall deadline.
     */
    @ConfigurationProperties("retry")
    public record Retry(
            int maxAttemptsPerModel,
            Duration backoffBase,
            Duration backoffMax,
            Duration maxRetryAfter,
            Duration maxRateLimitWait,
            Duration requestDeadline) {

        public static final Retry DEFAULTS = new Retry(
                3,
                Duration.ofMillis(500),
                Duration.ofSeconds(8),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofMinutes(5));

        public Retry {
            PropertyCheck check = PropertyCheck.under(PREFIX + ".retry");
            check.positive("max-attempts-per-model", maxAttemptsPerModel);
            check.notNegative("backoff-base", backoffBase);
            check.notNegative("backoff-max", backoffMax);
            if (backoffMax.compareTo(backoffBase) < 0) {
                throw check.invalid(
                        "backoff-max",
                        ">= " + check.key("backoff-base") + " (" + PropertyCheck.format(backoffBase) + ")",
                        PropertyCheck.format(backoffMax));
            }
            check.notNegative("max-retry-after", maxRetryAfter);
            check.notNegative("max-rate-limit-wait", maxRateLimitWait);
            check.positive("request-deadline", requestDeadline);
        }

        @ConfigurationInject
        static Retry bind(
                Optional<Integer> maxAttemptsPerModel,
                Optional<Duration> backoffBase,
                Optional<Duration> backoffMax,
                Optional<Duration> maxRetryAfter,
                Optional<Duration> maxRateLimitWait,
                Optional<Duration> requestDeadline) {
            Retry d = DEFAULTS;
            return new Retry(
                    maxAttemptsPerModel.orElse(d.maxAttemptsPerModel),
                    backoffBase.orElse(d.backoffBase),
                    backoffMax.orElse(d.backoffMax),
                    maxRetryAfter.orElse(d.maxRetryAfter),
                    maxRateLimitWait.orElse(d.maxRateLimitWait),
                    requestDeadline.orElse(d.requestDeadline));
        }
    }

    /** {@code tiergate.cloud-worker.simulation.*}: the simulated backend's knobs (worker-core {@link SimulationSettings}). */
    @ConfigurationProperties("simulation")
    public record Simulation(
            long seed,
            double speedUp,
            double failureRate,
            double rateLimitRate,
            long retryAfterSeconds,
            double outputJitter) {

        /** worker-core's defaults. */
        public static final Simulation DEFAULTS = of(SimulationSettings.defaults());

        public Simulation {
            PropertyCheck check = PropertyCheck.under(PREFIX + ".simulation");
            check.atLeast("speed-up", speedUp, 0.001);
            check.between("failure-rate", failureRate, 0, 1);
            check.between("rate-limit-rate", rateLimitRate, 0, 1);
            if (failureRate + rateLimitRate > 1) {
                throw check.invalid(
                        "failure-rate",
                        "<= 1 - " + check.key("rate-limit-rate") + " (" + rateLimitRate + ")",
                        failureRate);
            }
            check.notNegative("retry-after-seconds", retryAfterSeconds);
            check.between("output-jitter", outputJitter, 0, 0.99);
        }

        private static Simulation of(SimulationSettings s) {
            return new Simulation(
                    s.seed(), s.speedUp(), s.failureRate(), s.rateLimitRate(), s.retryAfterSeconds(), s.outputJitter());
        }

        @ConfigurationInject
        static Simulation bind(
                Optional<Long> seed,
                Optional<Double> speedUp,
                Optional<Double> failureRate,
                Optional<Double> rateLimitRate,
                Optional<Long> retryAfterSeconds,
                Optional<Double> outputJitter) {
            Simulation d = DEFAULTS;
            return new Simulation(
                    seed.orElse(d.seed),
                    speedUp.orElse(d.speedUp),
                    failureRate.orElse(d.failureRate),
                    rateLimitRate.orElse(d.rateLimitRate),
                    retryAfterSeconds.orElse(d.retryAfterSeconds),
                    outputJitter.orElse(d.outputJitter));
        }

        public SimulationSettings toSettings() {
            return new SimulationSettings(seed, speedUp, failureRate, rateLimitRate, retryAfterSeconds, outputJitter);
        }
    }

    /** {@code tiergate.cloud-worker.health.*}: worker.health publishing. */
    @ConfigurationProperties("health")
    public record Health(boolean publish, Duration checkEvery, Duration heartbeat) {

        public static final Health DEFAULTS = new Health(true, Duration.ofSeconds(1), Duration.ofSeconds(10));

        public Health {
            PropertyCheck check = PropertyCheck.under(PREFIX + ".health");
            check.positive("check-every", checkEvery);
            check.positive("heartbeat", heartbeat);
        }

        @ConfigurationInject
        static Health bind(Optional<Boolean> publish, Optional<Duration> checkEvery, Optional<Duration> heartbeat) {
            Health d = DEFAULTS;
            return new Health(
                    publish.orElse(d.publish), checkEvery.orElse(d.checkEvery), heartbeat.orElse(d.heartbeat));
        }
    }
}
