package io.tiergate.worker.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.testkit.invoice.ProviderInvoice;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fake providers' bookkeeping: every successful reply that carries usage is a call the
 * provider charged, recorded in a {@link ProviderInvoice} with the model the reply names, its
 * tokens and its cost — the reply's own {@code usage.cost} where the protocol has one (OpenRouter),
 * otherwise its tokens at the price table's prices. The whole scripted body counts, as a real
 * provider bills what it generated: a reply cut mid-stream or left hanging is charged all the
 * same, which is what the ledger must cover.
 *
 * <p>Understands OpenAI chat completions (JSON, and SSE with a usage chunk) and Anthropic Messages
 * (JSON, and SSE {@code message_start} + {@code message_delta}). Ollama replies are local and carry
 * no {@code usage}: never charged.
 */
public final class InvoiceRecorder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderInvoice invoice = new ProviderInvoice();
    private final CostCalculator prices;
    private final Map<String, String> priceIds;
    private final Clock clock;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param priceIds the price-table id of a served model name where they differ (e.g. {@code
     *     claude-sonnet-4-6} → {@code anthropic/claude-sonnet-4.6})
     */
    public InvoiceRecorder(PriceTable prices, Map<String, String> priceIds, Clock clock) {
        this.prices = new CostCalculator(prices);
        this.priceIds = Map.copyOf(priceIds);
        this.clock = clock;
    }

    public InvoiceRecorder(Map<String, String> priceIds) {
        this(PriceTable.loadDefault(), priceIds, Clock.systemUTC());
    }

    /**
     * What the provider charged so far.
     *
     * @throws IllegalStateException when a reply could not be charged (no price for its model, a body that is not JSON)
     */
    public ProviderInvoice invoice() {
        synchronized (problems) {
            if (!problems.isEmpty()) {
                throw new IllegalStateException("replies the fake provider could not charge: " + problems);
            }
        }
        return invoice;
    }

    /** Called by a fake server for each reply it serves. */
    void served(int status, String contentType, String body) {
        if (status / 100 != 2) {
            return; // providers do not charge errors
        }
        try {
            Optional<Usage> usage = contentType.startsWith("text/event-stream") ? fromStream(body) : fromJson(body);
            usage.ifPresent(this::charge);
        } catch (RuntimeException | JsonProcessingException e) {
            synchronized (problems) {
                problems.add(e.toString());
            }
        }
    }

    private record Usage(String model, TokenUsage tokens, Optional<BigDecimal> reportedUsd) {}

    private void charge(Usage usage) {
        String id = priceIds.getOrDefault(usage.model(), usage.model());
        BigDecimal cost = usage.reportedUsd().orElseGet(() -> {
            ModelPrice price = prices.prices()
                    .model(id)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "no price for served model " + usage.model() + " (price-table id " + id + ")"));
            return prices.cloud(price, usage.tokens(), Optional.empty()).totalUsd();
        });
        TokenUsage t = usage.tokens();
        invoice.record(new ProviderInvoice.Call(
                clock.instant(), usage.model(), t.uncachedInput(), t.cachedRead(), t.cacheWrite(), t.output(), cost));
    }

    private static Optional<Usage> fromJson(String body) throws JsonProcessingException {
        if (body.isBlank()) {
            return Optional.empty();
        }
        JsonNode root = JSON.readTree(body);
        JsonNode usage = root.path("usage");
        if (!usage.isObject()) {
            return Optional.empty();
        }
        return Optional.of(
                usage.has("prompt_tokens") ? openAi(root.path("model").asText(), usage) : anthropic(root, usage));
    }

    private static Optional<Usage> fromStream(String body) throws JsonProcessingException {
        Usage found = null;
        String anthropicModel = null;
        JsonNode anthropicStart = null;
        long anthropicOutput = 0;
        for (String line : body.split("\n")) {
            if (!line.startsWith("data:")) {
                continue;
            }
            String data = line.substring(5).trim();
            if (data.isEmpty() || data.equals("[DONE]")) {
                continue;
            }
            JsonNode event = JSON.readTree(data);
            String type = event.path("type").asText();
            if (type.equals("message_start")) {
                anthropicModel = event.path("message").path("model").asText();
                anthropicStart = event.path("message").path("usage");
                anthropicOutput = anthropicStart.path("output_tokens").asLong();
            } else if (type.equals("message_delta") && event.path("usage").has("output_tokens")) {
                anthropicOutput = event.path("usage").path("output_tokens").asLong(); // cumulative
            } else if (event.path("usage").isObject() && event.path("usage").has("prompt_tokens")) {
                found = openAi(event.path("model").asText(), event.path("usage"));
            }
        }
        if (anthropicStart != null) {
            return Optional.of(new Usage(
                    anthropicModel,
                    new TokenUsage(
                            anthropicStart.path("input_tokens").asLong(),
                            anthropicOutput,
                            anthropicStart.path("cache_read_input_tokens").asLong(),
                            anthropicStart.path("cache_creation_input_tokens").asLong()),
                    Optional.empty()));
        }
        return Optional.ofNullable(found);
    }

    /** OpenAI counts cached and cache-write tokens inside prompt_tokens; OpenRouter adds usage.cost. */
    private static Usage openAi(String model, JsonNode usage) {
        long prompt = usage.path("prompt_tokens").asLong();
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong();
        long written =
                usage.path("prompt_tokens_details").path("cache_write_tokens").asLong();
        Optional<BigDecimal> cost =
                usage.path("cost").isNumber() ? Optional.of(usage.path("cost").decimalValue()) : Optional.empty();
        return new Usage(
                model,
                new TokenUsage(
                        prompt - cached - written,
                        usage.path("completion_tokens").asLong(),
                        cached,
                        written),
                cost);
    }

    private static Usage anthropic(JsonNode root, JsonNode usage) {
        return new Usage(
                root.path("model").asText(),
                new TokenUsage(
                        usage.path("input_tokens").asLong(),
                        usage.path("output_tokens").asLong(),
                        usage.path("cache_read_input_tokens").asLong(),
                        usage.path("cache_creation_input_tokens").asLong()),
                Optional.empty());
    }
}
