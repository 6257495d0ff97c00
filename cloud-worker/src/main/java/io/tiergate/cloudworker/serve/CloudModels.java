package io.tiergate.cloudworker.serve;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.tiergate.cloudworker.config.ApiKey;
import io.tiergate.cloudworker.config.ApiKeySource;
import io.tiergate.cloudworker.config.CloudWorkerConfiguration.BackendMode;
import io.tiergate.cloudworker.config.ModelEndpoint;
import io.tiergate.cloudworker.config.ModelProperties;
import io.tiergate.cloudworker.resilience.ModelRateLimiter;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.Tier;
import io.tiergate.worker.anthropic.AnthropicMessagesBackend;
import io.tiergate.worker.backend.ChunkSink;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.openai.OpenAiChatBackend;
import io.tiergate.worker.simulated.SimulatedBackend;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which backend serves which cloud model — decided once, at start, and logged:
 *
 * <ul>
 *   <li>{@code AUTO} (default): models whose key resolves get their real endpoint. Only when <em>no</em>
 *       configured model has a key is every cloud model of the price table served by the simulated
 *       backend (the demo). A configured model without a key, while others have one, is unavailable
 *       — never silently simulated.
 *   <li>{@code REAL}: like AUTO, but a configured model without a key fails the start.
 *   <li>{@code SIMULATED}: every cloud model simulated.
 * </ul>
 * A model configured with {@code api: simulated} is simulated in every mode (explicit). Every
 * configured model must be a cloud model of the price table.
 */
public final class CloudModels {

    private final Map<String, ServingModel> models;
    private final List<String> unavailable;
    private final boolean allSimulated;

    private CloudModels(Map<String, ServingModel> models, List<String> unavailable, boolean allSimulated) {
        this.models = Map.copyOf(models);
        this.unavailable = List.copyOf(unavailable);
        this.allSimulated = allSimulated;
    }

    public Optional<ServingModel> get(String model) {
        return Optional.ofNullable(models.get(model));
    }

    public Collection<ServingModel> all() {
        return models.values();
    }

    /** Configured models this worker cannot call, with why (for logs and health). */
    public List<String> unavailable() {
        return unavailable;
    }

    /** True when every model is simulated because no real endpoint has a key (or mode SIMULATED). */
    public boolean allSimulated() {
        return allSimulated;
    }

    public static CloudModels build(
            Collection<ModelProperties> configured,
            BackendMode mode,
            PriceTable prices,
            ApiKeySource keys,
            ModelHttp http,
            SimulatedBackend simulated,
            Clock clock) {
        Map<String, ModelProperties> byModel = new LinkedHashMap<>();
        for (ModelProperties p : configured) {
            ModelPrice price = prices.require(p.model());
            if (price.tier() != Tier.CLOUD) {
                throw new IllegalArgumentException("tiergate.cloud-worker.models." + p.name() + ": " + p.model()
                        + " is a " + price.tier() + " model, not a cloud one");
            }
            if (byModel.put(p.model(), p) != null) {
                throw new IllegalArgumentException(
                        "tiergate.cloud-worker.models: " + p.model() + " is configured twice");
            }
        }
        Map<String, ApiKey> resolved = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (ModelProperties p : byModel.values()) {
            if (p.api() == ModelEndpoint.Api.SIMULATED) {
                continue;
            }
            Optional<ApiKey> key = keys.resolve(p);
            if (key.isPresent()) {
                resolved.put(p.model(), key.get());
            } else {
                missing.add(p.model() + " (key from " + ApiKeySource.describe(p) + ")");
            }
        }
        if (mode == BackendMode.REAL && !missing.isEmpty()) {
            throw new IllegalStateException("tiergate.cloud-worker.backend=real but no API key for: " + missing);
        }
        boolean simulateAll = mode == BackendMode.SIMULATED || (mode == BackendMode.AUTO && resolved.isEmpty());
        Map<String, ServingModel> serving = new LinkedHashMap<>();
        List<String> unavailable = new ArrayList<>();
        if (simulateAll) {
            for (ModelPrice price : prices.models()) {
                if (price.tier() == Tier.CLOUD) {
                    ModelProperties p = byModel.getOrDefault(price.id(), defaults(price.id()));
                    serving.put(price.id(), simulatedModel(p, simulated, clock));
                }
            }
            return new CloudModels(serving, unavailable, true);
        }
        for (ModelProperties p : byModel.values()) {
            if (p.api() == ModelEndpoint.Api.SIMULATED) {
                serving.put(p.model(), simulatedModel(p, simulated, clock));
            } else if (resolved.containsKey(p.model())) {
                ModelEndpoint endpoint = endpoint(p, resolved.get(p.model()));
                ModelBackend backend = p.api() == ModelEndpoint.Api.ANTHROPIC
                        ? new AnthropicMessagesBackend(http, endpoint.http(), endpoint.defaultMaxOutputTokens())
                        : new OpenAiChatBackend(
                                http, endpoint.http(), OptionalInt.of(endpoint.defaultMaxOutputTokens()));
                serving.put(p.model(), new ServingModel(endpoint, backend, limiter(p), breaker(p, clock)));
            }
        }
        unavailable.addAll(missing);
        return new CloudModels(serving, unavailable, false);
    }

