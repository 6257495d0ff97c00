package io.tiergate.cloudworker.config;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.tiergate.platform.config.PropertyCheck;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tiergate.cloud-worker.models.<name>.*}: one cloud model endpoint. {@code <name>} is a
 * config handle (model ids contain dots, which property keys cannot); {@code model} is the
 * price-table id and defaults to the handle. Bound and checked at start; what is not set takes the
 * value a {@link #builder(String) Builder} starts with, the one place these defaults are written.
 *
 * @param model the price-table id (defaults to the handle)
 * @param remoteModel the provider's model name (defaults to the price-table id)
 * @param provider label on results and cost events; defaults from the API and base URL
 * @param requestsPerMinute null: no request rate limit
 * @param tokensPerMinute null: no token rate limit
 * @param headers extra HTTP headers on every call (keys as Micronaut binds them: lower case)
 */
@Context
@EachProperty(ModelProperties.PREFIX)
public record ModelProperties(
        String name,
        String model,
        ModelEndpoint.Api api,
        @Nullable String baseUrl,
        @Nullable String apiKeyEnv,
        @Nullable String apiKeyFile,
        String remoteModel,
        String provider,
        boolean stream,
        int defaultMaxOutputTokens,
        Duration timeout,
        @Nullable Long requestsPerMinute,
        @Nullable Long tokensPerMinute,
        float circuitFailureRatePercent,
        int circuitMinimumCalls,
        Duration circuitOpenFor,
        Map<String, String> headers) {

    public static final String PREFIX = "tiergate.cloud-worker.models";

    public ModelProperties {
        PropertyCheck check = PropertyCheck.under(PREFIX + "." + name);
        check.notBlank("model", model);
        check.required("api", api);
        check.notBlank("remote-model", remoteModel);
        check.notBlank("provider", provider);
        check.positive("default-max-output-tokens", defaultMaxOutputTokens);
        check.positive("timeout", timeout);
        if (requestsPerMinute != null) {
            check.positive("requests-per-minute", requestsPerMinute);
        }
        if (tokensPerMinute != null) {
            check.positive("tokens-per-minute", tokensPerMinute);
        }
        check.between("circuit-failure-rate-percent", circuitFailureRatePercent, 1, 100);
        check.positive("circuit-minimum-calls", circuitMinimumCalls);
        check.positive("circuit-open-for", circuitOpenFor);
        headers = Map.copyOf(check.required("headers", headers));
    }

    /** Binds {@code tiergate.cloud-worker.models.<name>.*}; what is not set keeps the builder's default. */
    @ConfigurationInject
    static ModelProperties bind(
            @Parameter String name,
            Optional<String> model,
            Optional<ModelEndpoint.Api> api,
            Optional<String> baseUrl,
            Optional<String> apiKeyEnv,
            Optional<String> apiKeyFile,
            Optional<String> remoteModel,
            Optional<String> provider,
            Optional<Boolean> stream,
            Optional<Integer> defaultMaxOutputTokens,
            Optional<Duration> timeout,
            Optional<Long> requestsPerMinute,
            Optional<Long> tokensPerMinute,
            Optional<Float> circuitFailureRatePercent,
            Optional<Integer> circuitMinimumCalls,
            Optional<Duration> circuitOpenFor,
            Optional<Map<String, String>> headers) {
        Builder b = builder(name);
        PropertyCheck.text(model).ifPresent(b::model);
        api.ifPresent(b::api);
        PropertyCheck.text(baseUrl).ifPresent(b::baseUrl);
        PropertyCheck.text(apiKeyEnv).ifPresent(b::apiKeyEnv);
        PropertyCheck.text(apiKeyFile).ifPresent(b::apiKeyFile);
        PropertyCheck.text(remoteModel).ifPresent(b::remoteModel);
        PropertyCheck.text(provider).ifPresent(b::provider);
        stream.ifPresent(b::stream);
        defaultMaxOutputTokens.ifPresent(b::defaultMaxOutputTokens);
        timeout.ifPresent(b::timeout);
        requestsPerMinute.ifPresent(b::requestsPerMinute);
        tokensPerMinute.ifPresent(b::tokensPerMinute);
        circuitFailureRatePercent.ifPresent(b::circuitFailureRatePercent);
        circuitMinimumCalls.ifPresent(b::circuitMinimumCalls);
        circuitOpenFor.ifPresent(b::circuitOpenFor);
        headers.ifPresent(b::headers);
        return b.build();
    }

    /** A model under config handle {@code name}, with every default; set what differs, then {@link Builder#build()}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Collects a model's values (starting from the defaults) and derives the unset ids when built. */
    public static final class Builder {
        private final String name;

        @Nullable
        private String model;

        private ModelEndpoint.Api api = ModelEndpoint.Api.OPENAI;

        @Nullable
        private String baseUrl;

        @Nullable
        private String apiKeyEnv;

        @Nullable
        private String apiKeyFile;

        @Nullable
        private String remoteModel;

        @Nullable
        private String provider;

        private boolean stream = true;
        private int defaultMaxOutputTokens = 4096;
        private Duration timeout = Duration.ofSeconds(120);

        @Nullable
        private Long requestsPerMinute;

        @Nullable
        private Long tokensPerMinute;

        private float circuitFailureRatePercent = 50;
        private int circuitMinimumCalls = 10;
        private Duration circuitOpenFor = Duration.ofSeconds(30);
        private Map<String, String> headers = Map.of();

        private Builder(String name) {
            this.name = name;
        }

        public Builder model(String value) {
            this.model = value;
            return this;
        }

        public Builder api(ModelEndpoint.Api value) {
            this.api = value;
            return this;
        }

        public Builder baseUrl(String value) {
            this.baseUrl = value;
            return this;
        }

        public Builder apiKeyEnv(String value) {
            this.apiKeyEnv = value;
            return this;
        }

        public Builder apiKeyFile(String value) {
            this.apiKeyFile = value;
            return this;
        }

        public Builder remoteModel(String value) {
            this.remoteModel = value;
            return this;
        }

        public Builder provider(String value) {
            this.provider = value;
            return this;
        }

        public Builder stream(boolean value) {
            this.stream = value;
            return this;
        }

        public Builder defaultMaxOutputTokens(int value) {
            this.defaultMaxOutputTokens = value;
            return this;
        }

        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public Builder requestsPerMinute(long value) {
            this.requestsPerMinute = value;
            return this;
        }

        public Builder tokensPerMinute(long value) {
            this.tokensPerMinute = value;
            return this;
        }

        public Builder circuitFailureRatePercent(float value) {
            this.circuitFailureRatePercent = value;
            return this;
        }

        public Builder circuitMinimumCalls(int value) {
            this.circuitMinimumCalls = value;
            return this;
        }

        public Builder circuitOpenFor(Duration value) {
            this.circuitOpenFor = value;
            return this;
        }

        public Builder headers(Map<String, String> value) {
            this.headers = value;
            return this;
        }

        /** The model; the price-table id defaults to the handle, the remote name to the id, the provider from API and base URL. */
        public ModelProperties build() {
            String id = model != null ? model : name;
            return new ModelProperties(
                    name,
                    id,
                    api,
                    baseUrl,
                    apiKeyEnv,
                    apiKeyFile,
                    remoteModel != null ? remoteModel : id,
                    provider != null ? provider : defaultProvider(),
                    stream,
                    defaultMaxOutputTokens,
                    timeout,
                    requestsPerMinute,
                    tokensPerMinute,
                    circuitFailureRatePercent,
                    circuitMinimumCalls,
                    circuitOpenFor,
                    headers);
        }

        private String defaultProvider() {
            return switch (api) {
                case ANTHROPIC -> "anthropic";
                case SIMULATED -> "simulated";
                case OPENAI ->
                    baseUrl != null && baseUrl.contains("openrouter.ai")
                            ? "openrouter"
                            : baseUrl != null && baseUrl.contains("api.openai.com") ? "openai" : "openai-compatible";
            };
        }
    }
}
