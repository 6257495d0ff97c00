package io.tiergate.localworker.endpoint;

import io.tiergate.worker.http.Redactor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a local server whether it is there, quickly: Ollama {@code GET /api/version}
 * ({@code {"version": "0.x"}}), an OpenAI-compatible server {@code GET /v1/models}.
 */
public final class EndpointProbe {

    /** The outcome of a probe: whether it answered and what (for the start-up log). */
    public record Result(boolean reachable, String detail) {}

    private final HttpClient http;

    public EndpointProbe(HttpClient http) {
        this.http = http;
    }

    public Result probe(LocalApi api, URI baseUrl, Duration timeout) {
        URI uri = EndpointSettings.defaults("probe", baseUrl)
                .http(api)
                .resolve(api == LocalApi.OLLAMA ? "/api/version" : "/models");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (response.statusCode() / 100 == 2) {
                return new Result(
                        true,
                        "GET " + uri + " -> " + response.statusCode() + " " + Redactor.clean(response.body(), null));
            }
            return new Result(false, "GET " + uri + " -> HTTP " + response.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "GET " + uri + " interrupted");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Result(false, "GET " + uri + " failed within " + timeout + ": " + cause);
        }
    }
}
