package io.tiergate.localworker.config;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.tiergate.localworker.endpoint.BackendMode;
import io.tiergate.platform.config.PropertyCheck;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.simulated.SimulationSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code tiergate.local-worker.*}: how the local worker consumes, how much it takes at once, when
 * its circuit opens, where escalations go. Bound and checked at start: a property left out takes its
 * value from {@link #DEFAULTS} (the simulation's from worker-core's {@link SimulationSettings#defaults()}),
 * an invalid one stops the start naming the property. Endpoints are {@link LocalEndpointConfiguration}.
 *
 * @param workerId unique among live instances, stable across restarts (part of the transactional id)
 * @param groupId the consumer group on the tier topic
 * @param inputTopic the tier topic consumed; another name only to isolate test runs on a shared broker
 * @param backend how the worker finds its local model
 * @param defaultEndpoint the endpoint serving models that no endpoint lists
 * @param defaultCloudModel escalation target when the decision names no cloud fallback
 * @param streams local calls running at once (a consumer GPU serves one stream well)
 * @param queueLimit requests waiting for a stream before overflow escalates
 * @param holdMaxWait how long work that may not leave the machine waits for a queue place or the circuit
 * @param maxInFlight requests the worker runtime holds at once (running, queued or held back)
 * @param probeTimeout how long the start-up probe of an endpoint waits
 * @param priceTable a price-table file; null: the one shipped in the schemas jar
 * @param circuitFailureThreshold consecutive failures that open the circuit
 * @param circuitOpenDuration how long the circuit stays open before one trial call
 * @param healthCheckEvery how often worker.health is checked for a change
 * @param healthHeartbeat worker.health is published at least this often
 * @param simulationSpeedUp simulated backend: wall time = modelled time / speed-up
 * @param simulationSeed simulated backend: the seed of its token counts, jitter and failures
 * @param simulationFailureRate simulated backend: probability of a 503 per call
 */
@Context
@ConfigurationProperties(LocalWorkerConfiguration.PREFIX)
public record LocalWorkerConfiguration(
        String workerId,
        String groupId,
        String inputTopic,
        BackendMode backend,
        String defaultEndpoint,
        String defaultCloudModel,
        int streams,
        int queueLimit,
        Duration holdMaxWait,
        int maxInFlight,
        Duration probeTimeout,
        @Nullable String priceTable,
        int circuitFailureThreshold,
        Duration circuitOpenDuration,
        Duration healthCheckEvery,
        Duration healthHeartbeat,
        double simulationSpeedUp,
        long simulationSeed,
        double simulationFailureRate) {

    public static final String PREFIX = "tiergate.local-worker";

    /** The local worker's defaults: what a property left out gets. */
    public static final LocalWorkerConfiguration DEFAULTS = new LocalWorkerConfiguration(
            "local-worker-1",
            "tiergate-local-worker",
            Topics.Names.TIER_LOCAL,
            BackendMode.AUTO,
            "ollama",
            "anthropic/claude-haiku-4.5",
            1,
            4,
            Duration.ofMinutes(2),
            8,
            Duration.ofMillis(500),
            null,
            5,
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            SimulationSettings.defaults().speedUp(),
            SimulationSettings.defaults().seed(),
            SimulationSettings.defaults().failureRate());

    public LocalWorkerConfiguration {
        PropertyCheck check = PropertyCheck.under(PREFIX);
        check.notBlank("worker-id", workerId);
        check.notBlank("group-id", groupId);
        check.notBlank("input-topic", inputTopic);
        check.required("backend", backend);
        check.notBlank("default-endpoint", defaultEndpoint);
        check.notBlank("default-cloud-model", defaultCloudModel);
        check.positive("streams", streams);
        check.notNegative("queue-limit", queueLimit);
        check.notNegative("hold-max-wait", holdMaxWait);
        check.positive("max-in-flight", maxInFlight);
        check.positive("probe-timeout", probeTimeout);
        check.positive("circuit-failure-threshold", circuitFailureThreshold);
        check.notNegative("circuit-open-duration", circuitOpenDuration);
        check.positive("health-check-every", healthCheckEvery);
        check.positive("health-heartbeat", healthHeartbeat);
        check.atLeast("simulation-speed-up", simulationSpeedUp, 0.001);
        check.between("simulation-failure-rate", simulationFailureRate, 0, 1);
    }

    /** Binds {@code tiergate.local-worker.*}; what is not set comes from {@link #DEFAULTS}. */
    @ConfigurationInject
    static LocalWorkerConfiguration bind(
            Optional<String> workerId,
            Optional<String> groupId,
            Optional<String> inputTopic,
            Optional<String> backend,
            Optional<String> defaultEndpoint,
            Optional<String> defaultCloudModel,
            Optional<Integer> streams,
            Optional<Integer> queueLimit,
            Optional<Duration> holdMaxWait,
            Optional<Integer> maxInFlight,
            Optional<Duration> probeTimeout,
            Optional<String> priceTable,
            Optional<Integer> circuitFailureThreshold,
            Optional<Duration> circuitOpenDuration,
            Optional<Duration> healthCheckEvery,
            Optional<Duration> healthHeartbeat,
            Optional<Double> simulationSpeedUp,
            Optional<Long> simulationSeed,
            Optional<Double> simulationFailureRate) {
        LocalWorkerConfiguration d = DEFAULTS;
        return new LocalWorkerConfiguration(
                PropertyCheck.text(workerId).orElse(d.workerId),
                PropertyCheck.text(groupId).orElse(d.groupId),
                PropertyCheck.text(inputTopic).orElse(d.inputTopic),
                PropertyCheck.text(backend).map(BackendMode::parse).orElse(d.backend),
                PropertyCheck.text(defaultEndpoint).orElse(d.defaultEndpoint),
                PropertyCheck.text(defaultCloudModel).orElse(d.defaultCloudModel),
                streams.orElse(d.streams),
                queueLimit.orElse(d.queueLimit),
                holdMaxWait.orElse(d.holdMaxWait),
                maxInFlight.orElse(d.maxInFlight),
                probeTimeout.orElse(d.probeTimeout),
                PropertyCheck.text(priceTable).orElse(d.priceTable),
                circuitFailureThreshold.orElse(d.circuitFailureThreshold),
                circuitOpenDuration.orElse(d.circuitOpenDuration),
                healthCheckEvery.orElse(d.healthCheckEvery),
                healthHeartbeat.orElse(d.healthHeartbeat),
                simulationSpeedUp.orElse(d.simulationSpeedUp),
                simulationSeed.orElse(d.simulationSeed),
                simulationFailureRate.orElse(d.simulationFailureRate));
    }

    /** The simulated backend's settings: worker-core's defaults with this worker's speed-up, seed and failure rate. */
    public SimulationSettings simulation() {
        SimulationSettings d = SimulationSettings.defaults();
        return new SimulationSettings(
                simulationSeed,
                simulationSpeedUp,
                simulationFailureRate,
                0.0 /* a local server is not rate-limited */,
                d.retryAfterSeconds(),
                d.outputJitter());
    }
}