    private static ModelProperties defaults(String model) {
        return ModelProperties.builder(model).api(ModelEndpoint.Api.SIMULATED).build();
    }

    private static ServingModel simulatedModel(ModelProperties p, SimulatedBackend simulated, Clock clock) {
        ModelEndpoint endpoint = new ModelEndpoint(
                p.model(),
                ModelEndpoint.Api.SIMULATED,
                null,
                p.model(),
                SimulatedBackend.PROVIDER,
                null,
                false,
                p.defaultMaxOutputTokens(),
                p.timeout(),
                Map.of());
        return new ServingModel(endpoint, new ScaledRetryAfter(simulated), limiter(p), breaker(p, clock));
    }

    static ModelEndpoint endpoint(ModelProperties p, ApiKey key) {
        if (p.baseUrl() == null) {
            throw new IllegalArgumentException("tiergate.cloud-worker.models." + p.name() + ".base-url is missing");
        }
        return new ModelEndpoint(
                p.model(),
                p.api(),
                URI.create(p.baseUrl()),
                p.remoteModel(),
                p.provider(),
                key,
                p.stream(),
                p.defaultMaxOutputTokens(),
                p.timeout(),
                p.headers());
    }

    static ModelRateLimiter limiter(ModelProperties p) {
        return new ModelRateLimiter(p.requestsPerMinute(), p.tokensPerMinute(), System::nanoTime);
    }

    /**
     * Opens on server-side trouble only — 5xx, timeouts, broken answers. A 429 is the provider
     * pacing us (Retry-After handles it) and a 4xx is about the request, so neither opens it.
     */
    static CircuitBreaker breaker(ModelProperties p, Clock clock) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(p.circuitFailureRatePercent())
                .minimumNumberOfCalls(p.circuitMinimumCalls())
                .slidingWindowSize(Math.max(p.circuitMinimumCalls(), 20))
                .waitDurationInOpenState(p.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(clock) // the worker's clock times the open state too
                .ignoreException(CloudModels::ignoredByBreaker)
                .build();
        return CircuitBreaker.of("cloud-" + p.model(), config);
    }

    static boolean ignoredByBreaker(Throwable t) {
        if (t instanceof ModelCallException e) {
            return e.kind() == ModelCallException.Kind.NON_RETRYABLE
                    || e.httpStatus().orElse(0) == 429;
        }
        return false;
    }

    /**
     * The simulated backend's Retry-After is modelled time; divide it by the speed-up like every
     * other simulated duration, so a sped-up demo does not wait real seconds on a simulated 429.
     */
    static final class ScaledRetryAfter implements ModelBackend {
        private final SimulatedBackend delegate;

        ScaledRetryAfter(SimulatedBackend delegate) {
            this.delegate = delegate;
        }

        @Override
        public String provider() {
            return delegate.provider();
        }

        @Override
        public boolean simulated() {
            return true;
        }

        @Override
        public ModelResponse call(ModelCall call) throws ModelCallException {
            return call(call, ChunkSink.NONE);
        }

        @Override
        public ModelResponse call(ModelCall call, ChunkSink chunks) throws ModelCallException {
            try {
                return delegate.call(call, chunks);
            } catch (ModelCallException e) {
                if (e.retryAfter().isEmpty()) {
                    throw e;
                }
                Duration scaled = Duration.ofNanos(Math.round(
                        e.retryAfter().get().toNanos() / delegate.settings().speedUp()));
                throw ModelCallException.retryable(
                        e.errorCode(),
                        e.getMessage(),
                        e.httpStatus().isPresent() ? e.httpStatus().getAsInt() : null,
                        scaled);
            }
        }
    }
}
