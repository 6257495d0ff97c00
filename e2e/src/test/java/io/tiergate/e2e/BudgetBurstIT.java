package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.ledger.cli.BudgetAdmin;
import io.tiergate.ledger.cli.BudgetAdmin.BudgetRequest;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicSnapshot;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's burst acceptance (docs/budgets.md, "Every paid call reserved"): a burst of CODE_REVIEW
 * requests against a small cost-center budget, served by a provider that bills 3× the router's
 * estimate for every answer and fails every other call with a retryable 429 or 503, so retries and
 * fallbacks happen. Router, ledger and cloud worker run as their own JVMs on a broker process; the
 * provider is an OpenAI-compatible chat completions server speaking the documented wire shapes.
 *
 * <p>From the run's own records — cost events, attempt records, routing decisions — it finds the
 * moment the limit was crossed (the cost event at which the cost center's actual spend first passed
 * it) and the calls in flight then (admitted — the primary by the router's decision, any other call
 * by its {@code AttemptStarted} — and not yet billed), and asserts the overshoot is at most their
 * worst cases, and that no call the router did not reserve was started after the crossing.
 */
class BudgetBurstIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String API_KEY = "sk-or-burst-test-0123456789";
    private static final String COST_CENTER = "burst";
    private static final String SONNET = "anthropic/claude-sonnet-4.6";
    private static final int INPUT_TOKENS = 1_000;
    /**
     * Sonnet at $3/M in, $15/M out: 1,000 in + CODE_REVIEW's 800 expected out = $0.015 estimated by the
     * router; 1,000 + 2,800 = $0.045 billed, 3×. (CODE_REVIEW keeps the cloud up to EXHAUSTED, where
     * the budget's REJECT applies; a type that is not critical would be kept local from CRITICAL_ONLY.)
     */
    private static final long BILLED_OUTPUT_TOKENS = 2_800;

    private static final BigDecimal LIMIT_USD = Money.usd("0.45");
    private static final int REQUESTS = 60;

    private static LocalStack stack;
    private static FakeChatProvider provider;

    @BeforeAll
    static void startTheSystem() throws IOException {
        provider = new FakeChatProvider();
        Path dataDir = ROOT.resolve("e2e/target/budget-burst-data");
        Path config = dataDir.resolveSibling("budget-burst-cloud.yml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, """
                tiergate:
                  cloud-worker:
                    backend: real
                    max-in-flight: 8
                    retry:
                      max-attempts-per-model: 3
                      backoff-base: 20ms
                      backoff-max: 100ms
                      max-retry-after: 5s
                      request-deadline: 30s
                    models:
                      claude-sonnet:
                        model: anthropic/claude-sonnet-4.6
                        api: openai
                        base-url: %1$s
                        provider: openrouter
                        api-key-env: OPENROUTER_API_KEY
                        stream: false
                        timeout: 5s
                        requests-per-minute: 100000
                        tokens-per-minute: 1000000000
                        circuit-minimum-calls: 100000
                      claude-haiku:
                        model: anthropic/claude-haiku-4.5
                        api: openai
                        base-url: %1$s
                        provider: openrouter
                        api-key-env: OPENROUTER_API_KEY
                        stream: false
                        timeout: 5s
                        requests-per-minute: 100000
                        tokens-per-minute: 1000000000
                        circuit-minimum-calls: 100000
                """.formatted(provider.baseUrl()));
        List<ServiceSpec> services = ServiceSpec.ALL.stream()
                .filter(s -> Set.of("router-service", "ledger-streams", "cloud-worker")
                        .contains(s.module()))
                .toList();
        StackOptions options = new StackOptions(
                ROOT, dataDir, Optional.empty(), Optional.empty(), 31092, 31081, 3, true, services, 300);
        stack = LocalStack.start(
                options,
                System.out,
                Map.of(
                        "OPENROUTER_API_KEY",
                        API_KEY,
                        "MICRONAUT_CONFIG_FILES",
                        config.toString(),
                        "TIERGATE_LEDGER_STATE_DIR",
                        dataDir.resolve("ledger-state").toString()));
    }

    @AfterAll
    static void stopTheSystem() {
        if (stack != null) {
            stack.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void aRetryStormAtThreeTimesTheEstimatesOvershootsAtMostByTheWorstCaseOfTheCallsInFlightAtTheCrossing()
            throws Exception {
        KafkaClientSettings settings =
                new KafkaClientSettings(stack.bootstrapServers(), stack.registryUrl(), "budget-burst-it");
        String routerUrl = stack.service("router-service").orElseThrow().spec().baseUrl();
        try (BudgetAdmin budgets = new BudgetAdmin(stack.bootstrapServers(), stack.registryUrl())) {
            budgets.set(
                    BudgetRequest.of(COST_CENTER, LIMIT_USD, null).onExhausted(OnExhausted.REJECT),
                    "BudgetBurstIT: a small budget for the burst");
        }
        HttpClient http = HttpClient.newHttpClient();
        await("the router sees the budget")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> http.send(
                                HttpRequest.newBuilder(URI.create(routerUrl + "/prometheus"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body()
                        .contains("tiergate_router_budget_level{scope=\"" + COST_CENTER + "\"}"));

        String prefix = "burst-" + System.currentTimeMillis() + "-";
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        try (KafkaProducer<String, ClassifiedRequest> producer = producer(settings)) {
            for (int i = 1; i <= REQUESTS; i++) {
                String id = prefix + i;
                ids.add(id);
                producer.send(new ProducerRecord<>(Topics.INFERENCE_CLASSIFIED.name(), id, classified(id)));
            }
            producer.flush();
        }

        EventDecoder decoder = new EventDecoder(settings);
        Map<String, InferenceResult> results = new HashMap<>();
        await("one result per request")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(1000))
                .conditionEvaluationListener(c -> System.out.printf(
                        "[burst] waiting %d ms: %d results, %d provider calls%n",
                        c.getElapsedTimeInMS(), results.size(), provider.calls()))
                .until(() -> {
                    results.clear();
                    for (InferenceResult r : read(settings, decoder, Topics.INFERENCE_RESULTS)) {
                        if (r.getRequestId().startsWith(prefix)) {
                            results.merge(r.getRequestId(), r, (a, b) -> {
                                throw new AssertionError("two results for " + a.getRequestId());
                            });
                        }
                    }
                    return results.size() == REQUESTS;
                });
        long servedMs = (System.nanoTime() - t0) / 1_000_000;

        List<CostEvent> costs = read(settings, decoder, Topics.INFERENCE_COSTS).stream()
                .filter(c -> c.getRequestId().startsWith(prefix))
                .sorted(Comparator.comparing(CostEvent::getOccurredAt))
                .toList();
        List<AttemptStarted> attempts = read(settings, decoder, Topics.INFERENCE_ATTEMPTS).stream()
                .filter(a -> a.getRequestId().startsWith(prefix))
                .toList();
        Map<String, RoutingDecision> decisions = read(settings, decoder, Topics.ROUTING_DECISIONS).stream()
                .filter(d -> d.getRequestId().startsWith(prefix))
                .collect(Collectors.toMap(RoutingDecision::getRequestId, d -> d, (a, b) -> b));

        // every call was written ahead once and billed once
        Map<String, CostEvent> costByAttempt = new HashMap<>();
        for (CostEvent c : costs) {
            assertThat(costByAttempt.put(c.getRequestId() + "|" + c.getAttempt(), c))
                    .as("one cost event per attempt")
                    .isNull();
        }
        assertThat(attempts).hasSize(costs.size());
        assertThat(provider.calls()).isEqualTo(attempts.size());
        // the provider billed 3x the router's estimate for every answer
        BigDecimal estimate = decisions.values().stream()
                .filter(d -> d.getTier() == Tier.CLOUD)
                .findFirst()
                .orElseThrow()
                .getEstimatedCostUsd();
        BigDecimal answeredSonnet = costs.stream()
                .filter(c -> c.getSuccess() && c.getModel().equals(SONNET))
                .findFirst()
                .orElseThrow()
                .getCostUsd();
        assertThat(answeredSonnet).isEqualByComparingTo(estimate.multiply(BigDecimal.valueOf(3)));

        // the moment the limit was crossed: the cost event at which actual spend first passed it
        BigDecimal spent = Money.ZERO;
        Instant crossedAt = null;
        for (CostEvent c : costs) {
            spent = spent.add(c.getCostUsd());
            if (crossedAt == null && spent.compareTo(LIMIT_USD) > 0) {
                crossedAt = c.getOccurredAt();
            }
        }
        BigDecimal total = Money.usd(spent);
        assertThat(crossedAt)
                .as("the burst crossed the limit (spent %s of %s)", total, LIMIT_USD)
                .isNotNull();
        BigDecimal overshoot = total.subtract(LIMIT_USD);

        // the calls in flight then: admitted (the primary by its decision, any other call by its
        // AttemptStarted) and not yet billed at that moment
        BigDecimal inFlightWorstCase = Money.ZERO;
        int inFlight = 0;
        int unreservedBefore = 0;
        List<String> unreservedAfter = new ArrayList<>();
        for (AttemptStarted a : attempts) {
            boolean primary = a.getWorstCase().getReason() == CostReason.PRIMARY;
            Instant admittedAt = primary ? decisions.get(a.getRequestId()).getDecidedAt() : a.getStartedAt();
            Instant billedAt =
                    costByAttempt.get(a.getRequestId() + "|" + a.getAttempt()).getOccurredAt();
            if (!admittedAt.isAfter(crossedAt) && !billedAt.isBefore(crossedAt)) {
                inFlight++;
                inFlightWorstCase = inFlightWorstCase.add(a.getWorstCase().getCostUsd());
            }
            if (!primary) {
                if (a.getStartedAt().isAfter(crossedAt)) {
                    unreservedAfter.add(a.getRequestId() + "#" + a.getAttempt() + " at " + a.getStartedAt());
                } else {
                    unreservedBefore++;
                }
            }
        }
        long routed = decisions.values().stream()
                .filter(d -> d.getTier() == Tier.CLOUD)
                .count();
        long refusedByRouter = results.values().stream()
                .filter(r -> r.getTier() == Tier.NONE && "BUDGET_EXHAUSTED".equals(r.getErrorCode()))
                .count();
        List<InferenceResult> refusedByWorker = results.values().stream()
                .filter(r -> r.getTier() == Tier.CLOUD && "BUDGET_EXHAUSTED".equals(r.getErrorCode()))
                .toList();
        long completed =
                results.values().stream().filter(r -> r.getErrorCode() == null).count();

        System.out.printf(
                "[burst] %d requests, %d routed to the cloud (estimate $%s each), %d refused by the router, served in %d ms%n",
                REQUESTS, routed, estimate.toPlainString(), refusedByRouter, servedMs);
        System.out.printf(
                "[burst] %d provider calls (%d failed with 429/503), %d completed, %d stopped by the worker's budget"
                        + " admission%n",
                provider.calls(), provider.failures(), completed, refusedByWorker.size());
        System.out.printf(
                "[burst] unreserved calls (retries, fallbacks): %d started before the crossing, %d after%n",
                unreservedBefore, unreservedAfter.size());
        System.out.printf(
                "[burst] limit $%s, actual spend $%s, overshoot $%s, crossed at %s with %d calls in flight, worst case"
                        + " $%s%n",
                LIMIT_USD.toPlainString(),
                total.toPlainString(),
                overshoot.toPlainString(),
                crossedAt,
                inFlight,
                Money.usd(inFlightWorstCase).toPlainString());

        assertThat(overshoot)
                .as("overshoot <= worst case of the calls in flight when the limit was crossed")
                .isLessThanOrEqualTo(inFlightWorstCase);
        assertThat(unreservedAfter)
                .as("no retry, fallback or escalation call started once actual spend had passed the limit")
                .isEmpty();
        assertThat(refusedByWorker)
                .as("the retry storm met the worker's budget admission")
                .isNotEmpty();
        assertThat(refusedByWorker.get(0).getErrorMessage())
                .contains("budget exhausted for ")
                .contains("budget '" + COST_CENTER + "'")
                .contains("not called");
    }

    private static ClassifiedRequest classified(String id) {
        Instant now = Instant.now();
        return ClassifiedRequest.newBuilder()
                .setRequest(InferenceRequest.newBuilder()
                        .setRequestId(id)
                        .setPrompt("Review this diff of the retrying HTTP client for " + id)
                        .setCostCenter(COST_CENTER)
                        .setCreatedAt(now)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setTaskType(TaskType.CODE_REVIEW)
                        .setConfidence(0.9)
                        .setEstimatedInputTokens(INPUT_TOKENS)
                        .setComplexity(0.6)
                        .build())
                .setClassifiedAt(now)
                .build();
    }

    private static KafkaProducer<String, ClassifiedRequest> producer(KafkaClientSettings settings) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, settings.schemaRegistryUrl());
        AvroSerializer<ClassifiedRequest> values = new AvroSerializer<>();
        values.configure(config, false);
        return new KafkaProducer<>(config, new StringSerializer(), values);
    }

    private static <V extends SpecificRecord> List<V> read(
            KafkaClientSettings settings, EventDecoder decoder, Topic<V> topic) {
        List<ConsumerRecord<String, byte[]>> records = TopicSnapshot.readAll(
                settings,
                ReadSpec.of("budget-burst-it-" + topic.name())
                        .topic(topic, StartAt.beginning())
                        .readCommitted(true),
                Duration.ofSeconds(30));
        List<V> values = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.value() != null) {
                values.add(decoder.decode(topic, r));
            }
        }
        return values;
    }

    /**
     * An OpenAI-compatible chat completions endpoint ({@code POST …/chat/completions}, non-streamed):
     * every other call fails retryably — alternately 429 with {@code Retry-After: 0} and 503, each
     * with the documented {@code {"error":{…}}} body — and every answer reports usage of {@value
     * #INPUT_TOKENS} prompt and {@value #BILLED_OUTPUT_TOKENS} completion tokens: 3× the router's
     * estimate for Sonnet. Answers after 100 ms, so calls overlap.
     */
    static final class FakeChatProvider implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-chat-provider");
            t.setDaemon(true);
            return t;
        });
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();

        FakeChatProvider() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext("/api/v1/chat/completions", this::handle);
            server.setExecutor(executor);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1";
        }

        int calls() {
            return calls.get();
        }

        int failures() {
            return failures.get();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    reply(exchange, 401, "{\"error\":{\"code\":401,\"message\":\"No auth credentials found\"}}");
                    return;
                }
                int n = calls.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(100);
                if (n % 2 == 0) {
                    failures.incrementAndGet();
                    if (n % 4 == 0) {
                        exchange.getResponseHeaders().add("Retry-After", "0");
                        reply(exchange, 429, "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\"}}");
                    } else {
                        reply(exchange, 503, "{\"error\":{\"code\":503,\"message\":\"Provider unavailable\"}}");
                    }
                    return;
                }
                String model = body.replaceAll("(?s).*\"model\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                reply(exchange, 200, """
                        {"id":"gen-%d","object":"chat.completion","created":%d,"model":"%s",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"done"},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}
                        """.formatted(
                                n,
                                Instant.now().getEpochSecond(),
                                model,
                                INPUT_TOKENS,
                                BILLED_OUTPUT_TOKENS,
                                INPUT_TOKENS + BILLED_OUTPUT_TOKENS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void reply(HttpExchange exchange, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
