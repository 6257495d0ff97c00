package io.tiergate.localworker.wiring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.tiergate.localworker.capacity.AdmissionQueue;
import io.tiergate.localworker.capacity.LocalCircuit;
import io.tiergate.localworker.config.LocalEndpointConfiguration;
import io.tiergate.localworker.config.LocalWorkerConfiguration;
import io.tiergate.localworker.cost.LocalAttemptPricer;
import io.tiergate.localworker.cost.LocalCostPricer;
import io.tiergate.localworker.endpoint.EndpointProbe;
import io.tiergate.localworker.endpoint.EndpointSettings;
import io.tiergate.localworker.endpoint.EndpointSpec;
import io.tiergate.localworker.endpoint.LocalEndpoint;
import io.tiergate.localworker.endpoint.LocalEndpoints;
import io.tiergate.localworker.escalation.EscalationPolicy;
import io.tiergate.localworker.health.LocalHealthReporter;
import io.tiergate.localworker.quality.OutputValidator;
import io.tiergate.localworker.serve.LocalRequestHandler;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.kafka.TierWorkerConfig;
import io.tiergate.worker.runtime.BudgetBoard;
import io.tiergate.worker.shadow.ShadowPlan;
import io.tiergate.worker.simulated.SimulatedBackend;
import io.tiergate.worker.simulated.SimulatedQuality;
import io.tiergate.worker.simulated.SimulationSettings;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Builds the local worker's plain classes from configuration: the price table, the endpoints (with
 * the backend each got at start), capacity, circuit, escalation policy, pricer and handler.
 */
@Factory
public class LocalWorkerBeans {

    /** Where the simulated backend's quality is configured: {@code .errors.<TASK_TYPE>}, {@code .error-styles.<TASK_TYPE>}. */
    static final String SIMULATION = "tiergate.local-worker.simulation";

    /** Where shadow traffic is configured (docs/calibration.md, "Shadow traffic"). */
    static final String SHADOW = "tiergate.local-worker.shadow";

    /**
     * Which served requests are shadowed, against which reference model (default: the escalation
     * model, {@code default-cloud-model}), billed to which budget scope (default {@code shadow}).
     * Off unless {@code tiergate.local-worker.shadow.fractions.<TASK_TYPE>} is set.
     */
    @Singleton
    ShadowPlan shadowPlan(LocalWorkerConfiguration config, Environment environment) {
        return ShadowPlan.parse(
                SHADOW,
                environment.getProperties(SHADOW + ".fractions"),
                environment
                        .getProperty(SHADOW + ".reference-model", String.class)
                        .orElse(config.defaultCloudModel()),
                environment.getProperties(SHADOW + ".reference-models"),
                environment.getProperty(SHADOW + ".scope", String.class).orElse(ShadowPlan.DEFAULT_SCOPE));
    }

    @Singleton
    PriceTable priceTable(LocalWorkerConfiguration config) {
        String file = config.priceTable();
        return file == null ? PriceTable.loadDefault() : PriceTable.load(Path.of(file));
    }

    @Singleton
    LocalEndpoints localEndpoints(
            LocalWorkerConfiguration config,
            List<LocalEndpointConfiguration> configured,
            PriceTable prices,
            MeterRegistry meters,
            Environment environment) {
        List<EndpointSpec> specs = configured.isEmpty()
                ? List.of(new EndpointSpec(
                        config.defaultEndpoint(),
                        null,
                        false,
                        List.of(),
                        EndpointSettings.defaults(
                                config.defaultEndpoint(), URI.create(EndpointSettings.DEFAULT_OLLAMA_URL)),
                        null))
                : configured.stream().map(LocalEndpointConfiguration::toSpec).toList();
        Duration connect = specs.stream()
                .map(s -> s.settings().connectTimeout())
                .max(Duration::compareTo)
                .orElse(Duration.ofSeconds(2));
        SimulationSettings simulation = config.simulation()
                .withQuality(SimulatedQuality.parse(
                        SIMULATION,
                        environment.getProperties(SIMULATION + ".errors"),
                        environment.getProperties(SIMULATION + ".error-styles")));
        LocalEndpoints endpoints = LocalEndpoints.select(
                config.backend(),
                specs,
                config.defaultEndpoint(),
                new ModelHttp(connect),
                new EndpointProbe(ModelHttp.newClient(config.probeTimeout())),
                config.probeTimeout(),
                () -> new SimulatedBackend(prices, simulation));
        for (LocalEndpoint e : endpoints.all()) {
            Gauge.builder("tiergate.local-worker.backend.simulated", e, x -> x.simulated() ? 1 : 0)
                    .tag("endpoint", e.name())
                    .description("1 when this endpoint is served by the simulated backend")
                    .register(meters);
        }
        return endpoints;
    }

    @Singleton
    LocalCostPricer localCostPricer(PriceTable prices, LocalEndpoints endpoints) {
        return new LocalCostPricer(prices, endpoints.tcoOverrides());
    }

    @Singleton
    LocalAttemptPricer localAttemptPricer(PriceTable prices, LocalCostPricer tco, LocalEndpoints endpoints) {
        return new LocalAttemptPricer(
                prices, tco, model -> endpoints.forModel(model).name());
    }

    @Singleton
    AdmissionQueue admissionQueue(LocalWorkerConfiguration config, MeterRegistry meters) {
        AdmissionQueue capacity = new AdmissionQueue(config.streams(), config.queueLimit(), () -> {});
        Gauge.builder("tiergate.local-worker.queue.depth", capacity, AdmissionQueue::queueDepth)
                .description("requests waiting for a local stream")
                .register(meters);
        Gauge.builder("tiergate.local-worker.streams.running", capacity, AdmissionQueue::running)
                .description("local model calls running")
                .register(meters);
        return capacity;
    }

    @Singleton
    LocalCircuit localCircuit(
            LocalWorkerConfiguration config, Provider<LocalHealthReporter> health, MeterRegistry meters) {
        LocalCircuit circuit = new LocalCircuit(
                "local-model",
                config.circuitFailureThreshold(),
                config.circuitOpenDuration(),
                state -> health.get().publishNow());
        Gauge.builder(
                        "tiergate.local-worker.circuit.open",
                        circuit,
                        c -> c.state() == CircuitState.CLOSED ? 0 : c.state() == CircuitState.HALF_OPEN ? 0.5 : 1)
                .description("0 closed, 0.5 half-open, 1 open")
                .register(meters);
        return circuit;
    }

    /**
     * The worker's view of the budgets: the local worker escalates by its levels, and the runtime
     * admits the worker's own unreserved cloud calls by it (docs/budgets.md, "Every paid call
     * reserved"). Kept current from budget.status by the worker runtime ({@code LocalTierWorker}).
     */
    @Singleton
    BudgetBoard budgetBoard() {
        return new BudgetBoard(Clock.systemUTC(), TierWorkerConfig.DEFAULT_ATTEMPTS_MEMORY);
    }

    @Singleton
    EscalationPolicy escalationPolicy(PriceTable prices, LocalWorkerConfiguration config, BudgetBoard budgets) {
        return new EscalationPolicy(prices, config.defaultCloudModel(), budgets);
    }

    @Singleton
    LocalRequestHandler localRequestHandler(
            LocalEndpoints endpoints,
            AdmissionQueue capacity,
            LocalCircuit circuit,
            EscalationPolicy policy,
            LocalWorkerConfiguration config,
            MeterRegistry meters) {
        return new LocalRequestHandler(
                endpoints, capacity, circuit, policy, new OutputValidator(), config.holdMaxWait(), meters);
    }
}
