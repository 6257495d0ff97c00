package io.tiergate.worker.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One model server as the HTTP backends call it ({@code OllamaChatBackend}, {@code OpenAiChatBackend},
 * {@code AnthropicMessagesBackend}). The whole call's deadline is the call's own
 * {@link io.tiergate.worker.backend.ModelCall#timeout()}; the two shorter deadlines here let a
 * local server be given up early when it does not start answering, or stops.
 *
 * @param provider label on results and cost events ("ollama", "openai-compatible", "openrouter", "anthropic", …)
 * @param baseUrl the API's base; a protocol appends its path ({@code /api/chat}, {@code /chat/completions},
 *     {@code /v1/messages}), whether or not the base ends with a slash
 * @param remoteModel the model name the server knows; null: the call's model id as it is
 * @param apiKey sent in the protocol's auth header and removed from every message; null: none
 * @param headers extra request headers (OpenRouter's {@code X-Title}, a gateway's routing header)
 * @param stream stream the answer (SSE / NDJSON) or ask for one response object
 * @param firstByteTimeout until the response head arrives (covers model load); null: the call's timeout
 * @param idleTimeout longest silence between two lines of the body; null: the call's timeout
 * @param kind how failures and missing figures are read ({@link ServerKind})
 */
public record HttpEndpoint(
        String provider,
        URI baseUrl,
        String remoteModel,
        String apiKey,
        Map<String, String> headers,
        boolean stream,
        Duration firstByteTimeout,
        Duration idleTimeout,
        ServerKind kind) {

    public HttpEndpoint {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(kind, "kind");
        headers = Map.copyOf(headers);
    }

    /** A provider's API: one deadline (the call's), a key, the provider's name for the model. */
    public static HttpEndpoint providerApi(
            String provider,
            URI baseUrl,
            String remoteModel,
            String apiKey,
            Map<String, String> headers,
            boolean stream) {
        return new HttpEndpoint(
                provider, baseUrl, remoteModel, apiKey, headers, stream, null, null, ServerKind.PROVIDER_API);
    }

    /** A model server on this machine: no key, the call's model id, first-byte and idle deadlines. */
    public static HttpEndpoint localServer(
            String provider, URI baseUrl, boolean stream, Duration firstByteTimeout, Duration idleTimeout) {
        return new HttpEndpoint(
                provider,
                baseUrl,
                null,
                null,
                Map.of(),
                stream,
                firstByteTimeout,
                idleTimeout,
                ServerKind.LOCAL_SERVER);
    }

    /** {@code baseUrl} joined with {@code path}, whether or not the base ends with a slash. */
    public URI resolve(String path) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }

    /** The name to send for the call's {@code model}. */
    public String remoteModel(String model) {
        return remoteModel != null ? remoteModel : model;
    }

    @Override
    public String toString() {
        return "HttpEndpoint[" + provider + " at " + baseUrl + (remoteModel != null ? " as " + remoteModel : "")
                + ", key " + (apiKey == null ? "none" : "[redacted]") + ", " + kind + "]";
    }
}
