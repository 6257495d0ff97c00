package io.tiergate.cloudworker.config;

import io.tiergate.worker.http.HttpEndpoint;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One cloud model as this worker calls it: the price-table id the rest of tiergate knows, which
 * API it speaks, where, with which key, and under which name the provider knows it.
 *
 * @param model the price-table id ("anthropic/claude-haiku-4.5")
 * @param remoteModel the provider's model name (OpenRouter: the same id; Anthropic: "claude-haiku-4-5")
 * @param provider label on results and cost events ("openrouter", "openai", "anthropic", …)
 * @param apiKey null only for {@link Api#SIMULATED}
 * @param stream stream the answer (priced from the final usage chunk)
 * @param defaultMaxOutputTokens used when the request sets none (Anthropic requires max_tokens)
 * @param timeout deadline of one call, first byte to last
 */
public record ModelEndpoint(
        String model,
        Api api,
        URI baseUrl,
        String remoteModel,
        String provider,
        ApiKey apiKey,
        boolean stream,
        int defaultMaxOutputTokens,
        Duration timeout,
        Map<String, String> extraHeaders) {

    /** Wire protocol of a model endpoint. */
    public enum Api {
        /** OpenAI-compatible chat completions: OpenRouter, OpenAI, vLLM, LiteLLM, any compatible gateway. */
        OPENAI,
        /** Anthropic Messages API. */
        ANTHROPIC,
        /** The labelled simulated backend. */
        SIMULATED
    }

    public ModelEndpoint {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(remoteModel, "remoteModel");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(timeout, "timeout");
        extraHeaders = Map.copyOf(extraHeaders);
        if (api != Api.SIMULATED) {
            Objects.requireNonNull(baseUrl, "baseUrl of " + model);
            Objects.requireNonNull(apiKey, "apiKey of " + model);
        }
        if (defaultMaxOutputTokens < 1) {
            throw new IllegalArgumentException("default-max-output-tokens of " + model + " must be >= 1");
        }
    }

    /**
     * How worker-core's HTTP backends call it: a provider's API, with the key, the extra headers and
     * the provider's name for the model; the deadline is each call's (at most {@link #timeout()}).
     */
    public HttpEndpoint http() {
        return HttpEndpoint.providerApi(provider, baseUrl, remoteModel, apiKey.reveal(), extraHeaders, stream);
    }

    @Override
    public String toString() {
        return "ModelEndpoint[" + model + " via " + api + " " + baseUrl + " as " + remoteModel + ", key "
                + (apiKey == null ? "none" : "[redacted]") + "]";
    }
}
