package io.tiergate.e2e.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Small HTTP reads of the services: /health, /prometheus, the ledger API and dashboard. */
final class Http {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The services' API token in the fault stack (FaultStack sets it): every read here is
     * authenticated, so the ledger API answers and /health shows its details.
     */
    static final String API_TOKEN = "fault-suite-api-token-0123456789";

    private Http() {}

    /** The body of a 200 answer; empty on any other status or when nothing answers. */
    static Optional<String> get(String url) {
        try {
            HttpResponse<String> r = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + API_TOKEN)
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static boolean healthUp(String baseUrl) {
        return get(baseUrl + "/health").map(b -> b.contains("\"UP\"")).orElse(false);
    }

    /**
     * Sum of the samples of a Prometheus metric whose label set contains every {@code labels}
     * fragment (e.g. {@code tier="CLOUD"}); empty when the endpoint does not answer.
     */
    static Optional<Double> metric(String baseUrl, String name, String... labels) {
        return get(baseUrl + "/prometheus").map(body -> sum(body, name, labels));
    }

    static double sum(String exposition, String name, String... labels) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean matches = true;
            for (String l : labels) {
                matches &= line.contains(l);
            }
            if (matches) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** Lifetime spend and cost-event count per scope from the ledger's GET /ledger/totals. */
    record ScopeTotal(BigDecimal spendUsd, BigDecimal budgetSpendUsd, long costEvents) {}

    static Optional<Map<String, ScopeTotal>> ledgerTotals(String ledgerBaseUrl) {
        return get(ledgerBaseUrl + "/ledger/totals").map(body -> {
            try {
                JsonNode root = JSON.readTree(body);
                Map<String, ScopeTotal> out = new HashMap<>();
                for (JsonNode s : root.path("scopes")) {
                    out.put(
                            s.path("scope").asText(),
                            new ScopeTotal(
                                    new BigDecimal(s.path("spendUsd").asText()),
                                    new BigDecimal(s.path("budgetSpendUsd").asText()),
                                    s.path("costEvents").asLong()));
                }
                return out;
            } catch (IOException e) {
                throw new IllegalStateException("unreadable /ledger/totals: " + body, e);
            }
        });
    }
}
