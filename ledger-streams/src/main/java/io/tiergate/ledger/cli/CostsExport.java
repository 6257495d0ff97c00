package io.tiergate.ledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.topics.Topics;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;

/**
 * The daily cost CSV for the CLI ({@code ./tiergate costs export --from … --to … --csv}), without
 * Micronaut: one row per UTC day × scope × task type × tier × model, read from the ledger's HTTP
 * API ({@code GET /ledger/windows?kind=DAY}).
 *
 * <p>Why the API and not the topic: {@code cost.windows} is an update stream (every change of a
 * window, then its closed value) with delete retention, so an export from it would have to replay
 * and de-duplicate whatever retention left; the ledger's daily window store holds exactly one
 * current value per window for the configured retention (100 days by default), the same numbers
 * the dashboard shows. The ledger must be running.
 *
 * <p>Money columns are the API's exact decimal strings (nano-dollar scale), never re-formatted.
 */
public final class CostsExport {

    public static final String HEADER =
            "date,scope,task_type,tier,model,spend_usd,rework_spend_usd,input_tokens,output_tokens,requests,avg_latency_ms";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI ledger;
    private final String apiToken;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param ledgerBaseUrl e.g. {@code http://127.0.0.1:8095}
     * @param apiToken the ledger's API token (docs/security.md, "HTTP endpoints"); null sends none
     */
    public CostsExport(URI ledgerBaseUrl, String apiToken) {
        this.ledger = ledgerBaseUrl;
        this.apiToken = apiToken;
    }

    /**
     * Writes the header and one row per daily window starting on a day in [from, toInclusive].
     *
     * @param scope a cost center, or "global"; {@code null}: every cost center and no global rows,
     *     so the spend column sums to the total without counting anything twice
     * @return the number of rows written (without the header)
     */
    public int writeDailyCsv(LocalDate from, LocalDate toInclusive, String scope, Writer out) throws IOException {
        if (toInclusive.isBefore(from)) {
            throw new IllegalArgumentException("--to (" + toInclusive + ") is before --from (" + from + ")");
        }
        StringBuilder query = new StringBuilder("/ledger/windows?kind=DAY&from=")
                .append(from)
                .append("&to=")
                .append(toInclusive);
        if (scope != null) {
            query.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        JsonNode windows = get(query.toString());
        out.write(HEADER);
        out.write('\n');
        int rows = 0;
        for (JsonNode window : windows) {
            if (scope == null && Topics.GLOBAL_SCOPE.equals(window.path("scope").asText())) {
                continue;
            }
            out.write(String.join(
                    ",",
                    window.path("windowStart").asText().substring(0, 10),
                    csv(window.path("scope").asText()),
                    window.path("taskType").asText(),
                    window.path("tier").asText(),
                    csv(window.path("model").asText()),
                    window.path("spendUsd").asText(),
                    window.path("reworkSpendUsd").asText(),
                    window.path("inputTokens").asText(),
                    window.path("outputTokens").asText(),
                    window.path("requestCount").asText(),
                    String.format(
                            Locale.ROOT, "%.1f", window.path("avgLatencyMs").asDouble())));
            out.write('\n');
            rows++;
        }
        out.flush();
        return rows;
    }

    private JsonNode get(String pathAndQuery) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(ledger.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (apiToken != null) {
            builder.header("Authorization", "Bearer " + apiToken);
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while asking the ledger at " + ledger, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("The ledger at " + ledger + " answered " + response.statusCode() + " to "
                    + pathAndQuery + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** RFC 4180 quoting where a value needs it. */
    private static String csv(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
