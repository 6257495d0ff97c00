package io.tiergate.cloudworker.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.tiergate.cloudworker.config.ApiKeySource;
import io.tiergate.cloudworker.config.CloudWorkerConfiguration;
import io.tiergate.cloudworker.config.ModelProperties;
import io.tiergate.cloudworker.resilience.Backoff;
import io.tiergate.cloudworker.resilience.RetryPolicy;
import io.tiergate.cloudworker.serve.CloudModels;
import io.tiergate.cloudworker.serve.CloudRequestHandler;
import io.tiergate.cloudworker.serve.ServingModel;
import io.tiergate.cloudworker.serve.ShadowRequestHandler;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.simulated.SimulatedBackend;
import io.tiergate.worker.simulated.SimulatedQuality;
import io.tiergate.worker.simulated.SimulationSettings;
import io.tiergate.worker.work.AttemptPricer;
import io.tiergate.worker.work.PriceTablePricer;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the cloud worker's plain classes from configuration. */
@Factory
public class CloudWorkerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(CloudWorkerFactory.class);

    /** Where the simulated backend's quality is configured: {@code .errors.<TASK_TYPE>}, {@code .error-styles.<TASK_TYPE>}. */
    static final String SIMULATION = "tiergate.cloud-worker.simulation";

    /** The shared price table: the one in the schemas jar, or {@code tiergate.price-table} (a file). */
    @Singleton
    PriceTable priceTable(@Value("${tiergate.price-table:}") String file) {
        return file == null || file.isBlank() ? PriceTable.loadDefault() : PriceTable.load(Path.of(file));
    }

    @Singleton
    AttemptPricer pricer(PriceTable prices) {
        return new PriceTablePricer(new CostCalculator(prices));
    }

    /**
     * {@code tiergate.cloud-worker.worker-id}, else {@code cloud-worker-<host>-<pid>}. Set it stable
     * per instance (pod name) so a restart fences its predecessor's transaction at once.
     */
    @Singleton
    @Named("cloudWorkerId")
    String workerId(CloudWorkerConfiguration config) {
        if (config.workerId() != null) {
            return config.workerId();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        return "cloud-worker-" + host + "-"
                + ManagementFactory.getRuntimeMXBean().getPid();
    }

    @Singleton
    ModelHttp modelHttp(CloudWorkerConfiguration config) {
        return new ModelHttp(config.connectTimeout());
    }

    @Singleton
    CloudModels cloudModels(
            CloudWorkerConfiguration config,
            List<ModelProperties> models,
            PriceTable prices,
            ModelHttp http,
            MeterRegistry meters,
            Environment environment) {
        SimulationSettings simulation = config.simulation()
                .toSettings()
                .withQuality(SimulatedQuality.parse(
                        SIMULATION,
                        environment.getProperties(SIMULATION + ".errors"),
                        environment.getProperties(SIMULATION + ".error-styles")));
        SimulatedBackend simulated = new SimulatedBackend(prices, simulation);
        CloudModels built = CloudModels.build(
                models,
                config.backend(),
                prices,
                ApiKeySource.fromProcessEnvironment(),
                http,
                simulated,
                Clock.systemUTC());
        if (built.allSimulated()) {
            LOG.warn(
                    "SIMULATED CLOUD BACKEND: no cloud model has a real endpoint with an API key (backend={}); every cloud call is "
                            + "simulated (speed-up {}x) and labelled simulated=true. Set e.g. OPENROUTER_API_KEY to call real models.",
                    config.backend(),
                    simulation.speedUp());
        }
        for (ServingModel m : built.all()) {
            LOG.info("cloud model {} -> {}", m.model(), m.simulated() ? "SIMULATED" : m.endpoint());
            Gauge.builder(
                            "tiergate.cloud-worker.circuit.open",
                            m.breaker(),
                            b -> b.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN
                                            || b.getState()
                                                    == io.github.resilience4j.circuitbreaker.CircuitBreaker.State
                                                            .FORCED_OPEN
                                    ? 1
                                    : 0)
                    .tag("model", m.model())
                    .tag("simulated", Boolean.toString(m.simulated()))
                    .description("1 when the model's circuit breaker rejects calls")
                    .register(meters);
        }
        for (String u : built.unavailable()) {
            LOG.warn("cloud model {} is NOT available on this worker (requests fall back past it)", u);
        }
        return built;
    }

    @Singleton
    CloudRequestHandler handler(
            CloudWorkerConfiguration config, CloudModels models, PriceTable prices, MeterRegistry meters) {
        CloudWorkerConfiguration.Retry r = config.retry();
        RetryPolicy policy = new RetryPolicy(
                r.maxAttemptsPerModel(),
                new Backoff(r.backoffBase(), r.backoffMax()),
                r.maxRetryAfter(),
                r.maxRateLimitWait(),
                r.requestDeadline());
        return new CloudRequestHandler(
                models,
                policy,
                prices,
                d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000),
                () -> ThreadLocalRandom.current().nextDouble(),
                meters);
    }

    /** Answers shadow requests (docs/calibration.md, "Shadow traffic") with the same models. */
    @Singleton
    ShadowRequestHandler shadowHandler(CloudModels models, MeterRegistry meters) {
        return new ShadowRequestHandler(models, Topics.SHADOW_ANSWERS, meters);
    }
}
