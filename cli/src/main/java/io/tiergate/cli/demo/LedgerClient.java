package io.tiergate.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Reads spend back from ledger-streams' interactive-query API. */
public final class LedgerClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public LedgerClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * Everything the ledger has counted for {@code scope} (all tiers), exact; empty when the ledger
   * does not answer or has counted nothing for the scope yet.
   */
  public Optional<BigDecimal> totalUsd(String scope) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/ledger/totals")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      // {"totalUsd": "<global>", "costEvents": n, "scopes": [{"scope", "spendUsd", "budgetSpendUsd", "costEvents"}]}
      JsonNode root = JSON.readTree(response.body());
      for (JsonNode s : root.path("scopes")) {
        if (scope.equals(s.path("scope").asText())) {
          return Optional.of(new BigDecimal(s.path("spendUsd").asText()));
        }
      }
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
