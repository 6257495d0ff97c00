package io.tiergate.localworker.config;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.tiergate.localworker.cost.TcoOverride;
import io.tiergate.localworker.endpoint.EndpointSettings;
import io.tiergate.localworker.endpoint.EndpointSpec;
import io.tiergate.localworker.endpoint.LocalApi;
import io.tiergate.platform.config.PropertyCheck;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code tiergate.local-worker.endpoints.<name>.*}: one local model server, its protocol, the models
 * it serves, its timeouts and — optionally — the TCO of the machine it runs on (any figure left out
 * comes from the price table's {@code localTco}). Bound and checked at start; what is not set comes
 * from {@link EndpointSettings#defaults} (the one place an endpoint's defaults are written).
 *
 * @param name the endpoint's name (the key under {@code endpoints})
 * @param baseUrl null: the default {@code http://127.0.0.1:11434}, which {@code backend=auto} may replace by the simulated backend
 * @param api ollama | openai-compatible; null: as the backend mode says
 * @param models the models this endpoint serves; empty: those no other endpoint lists
 * @param think Ollama {@code think}
 * @param sendThink false: leave {@code think} out of requests (servers or models that reject the field)
 * @param keepAlive Ollama {@code keep_alive}; blank: the server's default
 * @param numCtx Ollama {@code options.num_ctx}; null: the model's default
 */
@Context
@EachProperty(LocalEndpointConfiguration.PREFIX)
public record LocalEndpointConfiguration(
        String name,
        @Nullable String baseUrl,
        @Nullable String api,
        List<String> models,
        boolean stream,
        boolean think,
        boolean sendThink,
        String keepAlive,
        @Nullable Integer numCtx,
        Duration connectTimeout,
        Duration firstByteTimeout,
        Duration idleTimeout,
        Duration totalTimeout,
        @Nullable BigDecimal wattsUnderLoad,
        @Nullable BigDecimal usdPerKwh,
        @Nullable BigDecimal hardwarePriceUsd,
        @Nullable BigDecimal lifetimeYears,
        @Nullable BigDecimal utilization,
        @Nullable BigDecimal maintenanceUsdPerYear) {

    public static final String PREFIX = "tiergate.local-worker.endpoints";

    public LocalEndpointConfiguration {
        PropertyCheck check = PropertyCheck.under(PREFIX + "." + name);
        models = List.copyOf(check.required("models", models));
        check.required("keep-alive", keepAlive);
        if (numCtx != null) {
            check.positive("num-ctx", numCtx);
        }
        check.positive("connect-timeout", connectTimeout);
        check.positive("first-byte-timeout", firstByteTimeout);
        check.positive("idle-timeout", idleTimeout);
        check.positive("total-timeout", totalTimeout);
        url(name, baseUrl);
        parseApi(name, api);
    }

    /** Binds {@code tiergate.local-worker.endpoints.<name>.*}; what is not set comes from {@link EndpointSettings#defaults}. */
    @ConfigurationInject
    static LocalEndpointConfiguration bind(
            @Parameter String name,
            Optional<String> baseUrl,
            Optional<String> api,
            Optional<List<String>> models,
            Optional<Boolean> stream,
            Optional<Boolean> think,
            Optional<Boolean> sendThink,
            Optional<String> keepAlive,
            Optional<Integer> numCtx,
            Optional<Duration> connectTimeout,
            Optional<Duration> firstByteTimeout,
            Optional<Duration> idleTimeout,
            Optional<Duration> totalTimeout,
            Optional<BigDecimal> wattsUnderLoad,
            Optional<BigDecimal> usdPerKwh,
            Optional<BigDecimal> hardwarePriceUsd,
            Optional<BigDecimal> lifetimeYears,
            Optional<BigDecimal> utilization,
            Optional<BigDecimal> maintenanceUsdPerYear) {
        EndpointSettings d = EndpointSettings.defaults(name, URI.create(EndpointSettings.DEFAULT_OLLAMA_URL));
        return new LocalEndpointConfiguration(
                name,
                PropertyCheck.text(baseUrl).orElse(null),
                PropertyCheck.text(api).orElse(null),
                models.orElse(List.of()),
                stream.orElse(d.stream()),
                think.orElse(d.think()),
                sendThink.orElse(true),
                keepAlive.orElse(d.keepAlive()),
                numCtx.orElse(d.numCtx()),
                connectTimeout.orElse(d.connectTimeout()),
                firstByteTimeout.orElse(d.firstByteTimeout()),
                idleTimeout.orElse(d.idleTimeout()),
                totalTimeout.orElse(d.totalTimeout()),
                wattsUnderLoad.orElse(null),
                usdPerKwh.orElse(null),
                hardwarePriceUsd.orElse(null),
                lifetimeYears.orElse(null),
                utilization.orElse(null),
                maintenanceUsdPerYear.orElse(null));
    }

    /** The plain description the endpoint selection works from. */
    public EndpointSpec toSpec() {
        EndpointSettings settings = new EndpointSettings(
                name,
                url(name, baseUrl),
                stream,
                sendThink ? think : null,
                keepAlive.isBlank() ? null : keepAlive,
                numCtx,
                connectTimeout,
                firstByteTimeout,
                idleTimeout,
                totalTimeout);
        TcoOverride tco = new TcoOverride(
                wattsUnderLoad, usdPerKwh, hardwarePriceUsd, lifetimeYears, utilization, maintenanceUsdPerYear);
        return new EndpointSpec(name, parseApi(name, api), baseUrl != null, models, settings, tco);
    }

    private static URI url(String name, @Nullable String baseUrl) {
        URI url;
        try {
            url = URI.create(baseUrl != null ? baseUrl.strip() : EndpointSettings.DEFAULT_OLLAMA_URL);
        } catch (IllegalArgumentException e) {
            url = null;
        }
        if (url == null || url.getScheme() == null || url.getHost() == null) {
            throw new IllegalArgumentException(PREFIX + "." + name + ".base-url is not an http URL: " + baseUrl);
        }
        return url;
    }

    @Nullable
    private static LocalApi parseApi(String name, @Nullable String api) {
        if (api == null) {
            return null;
        }
        return switch (api.strip().toLowerCase(Locale.ROOT)) {
            case "ollama" -> LocalApi.OLLAMA;
            case "openai-compatible", "openai" -> LocalApi.OPENAI_COMPATIBLE;
            default ->
                throw new IllegalArgumentException(
                        PREFIX + "." + name + ".api must be ollama or openai-compatible, was " + api);
        };
    }
}
