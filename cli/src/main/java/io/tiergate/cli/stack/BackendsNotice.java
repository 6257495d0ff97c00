package io.tiergate.cli.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says at start which model backends are simulated and why, read from the workers' own metrics (the workers
 * decide; docs/decisions.md, "When the simulated backend serves (never silently)"): a newcomer must not
 * mistake canned answers and profile prices for real models.
 */
public final class BackendsNotice {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LOCAL_SIMULATED =
            Pattern.compile("^tiergate_local_worker_backend_simulated\\{[^}]*endpoint=\"([^\"]*)\"[^}]*} 1(\\.0)?$");
    private static final Pattern CLOUD_SIMULATED = Pattern.compile(
            "^tiergate_cloud_worker_circuit_open\\{(?=[^}]*simulated=\"true\")[^}]*model=\"([^\"]*)\"[^}]*} .*$");

    private BackendsNotice() {}

    /** The simulated local endpoints and cloud models in two workers' {@code /prometheus} texts. */
    record Simulated(List<String> localEndpoints, List<String> cloudModels) {
        boolean any() {
            return !localEndpoints.isEmpty() || !cloudModels.isEmpty();
        }
    }

    static Simulated parse(String localWorkerMetrics, String cloudWorkerMetrics) {
        return new Simulated(
                matches(LOCAL_SIMULATED, localWorkerMetrics), matches(CLOUD_SIMULATED, cloudWorkerMetrics));
    }

    /**
     * The notice for these metrics, or empty when every backend is real.
     *
     * @param speedUp how many times faster than their model profiles simulated backends run
     */
    static Optional<String> text(Simulated simulated, String speedUp) {
        if (!simulated.any()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder("[stack] SIMULATED models: ");
        if (!simulated.localEndpoints().isEmpty()) {
            text.append("local tier (no Ollama answered at TIERGATE_OLLAMA_URL, default http://127.0.0.1:11434)");
        }
        if (!simulated.cloudModels().isEmpty()) {
            text.append(simulated.localEndpoints().isEmpty() ? "" : "; ")
                    .append("cloud tier, ")
                    .append(simulated.cloudModels().size())
                    .append(" models (no OPENROUTER_API_KEY, OPENAI_API_KEY or ANTHROPIC_API_KEY for them)");
        }
        text.append(".\n[stack]   Simulated models answer with canned text at their profile's latency ÷ ")
                .append(new java.math.BigDecimal(speedUp).stripTrailingZeros().toPlainString())
                .append(" and bill the profile's price; results, cost events and metrics say simulated=true."
                        + "\n[stack]   Start Ollama or set an API key, then restart, for real models"
                        + " (docs/getting-started.md, \"Backends: real or simulated\").");
        return Optional.of(text.toString());
    }

    /**
     * The one line that repeats it in a summary ({@code ./tiergate up}'s last lines, after the
     * services' start-up output has scrolled the notice away), or empty when every backend is real.
     */
    static Optional<String> summary(Simulated simulated) {
        if (!simulated.any()) {
            return Optional.empty();
        }
        StringBuilder tiers = new StringBuilder();
        if (!simulated.localEndpoints().isEmpty()) {
            tiers.append("local tier (no Ollama)");
        }
        if (!simulated.cloudModels().isEmpty()) {
            tiers.append(tiers.isEmpty() ? "" : ", ")
                    .append("cloud tier (no provider API key, ")
                    .append(simulated.cloudModels().size())
                    .append(" models)");
        }
        return Optional.of("[stack] backends: SIMULATED " + tiers
                + " — canned answers at the model profiles' latency and prices, labelled simulated=true;"
                + " the dashboard says so too");
    }

    /** Reads the workers' metrics (empty text when one does not run or answer). */
    static Simulated forServices(List<ServiceProcess> services) {
        String local = metricsOf(services, "local-worker");
        String cloud = metricsOf(services, "cloud-worker");
        return parse(local, cloud);
    }

    private static String metricsOf(List<ServiceProcess> services, String module) {
        Optional<ServiceProcess> service =
                services.stream().filter(s -> s.spec().module().equals(module)).findFirst();
        if (service.isEmpty()) {
            return "";
        }
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(service.get().spec().baseUrl() + "/prometheus"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static List<String> matches(Pattern pattern, String text) {
        TreeSet<String> found = new TreeSet<>();
        for (String line : text.split("\n")) {
            Matcher m = pattern.matcher(line.trim());
            if (m.matches()) {
                found.add(m.group(1));
            }
        }
        return List.copyOf(found);
    }
}
