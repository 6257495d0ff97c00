package io.tiergate.worker.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiergate.worker.backend.ModelCallException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;

/**
 * Turns an error a model server answered into a typed {@link ModelCallException}: a non-2xx status
 * with its body, or an error object inside a 200 answer (OpenRouter's mid-stream error chunk,
 * Ollama's {@code {"error"}} line, vLLM's {@code {"object": "error"}}). The message carries the
 * server's own error text (see {@link WireJson#errorMessage(String)}), redacted; the retry
 * classification depends on who answered ({@link ServerKind}, which lists both tables).
 */
public final class HttpErrors {

    /** Error code of a request the server refused as such (a local server's 400, 413, 422). */
    public static final String BAD_REQUEST = "bad_request";

    public static final String MODEL_NOT_FOUND = "model_not_found";

    private HttpErrors() {}

    /**
     * The failure for a non-2xx answer to {@code uri}, with the server's Retry-After
     * ({@code retry-after-ms}, else {@code Retry-After}, read on {@code clock}) when it is retryable.
     */
    public static ModelCallException status(
            int status, HttpHeaders headers, String body, URI uri, HttpEndpoint endpoint, Clock clock) {
        String providerCode = WireJson.errorCode(body).orElse(null);
        String detail = "HTTP " + status + (providerCode != null ? " " + providerCode : "") + " from " + uri + ": "
                + Redactor.clean(WireJson.errorMessage(body), endpoint.apiKey());
        Duration retryAfter = RetryAfter.from(headers, clock).orElse(null);
        return endpoint.kind() == ServerKind.LOCAL_SERVER
                ? localServerStatus(status, detail, retryAfter)
                : providerStatus(status, providerCode, detail, retryAfter);
    }

    /**
     * The failure for an error object found inside an answer whose status was {@code status}
     * ({@code error} is the body or chunk that carries it).
     */
    public static ModelCallException inAnswer(JsonNode error, int status, String model, HttpEndpoint endpoint) {
        String text = WireJson.errorMessage(error);
        String message = model + ": " + endpoint.provider() + " reported an error: "
                + Redactor.clean(text != null ? text : error.toString(), endpoint.apiKey());
        if (endpoint.kind() == ServerKind.LOCAL_SERVER) {
            return ModelCallException.retryable("server_error", message, status, null);
        }
        JsonNode object = error.path("error").isObject() ? error.path("error") : error;
        int code = object.path("code").asInt(0);
        if (code == 429) {
            return ModelCallException.retryable("rate_limited", message, 429, null);
        }
        if (code >= 400 && code < 500) {
            return ModelCallException.nonRetryable("http_" + code, message, code);
        }
        return ModelCallException.retryable("provider_error", message, code == 0 ? null : code, null);
    }

    /** Whether a parsed answer is an error object rather than the protocol's answer. */
    public static boolean isError(JsonNode answer) {
        return answer.hasNonNull("error")
                || "error".equals(answer.path("object").asText());
    }

    private static ModelCallException providerStatus(
            int status, String providerCode, String detail, Duration retryAfter) {
        if (status == 429) {
            if ("enforced_spend_limit_reached".equals(providerCode)) {
                return ModelCallException.nonRetryable("spend_limit_reached", detail, status);
            }
            return ModelCallException.retryable("rate_limited", detail, status, retryAfter);
        }
        if (status == 529) {
            return ModelCallException.retryable("overloaded", detail, status, retryAfter);
        }
        if (status >= 500 || status == 408 || status == 409) {
            return ModelCallException.retryable("http_" + status, detail, status, retryAfter);
        }
        String code = switch (status) {
            case 401 -> "unauthorized";
            case 402 -> "payment_required";
            case 403 -> "forbidden";
            case 404 -> MODEL_NOT_FOUND;
            default -> "http_" + status;
        };
        return ModelCallException.nonRetryable(code, detail, status);
    }

    private static ModelCallException localServerStatus(int status, String detail, Duration retryAfter) {
        return switch (status) {
            case 404 -> ModelCallException.nonRetryable(MODEL_NOT_FOUND, detail, status);
            case 400, 413, 422 -> ModelCallException.nonRetryable(BAD_REQUEST, detail, status);
            case 408, 504 -> ModelCallException.timeout(detail, null);
            default ->
                ModelCallException.retryable(
                        status >= 400 ? "http_" + status : "server_error", detail, status, retryAfter);
        };
    }
}
