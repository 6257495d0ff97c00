package io.tiergate.localworker.endpoint;

import io.tiergate.worker.http.HttpEndpoint;
import io.tiergate.worker.ollama.OllamaChatBackend;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to talk to one local model server (the worker calls it through worker-core's HTTP backends,
 * as {@link HttpEndpoint#localServer a local server}).
 *
 * @param baseUrl e.g. {@code http://127.0.0.1:11434} (not {@code localhost}: it may resolve to ::1
 *     while the server listens on IPv4 only)
 * @param stream stream the answer (NDJSON / SSE) or ask for one response object
 * @param think Ollama {@code think}; {@code false} keeps thinking models (qwen3, deepseek-r1) from
 *     spending tokens on reasoning; {@code null} leaves the field out (for servers that reject it)
 * @param keepAlive Ollama {@code keep_alive} ("5m", "-1", "0"); null leaves the server default
 * @param numCtx Ollama {@code options.num_ctx}; null leaves the model default
 * @param firstByteTimeout until the response head arrives (covers queueing in the server and model load)
 * @param idleTimeout longest silence between two streamed lines
 * @param totalTimeout the whole call, first byte to last (the worker's call timeout for this endpoint)
 */
public record EndpointSettings(
        String name,
        URI baseUrl,
        boolean stream,
        Boolean think,
        String keepAlive,
        Integer numCtx,
        Duration connectTimeout,
        Duration firstByteTimeout,
        Duration idleTimeout,
        Duration totalTimeout) {

    public static final String DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434";

    public EndpointSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
    }

    /** Defaults for an Ollama on this machine: stream, no thinking, model kept loaded 5 minutes. */
    public static EndpointSettings defaults(String name, URI baseUrl) {
        return new EndpointSettings(
                name,
                baseUrl,
                true,
                Boolean.FALSE,
                "5m",
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(120),
                Duration.ofSeconds(30),
                Duration.ofSeconds(300));
    }

    /**
     * The endpoint as worker-core's backend for {@code api} calls it: Ollama at the base URL; an
     * OpenAI-compatible server at the base URL's {@code /v1} (appended unless the base ends with it).
     * The call's deadline is {@link #totalTimeout()} (the worker's call timeout for this endpoint).
     */
    public HttpEndpoint http(LocalApi api) {
        URI base = api == LocalApi.OLLAMA ? baseUrl : openAiBase(baseUrl);
        return HttpEndpoint.localServer(api.provider(), base, stream, firstByteTimeout, idleTimeout);
    }

    /** Ollama's request options from these settings. */
    public OllamaChatBackend.Options ollamaOptions() {
        return new OllamaChatBackend.Options(think, keepAlive, numCtx);
    }

    /** The base of an OpenAI-compatible server's API: {@code baseUrl}, ending in {@code /v1}. */
    private static URI openAiBase(URI baseUrl) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base.endsWith("/v1") ? base : base + "/v1");
    }
}
