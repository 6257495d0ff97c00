package io.tiergate.localworker.endpoint;

import io.tiergate.localworker.cost.TcoOverride;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.ollama.OllamaChatBackend;
import io.tiergate.worker.openai.OpenAiChatBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local endpoints and the backend each one got at start-up.
 *
 * <p>Selection ({@code tiergate.local-worker.backend}):
 *
 * <ul>
 *   <li>{@code ollama} / {@code openai-compatible}: the real client for every endpoint, whatever the
 *       probe says (a server that is down makes calls fail, the circuit opens, work escalates);
 *   <li>{@code simulated}: the simulated backend for every endpoint;
 *   <li>{@code auto}: each endpoint is probed ({@code GET /api/version} or {@code /v1/models}, short
 *       timeout). One that answers gets its real client. One that does not answer gets the simulated
 *       backend <em>only</em> if its URL was left at the default; an explicitly configured URL is
 *       never simulated. Every simulated choice is logged at WARN and labels results and cost events
 *       {@code simulated=true}.
 * </ul>
 */
public final class LocalEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEndpoints.class);

    private final Map<String, LocalEndpoint> byName;
    private final LocalEndpoint fallback;

    public LocalEndpoints(List<LocalEndpoint> endpoints, String defaultEndpoint) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("tiergate.local-worker.endpoints: at least one endpoint is needed");
        }
        Map<String, LocalEndpoint> map = new LinkedHashMap<>();
        endpoints.forEach(e -> map.put(e.name(), e));
        this.byName = map;
        this.fallback = map.containsKey(defaultEndpoint) ? map.get(defaultEndpoint) : endpoints.get(0);
    }

    /** Chooses a backend per endpoint (see the class comment). */
    public static LocalEndpoints select(
            BackendMode mode,
            List<EndpointSpec> specs,
            String defaultEndpoint,
            ModelHttp http,
            EndpointProbe probe,
            Duration probeTimeout,
            Supplier<ModelBackend> simulated) {
        List<LocalEndpoint> endpoints = new ArrayList<>();
        for (EndpointSpec spec : specs) {
            LocalApi api = spec.api() != null
                    ? spec.api()
                    : mode == BackendMode.OPENAI_COMPATIBLE ? LocalApi.OPENAI_COMPATIBLE : LocalApi.OLLAMA;
            String url = spec.settings().baseUrl().toString();
            ModelBackend backend;
            String description;
            if (mode == BackendMode.SIMULATED) {
                backend = simulated.get();
                description = "SIMULATED (tiergate.local-worker.backend=simulated)";
                LOG.warn(
                        "Local endpoint {}: using the SIMULATED backend (backend=simulated); results are labelled simulated=true",
                        spec.name());
            } else {
                EndpointProbe.Result answer = probe.probe(api, spec.settings().baseUrl(), probeTimeout);
                boolean real = mode != BackendMode.AUTO || answer.reachable() || spec.explicitUrl();
                if (real) {
                    backend = client(api, spec.settings(), http);
                    description = backend.provider() + " at " + url;
                    if (answer.reachable()) {
                        LOG.info("Local endpoint {}: {} answers ({})", spec.name(), description, answer.detail());
                    } else {
                        LOG.error(
                                "Local endpoint {}: {} does not answer ({}); configured explicitly, so it is NOT simulated: calls will fail,"
                                        + " the circuit will open and non-sovereign work will escalate",
                                spec.name(),
                                description,
                                answer.detail());
                    }
                } else {
                    backend = simulated.get();
                    description = "SIMULATED (nothing answered at " + url + ")";
                    LOG.warn(
                            "Local endpoint {}: nothing answers at {} ({}); using the SIMULATED backend for its models."
                                    + " Results and cost events are labelled simulated=true. Start Ollama, or set"
                                    + " tiergate.local-worker.backend=ollama to never simulate.",
                            spec.name(),
                            url,
                            answer.detail());
                }
            }
            endpoints.add(new LocalEndpoint(
                    spec.name(),
                    backend,
                    description,
                    spec.models(),
                    spec.tco(),
                    spec.settings().totalTimeout()));
        }
        return new LocalEndpoints(endpoints, defaultEndpoint);
    }

    /** worker-core's client for a local server speaking {@code api}, as {@code settings} configure it. */
    public static ModelBackend client(LocalApi api, EndpointSettings settings, ModelHttp http) {
        return api == LocalApi.OLLAMA
                ? new OllamaChatBackend(http, settings.http(api), settings.ollamaOptions())
                : new OpenAiChatBackend(http, settings.http(api));
    }

    /** The endpoint serving {@code model}: the first that lists it, else the default endpoint. */
    public LocalEndpoint forModel(String model) {
        for (LocalEndpoint e : byName.values()) {
            if (e.serves(model)) {
                return e;
            }
        }
        return fallback;
    }

    public List<LocalEndpoint> all() {
        return List.copyOf(byName.values());
    }

    /** Endpoint name → TCO override, for the pricer. */
    public Map<String, TcoOverride> tcoOverrides() {
        Map<String, TcoOverride> map = new LinkedHashMap<>();
        byName.values().forEach(e -> map.put(e.name(), e.tco()));
        return map;
    }
}
