package io.tiergate.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Reads spend back from ledger-streams' interactive-query API. */
public final class LedgerClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String apiToken;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param apiToken the ledger's API token (docs/security.md, "HTTP endpoints"); null sends none */
    public LedgerClient(String baseUrl, String apiToken) {
        this.baseUrl = baseUrl;
        this.apiToken = apiToken;
    }

    /**
     * Everything the ledger has counted for {@code scope} (all tiers), exact; empty when the ledger
     * does not answer or has counted nothing for the scope yet.
     */
    public Optional<BigDecimal> totalUsd(String scope) {
        // {"totalUsd": "<global>", "costEvents": n, "scopes": [{"scope", "spendUsd", "budgetSpendUsd", "costEvents"}]}
        return get("/ledger/totals").flatMap(root -> {
            for (JsonNode s : root.path("scopes")) {
                if (scope.equals(s.path("scope").asText())) {
                    return decimal(s.path("spendUsd").asText());
                }
            }
            return Optional.empty();
        });
    }

    /**
     * What {@code scope}'s daily budget counts as spent today, read from the ledger's store (budget.status
     * only carries it every few seconds); empty when the ledger does not answer or knows no such scope.
     */
    public Optional<BigDecimal> budgetSpendTodayUsd(String scope) {
        return get("/ledger/spend?scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8) + "&period=day")
                .flatMap(root -> decimal(root.path("spendUsd").asText()));
    }

    private static Optional<BigDecimal> decimal(String text) {
        try {
            return Optional.of(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Optional<JsonNode> get(String path) {
        try {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5));
            if (apiToken != null) {
                request.header("Authorization", "Bearer " + apiToken);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
