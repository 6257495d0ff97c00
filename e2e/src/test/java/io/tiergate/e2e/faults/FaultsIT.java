package io.tiergate.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.cli.demo.PipelineTracker;
import io.tiergate.cli.demo.PipelineTracker.RequestState;
import io.tiergate.e2e.faults.FakeOpenRouter.Mode;
import io.tiergate.e2e.faults.TopicScan.Decoded;
import io.tiergate.e2e.faults.TopicScan.Isolation;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.invoice.ProviderInvoice;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on the whole system as it runs for a user: a Kafka broker process, the embedded schema
 * registry and the services as their own JVMs, simulated model backends sped up, and
 * protocol-faithful local HTTP servers standing in for OpenRouter and Ollama where a fault needs
 * one. One stack is shared by the scenarios, in order; each leaves it healthy for the next. The
 * last two scan everything the run produced: no sovereign or sensitive request on the cloud
 * topic, and the configured API key nowhere in logs, events, metrics or the dashboard.
 *
 * <p>Ports: broker 29092 (controller 29093), registry 28081, services 8091-8098: do not run next to
 * another stack. Measured figures go to {@code e2e/target/faults-numbers.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static final Duration START = Duration.ofSeconds(240);
    private static final String RUN = "f" + Long.toString(System.currentTimeMillis() % 10_000_000, 36) + "-";
    /** Looks like an OpenRouter key; random per run so a hit can only come from this run's config. */
    private static final String API_KEY = "sk-or-v1-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(32));

    private static final String SONNET = "anthropic/claude-sonnet-4.6";
    private static final Numbers NUMBERS = new Numbers();

    private static FaultStack stack;
    private static Upstream upstream;
    private static TopicScan scan;
    private static FakeOpenRouter cloudApi;
    private static FakeOllama ollama;
    private static Path configDir;

    @BeforeAll
    static void startTheSystem() throws IOException {
        long t0 = System.nanoTime();
        Path dataDir = FaultStack.ROOT.resolve("e2e/target/faults-data");
        stack = new FaultStack(
                dataDir,
                Map.of(
                        "TIERGATE_LOCAL_BACKEND",
                        "simulated",
                        "TIERGATE_SIMULATION_SPEED_UP",
                        "50",
                        // every service gets the key, as a shared .env would give it: none may leak it
                        "OPENROUTER_API_KEY",
                        API_KEY,
                        "TIERGATE_LEDGER_STATE_DIR",
                        dataDir.resolve("ledger-state").toString()));
        stack.startInfrastructure();
        configDir = Files.createDirectories(dataDir.resolve("config"));
        cloudApi = new FakeOpenRouter(API_KEY, 3_000);
        ollama = new FakeOllama();
        writeConfigs();
        stack.define("classifier", FaultStack.spec("classifier-service", 8091), Map.of());
        stack.define("router-1", FaultStack.spec("router-service", 8092), Map.of());
        stack.define("local-1", FaultStack.spec("local-worker", 8093), worker("local-worker-1", "local-simulated.yml"));
        stack.define("cloud-1", FaultStack.spec("cloud-worker", 8094), worker("cloud-worker-1", "cloud-simulated.yml"));
        stack.define("ledger", FaultStack.spec("ledger-streams", 8095), Map.of());
        stack.define("router-2", FaultStack.spec("router-service", 8096), Map.of());
        stack.define("cloud-2", FaultStack.spec("cloud-worker", 8097), worker("cloud-worker-2", "cloud-simulated.yml"));
        stack.startAll(List.of("classifier", "router-1", "local-1", "cloud-1", "ledger"), START);
        upstream = new Upstream(stack.bootstrapServers(), stack.registryUrl());
        scan = new TopicScan(stack.bootstrapServers(), stack.registryUrl());
        NUMBERS.put("stack.startMs", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopTheSystem() {
        NUMBERS.write(FaultStack.ROOT.resolve("e2e/target/faults-numbers.txt"));
        if (upstream != null) {
            upstream.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (cloudApi != null) {
            cloudApi.close();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    private static Map<String, String> worker(String workerId, String configFile) {
        return Map.of(
                "TIERGATE_WORKER_ID",
                workerId,
                "MICRONAUT_CONFIG_FILES",
                configDir.resolve(configFile).toString());
    }

    private static void writeConfigs() throws IOException {
        // simulated cloud calls slowed to 1/5 of the modelled time (so calls are in flight when a worker
        // is killed), with 5 % 503s and 5 % 429s: retries happen while workers die
        Files.writeString(configDir.resolve("cloud-simulated.yml"), """
        tiergate:
          cloud-worker:
            backend: simulated
            simulation:
              speed-up: 5
              failure-rate: 0.05
              rate-limit-rate: 0.05
        """);
        Files.writeString(configDir.resolve("local-simulated.yml"), """
        tiergate:
          local-worker:
            backend: simulated
            simulation-speed-up: 25
        """);
        // every cloud model at the fake OpenRouter: short timeout, short open circuits, quick retries
        StringBuilder models = new StringBuilder();
        Map<String, String> handles = Map.of(
                "deepseek-chat",
                "deepseek/deepseek-chat",
                "claude-haiku",
                "anthropic/claude-haiku-4.5",
                "claude-sonnet",
                SONNET,
                "claude-opus",
                "anthropic/claude-opus-4.6");
        handles.forEach((handle, model) -> models.append("""
                      %s:
                        model: %s
                        api: openai
                        base-url: %s
                        provider: openrouter
                        api-key-env: OPENROUTER_API_KEY
                        timeout: 1s
                        circuit-minimum-calls: 4
                        circuit-open-for: 2s
                """.formatted(handle, model, cloudApi.baseUrl())));
        Files.writeString(configDir.resolve("cloud-real.yml"), """
        tiergate:
          cloud-worker:
            backend: real
            retry:
              max-attempts-per-model: 3
              backoff-base: 100ms
              backoff-max: 500ms
              max-retry-after: 5s
              request-deadline: 20s
            models:
        """ + models);
        // the same models at the fake OpenRouter for the crash scenarios: answers take 0.3-1.2 s (calls in flight
        // when a worker dies), 5 % 503s and 5 % 429s (FLAKY): retries happen while workers die; circuits only for
        // a real outage
        StringBuilder loadModels = new StringBuilder();
        handles.forEach((handle, model) -> loadModels.append("""
                      %s:
                        model: %s
                        api: openai
                        base-url: %s
                        provider: openrouter
                        api-key-env: OPENROUTER_API_KEY
                        timeout: 5s
                        circuit-minimum-calls: 50
                """.formatted(handle, model, cloudApi.baseUrl())));
        Files.writeString(configDir.resolve("cloud-openrouter.yml"), """
        tiergate:
          cloud-worker:
            backend: real
            retry:
              max-attempts-per-model: 3
              backoff-base: 100ms
              backoff-max: 500ms
              max-retry-after: 5s
              request-deadline: 30s
            models:
        """ + loadModels);
        Files.writeString(configDir.resolve("local-ollama.yml"), """
        tiergate:
          local-worker:
            backend: ollama
            circuit-open-duration: 3s
            hold-max-wait: 15s
            endpoints:
              ollama:
                base-url: %s
                connect-timeout: 500ms
                first-byte-timeout: 2s
                total-timeout: 5s
        """.formatted(ollama.baseUrl()));
    }

    // ---------------------------------------------------------------------------------------------
    // 1. bad input

    @Test
    @Order(1)
    void badInputGoesToItsDeadLetterTopicWithAReasonAndEveryServiceStaysHealthy() throws Exception {
        String p = RUN + "bad-";
        Map<String, Expected> expected = new LinkedHashMap<>();

        byte[] good = upstream.encode(
                Topics.INFERENCE_REQUESTS,
                Upstream.request(p + "x", "Summarize the release notes.", "bad").build());
        send(
                expected,
                Topics.INFERENCE_REQUESTS,
                p + "truncated-avro",
                Arrays.copyOf(good, good.length - 7),
                "truncated");
        send(
                expected,
                Topics.INFERENCE_REQUESTS,
                p + "unknown-schema-id",
                BadRecords.withSchemaId(good, 999_999),
                "999999");
        int costEventId =
                upstream.registry().register(Topics.INFERENCE_COSTS.name() + "-value", CostEvent.getClassSchema());
        send(
                expected,
                Topics.INFERENCE_REQUESTS,
                p + "schema-id-of-another-type",
                BadRecords.withSchemaId(good, costEventId),
                "cannot be read as");
        send(
                expected,
                Topics.INFERENCE_REQUESTS,
                p + "json",
                "{\"requestId\":\"x\",\"prompt\":\"hello\"}".getBytes(StandardCharsets.UTF_8),
                "magic byte");
        sendRequest(expected, p + "empty-prompt", "", "prompt is empty");
        sendRequest(expected, p + "blank-prompt", " \n\t ", "prompt is empty");
        sendRequest(expected, p + "oversize-prompt", "lorem ipsum dolor sit amet ".repeat(10_000), "prompt too large");
        send(
                expected,
                Topics.INFERENCE_REQUESTS,
                p + "one-megabyte-attributes",
                upstream.encode(
                        Topics.INFERENCE_REQUESTS,
                        Upstream.request(p + "one-megabyte-attributes", "Summarize the release notes.", "bad")
                                .setAttributes(Map.of("blob", "x".repeat(1_000_000)))
                                .build()),
                "can travel through the pipeline");
        sendRequest(
                expected,
                p + "control-characters",
                "Summarize:\u0000\u0007\u001b[2J\b the report",
                "control character U+0000");
        byte[] readable = upstream.encode(
                Topics.INFERENCE_REQUESTS,
                Upstream.request(p + "invalid-utf8", "Summarize XYZ the report", "bad")
                        .build());
        send(
                expected,
                Topics.INFERENCE_REQUESTS,
                p + "invalid-utf8",
                BadRecords.withBytesReplaced(readable, "XYZ", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}),
                "not valid UTF-8");

        send(
                expected,
                Topics.BUDGET_CONFIG,
                p + "negative-budget",
                upstream.encode(Topics.BUDGET_CONFIG, BadRecords.budget(p + "negative-budget", "-5")),
                "negative");
        send(
                expected,
                Topics.BUDGET_CONFIG,
                p + "absurd-budget",
                upstream.encode(Topics.BUDGET_CONFIG, BadRecords.budget(p + "absurd-budget", "10000000000")),
                "absurd");
        send(
                expected,
                Topics.BUDGET_CONFIG,
                p + "budget-json",
                "{\"scope\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "magic byte");

        RoutingRule unknownType = RoutingRule.newBuilder()
                .setTaskType("TRANSLATION")
                .setTier(Tier.CLOUD)
                .setModel(SONNET)
                .setUpdatedAt(Instant.now())
                .build();
        send(
                expected,
                Topics.ROUTING_RULES,
                "TRANSLATION",
                upstream.encode(Topics.ROUTING_RULES, unknownType),
                "unknown task type");
        send(
                expected,
                Topics.ROUTING_RULES,
                "SUMMARIZATION",
                BadRecords.ruleWithUnknownTierSymbol(upstream.registry(), "SUMMARIZATION", "EDGE"),
                "tier must be LOCAL or CLOUD");

        send(
                expected,
                Topics.TIER_LOCAL,
                p + "tier-local-json",
                "{\"attempt\":1}".getBytes(StandardCharsets.UTF_8),
                "magic byte");
        byte[] routed = upstream.encode(Topics.TIER_CLOUD, BadRecords.routed(p + "tier-cloud-truncated"));
        send(
                expected,
                Topics.TIER_CLOUD,
                p + "tier-cloud-truncated",
                Arrays.copyOf(routed, routed.length - 3),
                "truncated");
        byte[] cost = upstream.encode(Topics.INFERENCE_COSTS, BadRecords.costEvent(p + "cost-truncated"));
        send(expected, Topics.INFERENCE_COSTS, p + "cost-truncated", Arrays.copyOf(cost, cost.length - 3), "truncated");
        send(
                expected,
                Topics.INFERENCE_CLASSIFIED,
                p + "reserved-cost-center",
                upstream.encode(
                        Topics.INFERENCE_CLASSIFIED,
                        BadRecords.classified(p + "reserved-cost-center", Topics.GLOBAL_SCOPE)),
                "reserved");
        upstream.flush();

        Map<String, ConsumerRecord<String, byte[]>> letters = new TreeMap<>();
        Set<String> dlqTopics =
                expected.values().stream().map(e -> e.topic().dlq()).collect(Collectors.toSet());
        await("every bad record in its .dlq")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    for (String dlq : dlqTopics) {
                        for (ConsumerRecord<String, byte[]> r : scan.raw(dlq, Isolation.READ_COMMITTED)) {
                            letters.put(dlq + "/" + r.key(), r);
                        }
                    }
                    return expected.entrySet().stream()
                            .allMatch(e ->
                                    letters.containsKey(e.getValue().topic().dlq() + "/" + e.getKey()));
                });
        for (var e : expected.entrySet()) {
            ConsumerRecord<String, byte[]> letter =
                    letters.get(e.getValue().topic().dlq() + "/" + e.getKey());
            String reason = TopicScan.header(letter, TopicScan.ERROR_MESSAGE);
            NUMBERS.put("badInput." + e.getKey().replace(p, "") + ".reason", reason);
            assertThat(reason).as("reason of " + e.getKey()).isNotBlank();
            assertThat(reason.toLowerCase(java.util.Locale.ROOT))
                    .as("reason of " + e.getKey())
                    .contains(e.getValue().reasonFragment().toLowerCase(java.util.Locale.ROOT));
            assertThat(TopicScan.header(letter, TopicScan.SOURCE_TOPIC))
                    .isEqualTo(e.getValue().topic().name());
        }

        // every dead-lettered request is answered: one REJECTED result, under its request id
        Set<String> owed = expected.entrySet().stream()
                .filter(e -> ANSWERED_TOPICS.contains(e.getValue().topic().name()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, List<InferenceResult>> answers = new TreeMap<>();
        await("a REJECTED result for every dead-lettered request")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    answers.clear();
                    for (var r : scan.decoded(Topics.INFERENCE_RESULTS, Isolation.READ_COMMITTED)) {
                        if (r.value().isPresent() && owed.contains(r.key())) {
                            answers.computeIfAbsent(r.key(), k -> new ArrayList<>())
                                    .add(r.value().get());
                        }
                    }
                    return answers.keySet().equals(owed);
                });
        NUMBERS.put("badInput.answeredRejected", answers.size());
        answers.forEach((id, results) -> assertThat(results)
                .as("results of " + id)
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.getStatus()).isEqualTo(ResultStatus.REJECTED);
                    assertThat(r.getErrorCode()).isIn("undecodable", "invalid_input");
                    assertThat(r.getErrorMessage()).isNotBlank();
                }));

        // still healthy, and still serving: good requests behind the bad ones get their results
        List<String> ids = IntStream.range(0, 6).mapToObj(i -> p + "good-" + i).toList();
        try (PipelineTracker tracker =
                new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), p + "good-")) {
            for (int i = 0; i < ids.size(); i++) {
                upstream.request(Traffic.request(p + "good-", i, List.of(p + "cc"), 100));
            }
            upstream.flush();
            awaitResults(tracker, ids, Duration.ofSeconds(60));
        }
        for (FaultStack.Instance i : stack.instances()) {
            if (i.alive()) {
                assertThat(Http.healthUp(i.baseUrl()))
                        .as(i.name + " /health UP")
                        .isTrue();
            }
        }
    }

    /** Topics keyed by request id whose dead-lettered records are owed a result. */
    private static final Set<String> ANSWERED_TOPICS = Set.of(
            Topics.INFERENCE_REQUESTS.name(),
            Topics.INFERENCE_CLASSIFIED.name(),
            Topics.TIER_LOCAL.name(),
            Topics.TIER_CLOUD.name());

    private record Expected(Topic<?> topic, String reasonFragment) {}

    private static void send(Map<String, Expected> expected, Topic<?> topic, String key, byte[] value, String reason) {
        expected.put(key, new Expected(topic, reason));
        upstream.sendRaw(topic.name(), key, value);
    }

    private static void sendRequest(Map<String, Expected> expected, String id, String prompt, String reason) {
        send(
                expected,
                Topics.INFERENCE_REQUESTS,
                id,
                upstream.encode(
                        Topics.INFERENCE_REQUESTS,
                        Upstream.request(id, prompt, "bad").build()),
                reason);
    }

    // ---------------------------------------------------------------------------------------------
    // 2. kill -9 of workers mid-flight, repeatedly, under steady load

    private static final int CRASHES_PER_WORKER = 10;

    /** Every SIGKILL of a worker so far: the calls it had in flight bound the ledger's excess over the invoice. */
    private static final ConcurrentLinkedQueue<LedgerVsInvoice.Kill> WORKER_KILLS = new ConcurrentLinkedQueue<>();

    @Test
    @Order(2)
    void workersKilledMidFlightTwentyTimesUnderLoadLoseNothingAndBillEachAttemptOnce() throws Exception {
        // the cloud worker calls the fake OpenRouter (which keeps an invoice) from here to the end of scenario 3
        cloudApi.mode(Mode.FLAKY);
        cloudApi.answerDelay(300, 1200);
        restartWithConfig("cloud-1", "cloud-openrouter.yml");
        String p = RUN + "crash-";
        List<String> ccs = costCenters(p, 3);
        ConcurrentLinkedQueue<String> kills = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> restarts = new ConcurrentLinkedQueue<>();
        List<String> ids;
        long t0 = System.nanoTime();
        try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), p);
                Traffic.Load load = new Traffic.Load(upstream, p, ccs, 120, 8)) {
            CompletableFuture<Void> local =
                    CompletableFuture.runAsync(() -> crashRepeatedly("local-1", "LOCAL", kills, restarts));
            CompletableFuture<Void> cloud =
                    CompletableFuture.runAsync(() -> crashRepeatedly("cloud-1", "CLOUD", kills, restarts));
            CompletableFuture.allOf(local, cloud).get(10, TimeUnit.MINUTES);
            ids = load.stop();
            long drain = System.nanoTime();
            awaitResults(tracker, ids, Duration.ofSeconds(180));
            NUMBERS.put("crash.drainAfterLastRestartMs", ms(drain));
        }
        NUMBERS.put("crash.kills", kills.size());
        NUMBERS.put("crash.killedWithRequestsInFlight", kills);
        NUMBERS.put("crash.restartToHealthyMs(min/median/max)", stats(restarts));
        NUMBERS.put("crash.wallMs", ms(t0));
        assertThat(kills).hasSizeGreaterThanOrEqualTo(2 * CRASHES_PER_WORKER);
        assertExactlyOnceAndBilledOnce(p, ids, ccs, "crash");
        assertLedgerCoversTheInvoice("crash");
    }

    /**
     * Waits until the worker holds requests (its in-flight gauge is above zero), kills it with
     * SIGKILL, and starts it again as the same instance (same worker id: its transactional id fences
     * the dead one's open transaction, and its static group membership takes the dead member's
     * partitions back at once: nothing waits for the dead session's 45 s timeout).
     */
    private static void crashRepeatedly(
            String name, String tier, ConcurrentLinkedQueue<String> kills, ConcurrentLinkedQueue<Long> restarts) {
        String base = stack.instance(name).baseUrl();
        for (int i = 0; i < CRASHES_PER_WORKER; i++) {
            double inFlight = await(name + " has requests in flight")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(20))
                    .until(
                            () -> Http.metric(base, "tiergate_worker_in_flight", "tier=\"" + tier + "\"")
                                    .orElse(0.0),
                            v -> v > 0);
            stack.kill(name);
            WORKER_KILLS.add(
                    new LedgerVsInvoice.Kill(stack.instance(name).env.get("TIERGATE_WORKER_ID"), Instant.now()));
            kills.add(name + ":" + (int) inFlight);
            long t = System.nanoTime();
            stack.start(name, START);
            restarts.add(ms(t));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 2b. kill -9 of the ledger, the classifier and the router under load

    @Test
    @Order(3)
    void ledgerClassifierAndRouterKilledUnderLoadLoseNothingAndTheLedgerStillCoversTheInvoice() throws Exception {
        String p = RUN + "svccrash-";
        List<String> ccs = costCenters(p, 2);
        List<String> ids;
        long t0 = System.nanoTime();
        try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), p);
                Traffic.Load load = new Traffic.Load(upstream, p, ccs, 120, 8)) {
            await("traffic flowing before the first kill")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> tracker.snapshot().completed() >= 15);
            // one after the other, each while requests are being sent and processed; a killed consumer's partitions
            // wait for its group session to expire, so the kills follow each other without waiting for that
            for (String name : List.of("ledger", "classifier", "router-1")) {
                int sentBefore = load.sent();
                await("traffic sent before killing " + name)
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> load.sent() >= sentBefore + 16);
                stack.kill(name);
                long t = System.nanoTime();
                stack.start(name, START);
                NUMBERS.put("servicecrash." + name + ".restartToHealthyMs", ms(t));
            }
            int sentAtLastRestart = load.sent();
            await("traffic sent after the last restart")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> load.sent() >= sentAtLastRestart + 24);
            ids = load.stop();
            long drain = System.nanoTime();
            awaitResults(tracker, ids, Duration.ofSeconds(180));
            NUMBERS.put("servicecrash.lastResultAfterLoadStoppedMs", ms(drain));
        } finally {
            cloudApi.mode(Mode.OK);
            cloudApi.answerDelay(0, 0);
        }
        NUMBERS.put("servicecrash.wallMs", ms(t0));
        assertExactlyOnceAndBilledOnce(p, ids, ccs, "servicecrash");
        assertLedgerCoversTheInvoice("servicecrash");
        restartWithConfig("cloud-1", "cloud-simulated.yml");
    }

    // ---------------------------------------------------------------------------------------------
    // 3. broker stopped and started again on the same data dir, under load

    @Test
    @Order(4)
    void brokerRestartedUnderLoadServicesReconnectAndNothingIsLost() throws Exception {
        String p = RUN + "broker-";
        List<String> ccs = costCenters(p, 2);
        List<String> ids;
        try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), p);
                Traffic.Load load = new Traffic.Load(upstream, p, ccs, 120, 8)) {
            await("traffic flowing before the restart")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> tracker.snapshot().completed() >= 30);
            long t0 = System.nanoTime();
            stack.stopBroker();
            NUMBERS.put("broker.controlledShutdownMs", ms(t0));
            long t1 = System.nanoTime();
            stack.startBroker();
            long brokerUp = System.nanoTime();
            NUMBERS.put("broker.startToPortOpenMs", ms(t1));
            NUMBERS.put("broker.downMs", ms(t0));
            int completedAtRestart = tracker.snapshot().completed();
            int sentAtRestart = load.sent();
            await("a result after the restart")
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> tracker.snapshot().completed() > completedAtRestart);
            NUMBERS.put("broker.firstResultAfterBrokerUpMs", ms(brokerUp));
            await("traffic sent after the restart")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> load.sent() >= sentAtRestart + 40);
            ids = load.stop();
            awaitResults(tracker, ids, Duration.ofSeconds(240));
            NUMBERS.put("broker.lastResultAfterBrokerUpMs", ms(brokerUp));
        }
        for (FaultStack.Instance i : stack.instances()) {
            if (i.alive()) {
                await(i.name + " healthy after the broker restart")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> Http.healthUp(i.baseUrl()));
            }
        }
        assertThat(upstream.sendErrors()).as("upstream sends that failed").isZero();
        assertExactlyOnceAndBilledOnce(p, ids, ccs, "broker");
    }

    // ---------------------------------------------------------------------------------------------
    // 3b. the schema registry goes away while services that have not cached the schemas yet need them

    @Test
    @Order(8)
    void aSchemaRegistryOutageDelaysRequestsButDeadLettersNone() throws Exception {
        String p = RUN + "registry-";
        List<String> ccs = costCenters(p, 2);
        // fresh JVMs: nothing cached, so every record they read needs the registry
        for (String name : List.of("classifier", "local-1")) {
            stack.stop(name);
            stack.start(name, START);
        }
        List<String> ids;
        long down;
        try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), p)) {
            stack.stopRegistry();
            down = System.nanoTime();
            try (Traffic.Load load = new Traffic.Load(upstream, p, ccs, 120, 4)) {
                await("traffic sent while the registry is down")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> load.sent() >= 24);
                NUMBERS.put("registry.completedWhileDown", tracker.snapshot().completed());
                assertThat(runKeysInDeadLetterTopics(p))
                        .as("records of this run dead-lettered while the registry is down")
                        .isEmpty();
                stack.startRegistry();
                NUMBERS.put("registry.downMs", ms(down));
                ids = load.stop();
            }
            long up = System.nanoTime();
            awaitResults(tracker, ids, Duration.ofSeconds(180));
            NUMBERS.put("registry.lastResultAfterUpMs", ms(up));
        }
        assertThat(runKeysInDeadLetterTopics(p))
                .as("records of this run dead-lettered")
                .isEmpty();
        assertExactlyOnceAndBilledOnce(p, ids, ccs, "registry");
    }

    /** Keys starting with {@code prefix} in any .dlq topic. */
    private static List<String> runKeysInDeadLetterTopics(String prefix) {
        List<String> keys = new ArrayList<>();
        for (Topic<?> topic : Topics.ALL) {
            for (ConsumerRecord<String, byte[]> r : scan.raw(topic.dlq(), Isolation.READ_UNCOMMITTED)) {
                if (r.key() != null && r.key().startsWith(prefix)) {
                    keys.add(topic.dlq() + "/" + r.key());
                }
            }
        }
        return keys;
    }

    // ---------------------------------------------------------------------------------------------
    // 4. a burst of 10x the remaining budget across two routers and two cloud workers

    private static final BigDecimal BURST_LIMIT_USD = new BigDecimal("0.060000000");

    @Test
    @Order(5)
    void budgetBurstAcrossTwoRoutersOvershootsAtMostByTheEstimatesInFlightWhenTheLevelChanged() throws Exception {
        String p = RUN + "burst-";
        stack.startAll(List.of("router-2", "cloud-2"), START);
        try {
            awaitGroupSplit("tiergate-router", 2);
            awaitGroupSplit("tiergate-cloud-worker", 2);
            List<String> ccs = costCentersOnEveryPartition(p, 4);
            for (String cc : ccs) {
                upstream.send(Topics.BUDGET_CONFIG, cc, BadRecords.budget(cc, BURST_LIMIT_USD.toPlainString()));
            }
            upstream.flush();
            for (String router : List.of("router-1", "router-2")) {
                String base = stack.instance(router).baseUrl();
                await(router + " sees the budgets")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> Http.get(base + "/prometheus")
                                .map(b -> ccs.stream()
                                        .allMatch(
                                                cc -> b.contains("tiergate_router_budget_level{scope=\"" + cc + "\"}")))
                                .orElse(false));
            }
            PriceTable prices = PriceTable.loadDefault();
            BigDecimal estimate = new CostCalculator(prices).estimate(prices.require(SONNET), TaskType.CODE_REVIEW, 30);
            int perCostCenter = BURST_LIMIT_USD
                    .multiply(BigDecimal.TEN)
                    .divide(estimate, 0, java.math.RoundingMode.CEILING)
                    .intValue();
            double decisionsBefore1 = decisionCount("router-1");
            double decisionsBefore2 = decisionCount("router-2");

            List<String> ids = new ArrayList<>();
            Map<String, String> costCenterOf = new LinkedHashMap<>();
            try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), p)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < perCostCenter * ccs.size(); i++) {
                    String cc = ccs.get(i % ccs.size());
                    String id = p + i;
                    upstream.request(Upstream.request(id, Traffic.MIX.get(0).prompt() + " (#" + i + ")", cc)
                            .setTaskTypeHint("CODE_REVIEW")
                            .build());
                    ids.add(id);
                    costCenterOf.put(id, cc);
                }
                upstream.flush();
                NUMBERS.put("burst.sendMs", ms(t0));
                awaitResults(tracker, ids, Duration.ofSeconds(180));
                NUMBERS.put("burst.allResultsMs", ms(t0));
            }
            assertThat(decisionCount("router-1"))
                    .as("router-1 decided part of the burst")
                    .isGreaterThan(decisionsBefore1);
            assertThat(decisionCount("router-2"))
                    .as("router-2 decided part of the burst")
                    .isGreaterThan(decisionsBefore2);

            Outcomes o = assertExactlyOnceAndBilledOnce(p, ids, ccs, "burst");
            Map<String, RoutingDecision> decided = decisionsOf(p);
            Map<String, BigDecimal> spend = o.spendByCostCenter(true);
            await("ledger budget spend equals the cloud cost events")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> Http.ledgerTotals(stack.instance("ledger").baseUrl())
                            .map(t -> ccs.stream()
                                    .allMatch(cc -> t.containsKey(cc)
                                            && t.get(cc).budgetSpendUsd().compareTo(spend.getOrDefault(cc, Money.ZERO))
                                                    == 0))
                            .orElse(false));
            BigDecimal totalOvershoot = Money.ZERO;
            BigDecimal totalBound = Money.ZERO;
            int refusedTotal = 0;
            for (String cc : ccs) {
                List<RoutingDecision> mine = decided.values().stream()
                        .filter(d -> d.getCostCenter().equals(cc))
                        .toList();
                List<RoutingDecision> admitted = mine.stream()
                        .filter(d -> d.getAction() == RoutingAction.ROUTE && d.getTier() == Tier.CLOUD)
                        .toList();
                List<RoutingDecision> refused = mine.stream()
                        .filter(d -> d.getAction() == RoutingAction.REJECT)
                        .toList();
                assertThat(refused)
                        .as(cc + ": the burst was refused once the budget was held")
                        .isNotEmpty();
                long levelChangedAt = refused.stream()
                        .mapToLong(d -> d.getDecidedAt().toEpochMilli())
                        .min()
                        .orElseThrow();
                BigDecimal admittedEstimates = sum(admitted.stream()
                        .map(RoutingDecision::getEstimatedCostUsd)
                        .toList());
                BigDecimal inFlightAtChange = sum(admitted.stream()
                        .filter(d -> o.firstCostAtMs.getOrDefault(d.getRequestId(), Long.MAX_VALUE) > levelChangedAt)
                        .map(RoutingDecision::getEstimatedCostUsd)
                        .toList());
                BigDecimal spent = spend.getOrDefault(cc, Money.ZERO);
                BigDecimal overshoot = spent.subtract(BURST_LIMIT_USD).max(Money.ZERO);
                NUMBERS.put(
                        "burst." + cc.replace(p, "")
                                + " (admitted/refused, est held, spent, overshoot, in-flight est at change)",
                        admitted.size() + "/" + refused.size() + ", " + admittedEstimates + ", " + spent + ", "
                                + overshoot + ", " + inFlightAtChange);
                // The gate holds each admitted request's estimate until the request's first cost event
                // arrives, then counts the bill instead: a request billed below its estimate leaves room
                // for another. So what it can have counted for the admitted requests is, for each, at
                // most its estimate and at most its bill (zero if never billed) — within the limit.
                BigDecimal admittedHeldOrBilled = sum(admitted.stream()
                        .map(d -> d.getEstimatedCostUsd().min(o.cloudBilledUsd(d.getRequestId())))
                        .toList());
                assertThat(admittedHeldOrBilled)
                        .as(cc
                                + ": admitted requests, each at the lesser of its estimate and its bill, within the limit"
                                + " (estimates alone: " + admittedEstimates + ")")
                        .isLessThanOrEqualTo(BURST_LIMIT_USD);
                assertThat(overshoot)
                        .as(cc + ": overshoot within the estimates in flight when the level changed")
                        .isLessThanOrEqualTo(inFlightAtChange);
                refused.forEach(d ->
                        assertThat(o.result(d.getRequestId()).getErrorCode()).isEqualTo("BUDGET_EXHAUSTED"));
                totalOvershoot = totalOvershoot.add(overshoot);
                totalBound = totalBound.add(inFlightAtChange);
                refusedTotal += refused.size();
            }
            NUMBERS.put(
                    "burst.requests (per cost center x cost centers)",
                    perCostCenter + " x " + ccs.size() + " (estimate " + estimate + " each, limit " + BURST_LIMIT_USD
                            + " each)");
            NUMBERS.put(
                    "burst.overshootUsd total",
                    totalOvershoot + " of limits " + BURST_LIMIT_USD.multiply(BigDecimal.valueOf(ccs.size()))
                            + " (bound " + totalBound + ")");
            NUMBERS.put("burst.refused", refusedTotal);
        } finally {
            stack.stop("router-2");
            stack.stop("cloud-2");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 6. the cloud endpoint answers 429 with Retry-After, then 503s, then nothing; then recovers

    @Test
    @Order(7)
    void cloudStormsOf429And503AndTimeoutsAreRetriedTripTheCircuitsAndRecoverWithTheReasonsInTheResults()
            throws Exception {
        restartWithConfig("cloud-1", "cloud-real.yml");
        String p = RUN + "storm-";
        String cloudBase = stack.instance("cloud-1").baseUrl();
        try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), p)) {
            // a 401 whose message echoes the key (circuits still closed): the request fails on every model, the key
            // does not travel on
            cloudApi.mode(Mode.UNAUTHORIZED_ECHOING_KEY);
            List<String> unauthorized = sendCloudBound(p + "401-", 2);
            awaitResults(tracker, unauthorized, Duration.ofSeconds(60));
            for (String id : unauthorized) {
                InferenceResult r = resultOf(tracker, id);
                assertThat(r.getStatus()).isEqualTo(ResultStatus.FAILED);
                assertThat(r.getErrorCode()).as(id + ": " + r).isEqualTo("unauthorized");
                assertThat(r.getErrorMessage()).contains("[redacted]").doesNotContain(API_KEY);
            }
            // 429 with Retry-After: 1 on each request's first call: retried after the wait, completed
            cloudApi.mode(Mode.RATE_LIMIT_FIRST_CALL);
            List<String> limited = sendCloudBound(p + "429-", 6);
            awaitResults(tracker, limited, Duration.ofSeconds(60));
            for (String id : limited) {
                InferenceResult r = resultOf(tracker, id);
                assertThat(r.getStatus()).as(id).isEqualTo(ResultStatus.COMPLETED);
                assertThat(r.getAttempts()).as(id).isGreaterThanOrEqualTo(2);
                assertThat(r.getReasons()).as(id).anyMatch(l -> l.startsWith("RETRY") && l.contains("rate_limited"));
            }
            NUMBERS.put(
                    "storm.429.example",
                    String.join(" | ", resultOf(tracker, limited.get(0)).getReasons()));

            // 503 on every call: retries with backoff, fallbacks, then circuits open; every request fails once, with
            // reasons
            cloudApi.mode(Mode.UNAVAILABLE);
            long t503 = System.nanoTime();
            List<String> unavailable = sendCloudBound(p + "503-", 8);
            awaitResults(tracker, unavailable, Duration.ofSeconds(90));
            await("a cloud circuit open")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> Http.metric(cloudBase, "tiergate_cloud_worker_circuit_open")
                                    .orElse(0.0)
                            >= 1);
            NUMBERS.put("storm.503.circuitsOpenAfterMs", ms(t503));
            NUMBERS.put(
                    "storm.503.circuitsOpen",
                    Http.metric(cloudBase, "tiergate_cloud_worker_circuit_open").orElseThrow());
            for (String id : unavailable) {
                InferenceResult r = resultOf(tracker, id);
                assertThat(r.getStatus()).as(id).isEqualTo(ResultStatus.FAILED);
                assertThat(r.getErrorCode()).as(id).isIn("http_503", "circuit_open");
                assertThat(r.getReasons()).as(id).isNotEmpty();
            }
            assertThat(unavailable.stream().map(id -> resultOf(tracker, id)).flatMap(r -> r.getReasons().stream()))
                    .as("some request skipped a model because its circuit was open")
                    .anyMatch(l -> l.contains("circuit OPEN") || l.contains("circuit HALF_OPEN"));
            NUMBERS.put(
                    "storm.503.example",
                    resultOf(tracker, unavailable.get(unavailable.size() - 1)).getErrorCode() + ": "
                            + String.join(
                                    " | ",
                                    resultOf(tracker, unavailable.get(unavailable.size() - 1))
                                            .getReasons()));

            // no answer at all: the half-open trial calls time out (model timeout 1 s), the circuits stay open
            cloudApi.mode(Mode.HANG);
            List<String> hanging;
            try (Traffic.Load slow = new Traffic.Load(upstream, i -> cloudBound(p + "hang-", i), 2)) {
                await("trial calls timed out")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> cloudApi.calls(Mode.HANG) >= 2 && slow.sent() >= 8);
                hanging = slow.stop();
            }
            awaitResults(tracker, hanging, Duration.ofSeconds(90));
            List<InferenceResult> hangResults =
                    hanging.stream().map(id -> resultOf(tracker, id)).toList();
            assertThat(hangResults).allMatch(r -> r.getStatus() == ResultStatus.FAILED);
            assertThat(hangResults)
                    .as("a call timed out")
                    .anyMatch(r -> "timeout".equals(r.getErrorCode())
                            || r.getReasons().stream().anyMatch(l -> l.contains("timeout")));

            // the endpoint recovers: the next trial calls succeed and the circuits close
            cloudApi.mode(Mode.OK);
            long tOk = System.nanoTime();
            List<String> recovered;
            try (Traffic.Load again = new Traffic.Load(upstream, i -> cloudBound(p + "ok-", i), 3)) {
                // the gauge reads 0 from HALF_OPEN on; /health names the state: CLOSED once the trial calls succeeded
                await("circuit of " + SONNET + " closed")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> Http.get(cloudBase + "/health")
                                .map(b -> b.contains(SONNET + "\":\"openrouter, circuit CLOSED"))
                                .orElse(false));
                NUMBERS.put("storm.recovery.circuitClosedAfterMs", ms(tOk));
                await("a request completed after recovery")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> tracker.requests().entrySet().stream()
                                .anyMatch(e -> e.getKey().startsWith(p + "ok-")
                                        && e.getValue().results.stream()
                                                .anyMatch(r -> r.getStatus() == ResultStatus.COMPLETED)));
                NUMBERS.put("storm.recovery.firstCompletedAfterMs", ms(tOk));
                recovered = again.stop();
            }
            awaitResults(tracker, recovered, Duration.ofSeconds(60));
            InferenceResult last = resultOf(tracker, recovered.get(recovered.size() - 1));
            assertThat(last.getStatus()).isEqualTo(ResultStatus.COMPLETED);
            assertThat(last.getProvider()).isEqualTo("openrouter");

            cloudApi.mode(Mode.OK);
            NUMBERS.put(
                    "storm.providerCalls (429/503/hang/ok/401)",
                    cloudApi.calls(Mode.RATE_LIMIT_FIRST_CALL) + "/" + cloudApi.calls(Mode.UNAVAILABLE) + "/"
                            + cloudApi.calls(Mode.HANG) + "/" + cloudApi.calls(Mode.OK) + "/"
                            + cloudApi.calls(Mode.UNAUTHORIZED_ECHOING_KEY));
            List<String> all = new ArrayList<>();
            List.of(limited, unavailable, hanging, recovered, unauthorized).forEach(all::addAll);
            assertExactlyOnceAndBilledOnce(p, all, List.of(p + "cc"), "storm");
        }
        assertThat(cloudApi.authorizedCalls())
                .as("calls carrying the configured key")
                .isPositive();
        assertThat(cloudApi.callsWithoutTheKey())
                .as("calls without the configured key")
                .isZero();
        assertThat(Http.healthUp(cloudBase)).isTrue();
    }

    // ---------------------------------------------------------------------------------------------
    // 5. the local model endpoint goes down and comes back

    @Test
    @Order(6)
    void localEndpointDownEscalatesOnlyNonSovereignWorkAndTheLocalCircuitOpensAndCloses() throws Exception {
        ollama.up();
        restartWithConfig("local-1", "local-ollama.yml");
        String p = RUN + "localdown-";
        String localBase = stack.instance("local-1").baseUrl();
        try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), p)) {
            List<String> warm = sendKinds(p + "up-", List.of(3, 6), 2);
            awaitResults(tracker, warm, Duration.ofSeconds(60));
            for (String id : warm) {
                InferenceResult r = resultOf(tracker, id);
                assertThat(r.getStatus()).as(id).isEqualTo(ResultStatus.COMPLETED);
                assertThat(r.getTier()).as(id).isEqualTo(Tier.LOCAL);
                assertThat(r.getProvider()).as(id).isEqualTo("ollama");
            }

            ollama.down();
            long tDown = System.nanoTime();
            List<String> escalatable = sendKinds(p + "down-", List.of(1, 3, 6, 9), 10);
            List<String> sovereign = sendKinds(p + "sov-", List.of(4, 5), 4);
            await("local circuit open")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> Http.metric(localBase, "tiergate_local_worker_circuit_open")
                                    .orElse(0.0)
                            == 1.0);
            NUMBERS.put("localDown.circuitOpenAfterMs", ms(tDown));
            awaitResults(tracker, escalatable, Duration.ofSeconds(90));
            Map<String, RoutingDecision> decisions = decisionsOf(p);
            for (String id : escalatable) {
                InferenceResult r = resultOf(tracker, id);
                assertThat(r.getStatus()).as(id + ": " + r).isEqualTo(ResultStatus.COMPLETED);
                assertThat(r.getTier()).as(id + ": " + r).isEqualTo(Tier.CLOUD);
                boolean escalatedByTheWorker =
                        r.getReasons().stream().anyMatch(l -> l.startsWith("ESCALATION to CLOUD"));
                boolean overflowedByTheRouter = decisions.get(id).getTier() == Tier.CLOUD
                        && decisions
                                .get(id)
                                .getRationale()
                                .toLowerCase(java.util.Locale.ROOT)
                                .contains("circuit");
                assertThat(escalatedByTheWorker || overflowedByTheRouter)
                        .as(id + " carries why it left the local tier: " + r.getReasons() + " / "
                                + decisions.get(id).getRationale())
                        .isTrue();
            }
            NUMBERS.put(
                    "localDown.escalatedByWorker/overflowedByRouter",
                    escalatable.stream()
                                    .filter(id -> resultOf(tracker, id).getReasons().stream()
                                            .anyMatch(l -> l.startsWith("ESCALATION")))
                                    .count()
                            + "/"
                            + escalatable.stream()
                                    .filter(id -> decisions.get(id).getTier() == Tier.CLOUD)
                                    .count());
            NUMBERS.put(
                    "localDown.escalation.example",
                    String.join(" | ", resultOf(tracker, escalatable.get(0)).getReasons()));

            ollama.up();
            long tUp = System.nanoTime();
            List<String> after;
            try (Traffic.Load local = new Traffic.Load(
                    upstream,
                    i -> Traffic.request(
                            p + "back-", (i % 2 == 0 ? 3 : 6) + Traffic.MIX.size() * i, List.of(p + "cc"), 100),
                    2)) {
                await("local circuit closed")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> Http.metric(localBase, "tiergate_local_worker_circuit_open")
                                        .orElse(1.0)
                                == 0.0);
                NUMBERS.put("localDown.circuitClosedAfterUpMs", ms(tUp));
                Instant closed = Instant.now();
                // the router hears of the closed circuit through worker.health: until then it may still overflow to
                // cloud
                await("local work served locally again")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> tracker.requests().entrySet().stream()
                                .anyMatch(e -> e.getKey().startsWith(p + "back-")
                                        && e.getValue().results.stream()
                                                .anyMatch(r -> r.getTier() == Tier.LOCAL
                                                        && r.getStatus() == ResultStatus.COMPLETED
                                                        && r.getCompletedAt().isAfter(closed))));
                NUMBERS.put("localDown.servedLocallyAgainAfterUpMs", ms(tUp));
                after = local.stop();
            }
            awaitResults(tracker, after, Duration.ofSeconds(60));

            awaitResults(tracker, sovereign, Duration.ofSeconds(60));
            for (String id : sovereign) {
                InferenceResult r = resultOf(tracker, id);
                assertThat(r.getTier()).as(id + " sovereign").isNotEqualTo(Tier.CLOUD);
                assertThat(tracker.requests().get(id).tiersSeen)
                        .as(id + " tiers")
                        .doesNotContain("CLOUD");
                if (r.getStatus() != ResultStatus.COMPLETED) {
                    assertThat(r.getErrorMessage())
                            .as(id + " says why it failed")
                            .isNotBlank();
                }
            }
            NUMBERS.put(
                    "localDown.sovereign",
                    sovereign.stream()
                            .map(id -> resultOf(tracker, id))
                            .map(r -> r.getStatus() + "/" + r.getTier() + "/" + r.getErrorCode())
                            .toList());
            List<String> all = new ArrayList<>();
            List.of(warm, escalatable, sovereign, after).forEach(all::addAll);
            assertExactlyOnceAndBilledOnce(p, all, List.of(p + "cc"), "localDown");
        }
    }

    /** {@code n} requests cycling through the given kinds of the mix. */
    private static List<String> sendKinds(String prefix, List<Integer> kinds, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            InferenceRequest r = Traffic.request(
                    prefix, kinds.get(i % kinds.size()) + Traffic.MIX.size() * i, List.of(costCenterOf(prefix)), 100);
            upstream.request(r);
            ids.add(r.getRequestId());
        }
        upstream.flush();
        return ids;
    }

    private static Map<String, RoutingDecision> decisionsOf(String prefix) {
        Map<String, RoutingDecision> out = new LinkedHashMap<>();
        for (Decoded<RoutingDecision> d : scan.decoded(Topics.ROUTING_DECISIONS, Isolation.READ_COMMITTED)) {
            if (d.key() != null && d.key().startsWith(prefix) && d.value().isPresent()) {
                out.putIfAbsent(d.key(), d.value().get());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // 7. and 8. what the whole run left behind

    @Test
    @Order(9)
    void noSovereignOrSensitiveRequestEverReachedTheCloudTopic() {
        List<Decoded<RoutedRequest>> cloud = scan.decoded(Topics.TIER_CLOUD, Isolation.READ_UNCOMMITTED);
        List<RoutedRequest> routed =
                cloud.stream().flatMap(d -> d.value().stream()).toList();
        List<String> violations = routed.stream()
                .filter(r -> r.getClassified().getRequest().getRequiresDataSovereignty()
                        || r.getClassified().getClassification().getContainsSensitiveData()
                        || r.getDecision().getSovereign())
                .map(r -> r.getClassified().getRequest().getRequestId())
                .toList();
        Map<String, ClassifiedRequest> classified = new LinkedHashMap<>();
        for (Decoded<ClassifiedRequest> d : scan.decoded(Topics.INFERENCE_CLASSIFIED, Isolation.READ_COMMITTED)) {
            if (d.key() != null && d.key().startsWith(RUN) && d.value().isPresent()) {
                classified.putIfAbsent(d.key(), d.value().get());
            }
        }
        long sovereignRequests = classified.values().stream()
                .filter(c -> c.getRequest().getRequiresDataSovereignty())
                .count();
        long sensitiveOnly = classified.values().stream()
                .filter(c -> !c.getRequest().getRequiresDataSovereignty()
                        && c.getClassification().getContainsSensitiveData())
                .count();
        Set<String> protectedIds = classified.values().stream()
                .filter(c -> c.getRequest().getRequiresDataSovereignty()
                        || c.getClassification().getContainsSensitiveData())
                .map(c -> c.getRequest().getRequestId())
                .collect(Collectors.toSet());
        List<String> servedByCloud = new ArrayList<>();
        for (Decoded<InferenceResult> d : scan.decoded(Topics.INFERENCE_RESULTS, Isolation.READ_UNCOMMITTED)) {
            if (d.value().isPresent()
                    && protectedIds.contains(d.key())
                    && d.value().get().getTier() == Tier.CLOUD) {
                servedByCloud.add(d.key());
            }
        }
        NUMBERS.put("sovereignty.cloudRecordsScanned (read_uncommitted, whole topic)", routed.size());
        NUMBERS.put(
                "sovereignty.sovereignRequests/sensitiveCaughtByClassifier", sovereignRequests + "/" + sensitiveOnly);
        NUMBERS.put("sovereignty.violations", violations.size() + servedByCloud.size());
        assertThat(routed).as("the cloud tier was used").isNotEmpty();
        assertThat(sovereignRequests).as("the run sent sovereign work").isPositive();
        assertThat(sensitiveOnly)
                .as("the classifier caught the planted personal data")
                .isPositive();
        assertThat(violations)
                .as("sovereign or sensitive requests on " + Topics.TIER_CLOUD.name())
                .isEmpty();
        assertThat(servedByCloud)
                .as("sovereign or sensitive requests served by the cloud tier")
                .isEmpty();
        for (String router : List.of("router-1")) {
            assertThat(Http.metric(stack.instance(router).baseUrl(), "tiergate_router_sovereignty_blocked_total")
                            .orElseThrow())
                    .isZero();
        }
    }

    @Test
    @Order(10)
    void theApiKeyNeverAppearsInLogsEventsMetricsOrTheDashboard() throws Exception {
        assertThat(cloudApi.authorizedCalls())
                .as("the key was configured and sent to the provider")
                .isPositive();
        List<String> needles = List.of(API_KEY, API_KEY.substring(20, 40));
        List<String> hits = new ArrayList<>();
        long scanned = 0;

        for (Path log : stack.logFiles()) {
            if (!Files.exists(log)) {
                continue;
            }
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            scanned += text.length();
            needles.stream().filter(text::contains).forEach(n -> hits.add("log " + log));
        }
        NUMBERS.put("secrets.logBytesScanned", scanned);
        assertThat(scanned).as("log bytes scanned").isPositive();

        long records = 0;
        try (Admin admin = stack.admin()) {
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                for (ConsumerRecord<String, byte[]> r : scan.raw(topic, Isolation.READ_UNCOMMITTED)) {
                    records++;
                    StringBuilder all = new StringBuilder(String.valueOf(r.key()));
                    if (r.value() != null) {
                        all.append(new String(r.value(), StandardCharsets.ISO_8859_1));
                    }
                    r.headers()
                            .forEach(h -> all.append(h.key())
                                    .append(
                                            h.value() == null
                                                    ? ""
                                                    : new String(h.value(), StandardCharsets.ISO_8859_1)));
                    String text = all.toString();
                    needles.stream()
                            .filter(text::contains)
                            .forEach(n -> hits.add("event " + topic + "@" + r.partition() + ":" + r.offset()));
                }
            }
        }
        NUMBERS.put("secrets.recordsScanned", records);
        assertThat(records).as("records scanned").isPositive();

        List<String> pages = new ArrayList<>();
        String ledger = stack.instance("ledger").baseUrl();
        for (String path : List.of(
                "/dashboard/",
                "/dashboard/index.html",
                "/dashboard/dashboard.js",
                "/dashboard/dashboard.css",
                "/ledger/totals",
                "/ledger/status",
                "/ledger/windows",
                "/ledger/rework",
                "/ledger/spend?scope=global")) {
            pages.add(ledger + path);
        }
        for (FaultStack.Instance i : stack.instances()) {
            if (i.alive()) {
                pages.add(i.baseUrl() + "/prometheus");
                pages.add(i.baseUrl() + "/health");
            }
        }
        int answered = 0;
        List<String> silent = new ArrayList<>();
        for (String url : pages) {
            var body = Http.get(url);
            if (body.isPresent()) {
                answered++;
                needles.stream().filter(body.get()::contains).forEach(n -> hits.add("http " + url));
            } else {
                silent.add(url);
            }
        }
        NUMBERS.put(
                "secrets.httpPagesScanned",
                answered + " of " + pages.size() + (silent.isEmpty() ? "" : ", no 200 from " + silent));
        assertThat(answered).as("pages that answered").isGreaterThanOrEqualTo(pages.size() - 1);
        assertThat(hits).as("places the API key appeared").isEmpty();
    }

    /** Stops an instance (SIGTERM), points it at another config file, starts it again. */
    private static void restartWithConfig(String name, String configFile) {
        stack.stop(name);
        stack.instance(name)
                .env
                .put("MICRONAUT_CONFIG_FILES", configDir.resolve(configFile).toString());
        stack.start(name, START);
    }

    /** Cloud-bound, non-sovereign requests (CODE_REVIEW, IMPLEMENTATION, ARCHITECTURE in turn). */
    private static List<String> sendCloudBound(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            InferenceRequest r = cloudBound(prefix, i);
            upstream.request(r);
            ids.add(r.getRequestId());
        }
        upstream.flush();
        return ids;
    }

    private static InferenceRequest cloudBound(String prefix, int i) {
        int[] kinds = {0, 2, 8};
        Traffic.Kind k = Traffic.MIX.get(kinds[i % kinds.length]);
        return Upstream.request(prefix + i, k.prompt() + " (#" + prefix + i + ")", costCenterOf(prefix))
                .setTaskTypeHint(k.hint())
                .build();
    }

    private static String costCenterOf(String prefix) {
        return prefix.substring(0, prefix.indexOf('-', RUN.length()) + 1) + "cc";
    }

    private static InferenceResult resultOf(PipelineTracker tracker, String id) {
        return tracker.requests().get(id).results.get(0);
    }

    private static double decisionCount(String router) {
        return Http.metric(stack.instance(router).baseUrl(), "tiergate_router_decisions_total")
                .orElseThrow();
    }

    private static BigDecimal sum(List<BigDecimal> values) {
        return values.stream().reduce(Money.ZERO, BigDecimal::add);
    }

    /** Waits until the group has {@code members} members, each owning at least one partition. */
    private static void awaitGroupSplit(String group, int members) {
        try (Admin admin = stack.admin()) {
            await(group + " split over " + members + " members")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                                .describedGroups()
                                .get(group)
                                .get();
                        return d.members().size() == members
                                && d.members().stream()
                                        .allMatch(m -> !m.assignment()
                                                .topicPartitions()
                                                .isEmpty());
                    });
        }
    }

    /** Cost-center names that fall on every partition of routing.by-cost-center (murmur2, like the producer). */
    private static List<String> costCentersOnEveryPartition(String prefix, int n) {
        List<String> out = new ArrayList<>();
        Set<Integer> covered = new java.util.HashSet<>();
        for (int i = 0; out.size() < n; i++) {
            String cc = prefix + "cc" + i;
            int partition =
                    Utils.toPositive(Utils.murmur2(cc.getBytes(StandardCharsets.UTF_8))) % FaultStack.PARTITIONS;
            if (covered.add(partition) || covered.size() == FaultStack.PARTITIONS) {
                out.add(cc);
            }
        }
        return out;
    }

    private static String stats(java.util.Collection<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return "n/a";
        }
        return sorted.get(0) + "/" + sorted.get(sorted.size() / 2) + "/" + sorted.get(sorted.size() - 1);
    }

    // ---------------------------------------------------------------------------------------------
    // helpers shared by the scenarios

    private static void awaitResults(PipelineTracker tracker, List<String> ids, Duration atMost) {
        await("results for " + ids.size() + " requests")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Map<String, RequestState> states = tracker.requests();
                    return ids.stream()
                            .allMatch(id -> states.containsKey(id)
                                    && !states.get(id).results.isEmpty());
                });
    }

    /** Every id has exactly one result, every (request, attempt) one cost event, and the ledger agrees to the nano-dollar. */
    private static Outcomes assertExactlyOnceAndBilledOnce(
            String prefix, List<String> ids, List<String> costCenters, String name) {
        Outcomes o = Outcomes.scan(scan, prefix);
        assertThat(o.notExactlyOneResult(ids))
                .as("requests without exactly one result")
                .isEmpty();
        assertThat(o.duplicateCostEvents())
                .as("(request, attempt) billed more than once")
                .isEmpty();
        Map<String, BigDecimal> spend = o.spendByCostCenter(false);
        Map<String, Long> events = o.eventsByCostCenter();
        await(name + ": ledger totals equal the cost events exactly")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> Http.ledgerTotals(stack.instance("ledger").baseUrl())
                        .map(totals -> costCenters.stream()
                                .filter(spend::containsKey)
                                .allMatch(cc -> totals.containsKey(cc)
                                        && totals.get(cc).spendUsd().compareTo(spend.get(cc)) == 0
                                        && totals.get(cc).costEvents() == events.get(cc)))
                        .orElse(false));
        Map<ResultStatus, Long> byStatus = ids.stream()
                .map(o::result)
                .collect(Collectors.groupingBy(InferenceResult::getStatus, TreeMap::new, Collectors.counting()));
        NUMBERS.put(name + ".requests", ids.size());
        NUMBERS.put(name + ".resultsByStatus", byStatus);
        NUMBERS.put(
                name + ".failuresByErrorCode",
                ids.stream()
                        .map(o::result)
                        .filter(r -> r.getStatus() != ResultStatus.COMPLETED)
                        .collect(Collectors.groupingBy(
                                r -> String.valueOf(r.getErrorCode()), TreeMap::new, Collectors.counting())));
        NUMBERS.put(name + ".attemptsBilled", o.attempts());
        NUMBERS.put(
                name + ".billedUsd",
                spend.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add).toPlainString());
        return o;
    }

    /** Excess of the ledger over the invoice and the bound, as of the previous check (cumulative over the run). */
    private static BigDecimal checkedExcessUsd = Money.ZERO;

    private static BigDecimal checkedBoundUsd = Money.ZERO;

    /**
     * The money check of issue 14 over everything the run billed so far (docs/reliability.md, "Money
     * against the invoice"): {@code ./tiergate costs reconcile} against the fake OpenRouter's usage
     * export must show the ledger (settled + in doubt) at or above the invoice, exceeding it by at
     * most the worst cases of the calls in flight at each worker kill, and this scenario's share of
     * the excess within its share of the bound; and no call written ahead is left without its cost event.
     */
    private static void assertLedgerCoversTheInvoice(String name) throws IOException {
        Path invoiceFile = cloudApi.invoice()
                .write(ProviderInvoice.Format.OPENROUTER, stack.dataDir().resolve("invoice-" + name + ".csv"));
        LedgerVsInvoice.Reconciled reconciled =
                LedgerVsInvoice.reconcile(invoiceFile, stack.bootstrapServers(), stack.registryUrl());
        System.out.println("[faults] " + name + ": ./tiergate costs reconcile --invoice " + invoiceFile.getFileName()
                + "\n" + reconciled.stdout() + reconciled.stderr());

        List<AttemptStarted> attempts = new ArrayList<>();
        for (Decoded<AttemptStarted> d : scan.decoded(Topics.INFERENCE_ATTEMPTS, Isolation.READ_COMMITTED)) {
            if (d.key() != null && d.key().startsWith(RUN) && d.value().isPresent()) {
                attempts.add(d.value().get());
            }
        }
        List<CostEvent> costs = new ArrayList<>();
        for (Decoded<CostEvent> d : scan.decoded(Topics.INFERENCE_COSTS, Isolation.READ_COMMITTED)) {
            if (d.key() != null && d.key().startsWith(RUN) && d.value().isPresent()) {
                costs.add(d.value().get());
            }
        }
        Set<String> billed =
                costs.stream().map(c -> c.getRequestId() + "#" + c.getAttempt()).collect(Collectors.toSet());
        List<String> unbilled = attempts.stream()
                .map(a -> a.getRequestId() + "#" + a.getAttempt())
                .filter(k -> !billed.contains(k))
                .distinct()
                .toList();
        var invoiced = LedgerVsInvoice.invoicedBy("openrouter");
        List<CostEvent> inDoubt =
                costs.stream().filter(invoiced).filter(CostEvent::getInDoubt).toList();
        LedgerVsInvoice.InFlight bound = LedgerVsInvoice.inFlightAtKills(attempts, costs, WORKER_KILLS, invoiced);
        BigDecimal excess = reconciled.excessUsd();

        NUMBERS.put(
                name + ".invoice (calls / USD)", cloudApi.invoice().calls().size() + " / $" + reconciled.invoiceUsd());
        NUMBERS.put(
                name + ".ledger, settled + in doubt (USD / of which in doubt, calls)",
                "$" + reconciled.ledgerUsd() + " / $"
                        + Money.usd(inDoubt.stream().map(CostEvent::getCostUsd).reduce(Money.ZERO, BigDecimal::add))
                        + ", " + inDoubt.size());
        NUMBERS.put(
                name + ".excess over the invoice / bound (worst cases of " + bound.calls() + " calls in flight at "
                        + WORKER_KILLS.size() + " worker kills)",
                "$" + excess + " / $" + bound.worstCaseUsd());
        NUMBERS.put(name + ".attemptsWrittenAhead / withoutCostEvent", attempts.size() + " / " + unbilled.size());

        assertThat(cloudApi.invoice().calls()).as("calls the provider invoiced").isNotEmpty();
        assertThat(reconciled.exitCode())
                .as("costs reconcile exit code (0: the ledger covers the invoice)\n" + reconciled.stdout()
                        + reconciled.stderr())
                .isZero();
        assertThat(unbilled).as("calls written ahead without a cost event").isEmpty();
        assertThat(excess).as("ledger minus invoice").isGreaterThanOrEqualTo(Money.ZERO);
        assertThat(excess)
                .as("ledger minus invoice, at most the worst cases of the calls in flight at the kills")
                .isLessThanOrEqualTo(bound.worstCaseUsd());
        assertThat(excess.subtract(checkedExcessUsd))
                .as(name + "'s own excess, at most the worst cases in flight at its own kills")
                .isLessThanOrEqualTo(bound.worstCaseUsd().subtract(checkedBoundUsd));
        checkedExcessUsd = excess;
        checkedBoundUsd = bound.worstCaseUsd();
    }

    private static long ms(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    private static List<String> costCenters(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + "cc" + i).toList();
    }
}
