package io.tiergate.e2e.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.classifier.tokens.TokenEstimator;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.testkit.invoice.ProviderInvoice;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenRouter-shaped chat completions endpoint ({@code POST /api/v1/chat/completions}) that the
 * cloud worker is configured to call, replaying the documented shapes: SSE chunks, a final usage
 * chunk with empty choices, {@code data: [DONE]}; errors as {@code {"error":{"code","message"}}}
 * with Retry-After on 429. What it answers is switched by the test ({@link Mode}).
 */
final class FakeOpenRouter implements AutoCloseable {

    enum Mode {
        /** 200, streamed, with usage. */
        OK,
        /** 429 with Retry-After: 1 on the first call of each prompt, 200 on later calls. */
        RATE_LIMIT_FIRST_CALL,
        /** 503 on every call. */
        UNAVAILABLE,
        /** no answer until well after the worker's model timeout. */
        HANG,
        /** 401 whose message echoes the key it was sent, as some providers do. */
        UNAUTHORIZED_ECHOING_KEY,
        /** 5 % 503, 5 % 429 with Retry-After: 1, otherwise 200: a provider on a normal day. */
        FLAKY
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-openrouter");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
    private final Map<Mode, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> callsPerPrompt = new ConcurrentHashMap<>();
    private final AtomicInteger authorized = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final String expectedKey;
    private final long hangMillis;
    private final ProviderInvoice invoice = new ProviderInvoice();
    private final CostCalculator prices = new CostCalculator(PriceTable.loadDefault());
    private final TokenEstimator tokens = new TokenEstimator(ClassifierSettings.DEFAULTS.tokenEncoding());
    private volatile int minAnswerMillis;
    private volatile int maxAnswerMillis;

    FakeOpenRouter(String expectedKey, long hangMillis) {
        this.expectedKey = expectedKey;
        this.hangMillis = hangMillis;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/chat/completions", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1";
    }

    void mode(Mode m) {
        mode.set(m);
    }

    /** Every answer takes between {@code min} and {@code max} ms before its first byte (0, 0: at once). */
    void answerDelay(int minMillis, int maxMillis) {
        this.minAnswerMillis = minMillis;
        this.maxAnswerMillis = maxMillis;
    }

    /**
     * What this provider charged: every 200 answer it generated, at the moment it generated it, at
     * the {@code usage.cost} it reported, whether or not the caller was still there to read it.
     */
    ProviderInvoice invoice() {
        return invoice;
    }

    int calls(Mode m) {
        return calls.computeIfAbsent(m, k -> new AtomicInteger()).get();
    }

    /** Calls that carried {@code Authorization: Bearer <the configured key>}. */
    int authorizedCalls() {
        return authorized.get();
    }

