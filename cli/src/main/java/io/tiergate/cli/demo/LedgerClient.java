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

  /** Everything the ledger has counted for {@code scope}, exact; empty when the ledger does not answer. */
  public Optional<BigDecimal> totalUsd(String scope) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/ledger/totals")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode root = JSON.readTree(response.body());
      JsonNode value = root.path("totals").has(scope) ? root.path("totals").path(scope) : root.path(scope);
      if (value.isObject()) {
        value = value.path("totalUsd");
      }
      return value.isMissingNode() || value.isNull() ? Optional.empty() : Optional.of(new BigDecimal(value.asText()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