    int callsWithoutTheKey() {
        return unauthorized.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (("Bearer " + expectedKey).equals(auth)) {
                authorized.incrementAndGet();
            } else {
                unauthorized.incrementAndGet();
            }
            JsonNode body = Http.JSON.readTree(exchange.getRequestBody().readAllBytes());
            Mode m = mode.get();
            calls.computeIfAbsent(m, k -> new AtomicInteger()).incrementAndGet();
            String prompt = body.path("messages").toString();
            int nth = callsPerPrompt
                    .computeIfAbsent(prompt, k -> new AtomicInteger())
                    .incrementAndGet();
            int dice = ThreadLocalRandom.current().nextInt(100);
            switch (m) {
                case OK -> answer(exchange, body);
                case FLAKY -> {
                    if (dice < 5) {
                        error(exchange, 503, "No instances available for this model right now");
                    } else if (dice < 10) {
                        exchange.getResponseHeaders().add("Retry-After", "1");
                        error(exchange, 429, "Rate limit exceeded: free-models-per-min. ");
                    } else {
                        answer(exchange, body);
                    }
                }
                case RATE_LIMIT_FIRST_CALL -> {
                    if (nth == 1) {
                        exchange.getResponseHeaders().add("Retry-After", "1");
                        error(exchange, 429, "Rate limit exceeded: free-models-per-min. ");
                    } else {
                        answer(exchange, body);
                    }
                }
                case UNAVAILABLE -> error(exchange, 503, "No instances available for this model right now");
                case HANG -> {
                    try {
                        TimeUnit.MILLISECONDS.sleep(hangMillis); // the worker's model timeout is far shorter
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    error(exchange, 504, "upstream timed out");
                }
                case UNAUTHORIZED_ECHOING_KEY ->
                    error(
                            exchange,
                            401,
                            "Incorrect API key provided: " + (auth == null ? "none" : auth.replace("Bearer ", ""))
                                    + ". Check your key.");
            }
        } catch (IOException e) {
            // the worker gave up on the call (timeout): nothing to answer
        }
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode root = Http.JSON.createObjectNode();
        root.putObject("error").put("code", status).put("message", message);
        byte[] bytes = Http.JSON.writeValueAsBytes(root);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /**
     * Streamed or not, as asked, after the configured delay. Usage as a provider counts it: input
     * tokens of the messages' contents (the tokenizer the classifier estimates with, so the
     * write-ahead worst case covers them), output between half of {@code max_tokens} and all of it;
     * {@code usage.cost} (OpenRouter reports it) from the price table. Charged to the {@link
     * #invoice()} before the first byte is written: a caller that died meanwhile is charged all the same.
     */
    private void answer(HttpExchange exchange, JsonNode request) throws IOException {
        int min = minAnswerMillis;
        int max = maxAnswerMillis;
        if (max > 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(min + ThreadLocalRandom.current().nextInt(Math.max(1, max - min)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        String model = request.path("model").asText();
        long promptTokens = 0;
        for (JsonNode message : request.path("messages")) {
            promptTokens += tokens.count(message.path("content").asText());
        }
        int maxTokens = request.path("max_tokens").asInt(800);
        int completion =
                Math.max(1, maxTokens / 2 + ThreadLocalRandom.current().nextInt(maxTokens - maxTokens / 2 + 1));
        ModelPrice price =
                prices.prices().model(model).orElseThrow(() -> new IllegalArgumentException("no price for " + model));
        BigDecimal cost = prices.cloud(price, new TokenUsage(promptTokens, completion, 0, 0), Optional.empty())
                .totalUsd();
        invoice.record(new ProviderInvoice.Call(Instant.now(), model, promptTokens, 0, 0, completion, cost));
        String text = "Looks fine; consider a null check before order.total().";
        ObjectNode usage = Http.JSON.createObjectNode();
        usage.put("prompt_tokens", promptTokens)
                .put("completion_tokens", completion)
                .put("total_tokens", promptTokens + completion)
                .put("cost", cost);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("cache_write_tokens", 0);
        if (!request.path("stream").asBoolean(false)) {
            ObjectNode root = Http.JSON.createObjectNode();
            root.put("id", "gen-fake")
                    .put("provider", "Fake")
                    .put("model", model)
                    .put("object", "chat.completion");
            ArrayNode choices = root.putArray("choices");
            ObjectNode choice = choices.addObject();
            choice.put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", text);
            root.set("usage", usage);
            byte[] bytes = Http.JSON.writeValueAsBytes(root);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(": OPENROUTER PROCESSING\n\n".getBytes(StandardCharsets.UTF_8));
        for (String piece : new String[] {text.substring(0, 12), text.substring(12)}) {
            ObjectNode chunk = chunk(model);
            chunk.withArray("choices")
                    .addObject()
                    .put("index", 0)
                    .putNull("finish_reason")
                    .putObject("delta")
                    .put("role", "assistant")
                    .put("content", piece);
            sse(out, chunk.toString());
        }
        ObjectNode last = chunk(model);
        last.withArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", "stop")
                .putObject("delta")
                .put("content", "");
        sse(out, last.toString());
        ObjectNode usageChunk = chunk(model);
        usageChunk.putArray("choices");
        usageChunk.set("usage", usage);
        sse(out, usageChunk.toString());
        sse(out, "[DONE]");
    }

    private static ObjectNode chunk(String model) {
        ObjectNode chunk = Http.JSON.createObjectNode();
        chunk.put("id", "gen-fake")
                .put("provider", "Fake")
                .put("model", model)
                .put("object", "chat.completion.chunk")
                .put("created", 1742583700);
        return chunk;
    }

    private static void sse(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
