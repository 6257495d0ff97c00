package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceProcess;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.ledger.cli.BudgetAdmin;
import io.tiergate.ledger.cli.BudgetAdmin.BudgetRequest;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicSnapshot;
import io.tiergate.router.kafka.DeferredReleaser;
import io.tiergate.router.route.DecisionEvents;
import io.tiergate.router.route.Deferral;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.registry.EmbeddedSchemaRegistry;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.BrokerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's deferral acceptance at scale (docs/budgets.md, "Deferral"): 100,000 deferred requests
 * held by a router process at {@code -Xmx256m}, the router killed with SIGKILL while it holds them
 * and started again (again at {@code -Xmx256m}), then half of the cost centers' budgets raised and
 * the other half left to pass a short {@code defer-max-age}. Every request must end exactly once —
 * released (decided again: a record on a tier topic) or answered {@code REJECTED},
 * {@code DEFERRAL_EXPIRED}, with its reason — none lost, none twice, and the router never runs out of
 * heap ({@code -XX:+ExitOnOutOfMemoryError}: an OOM would end the process).
 *
 * <p>The router and the ledger run as their own JVMs on a broker process; budgets are set and raised
 * through the ledger ({@code BudgetAdmin}, as {@code ./tiergate budget set} does), and requests are
 * published already classified to {@code inference.classified}, the router's input. The count is
 * {@code -Dtiergate.e2e.deferrals} (default 100,000); the maximum age
 * {@code -Dtiergate.e2e.defer-max-age-seconds} (default 120: long enough for the raised half to be
 * released after the restart — the restarted router waits ~40 s for the killed one's group session to
 * expire, docs/reliability.md gap 7 — before the oldest deferral's age passes). Numbers are printed as
 * {@code [defer100k]} lines. Ports: broker 31292 (controller 31293), registry 31281, router 8592,
 * ledger 8595: below the kernel's ephemeral port range (32768-60999 on Linux), so no client socket holds them.
 */
class DeferralAtScaleIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DATA = ROOT.resolve("e2e/target/defer100k-data");
    private static final int N = Integer.getInteger("tiergate.e2e.deferrals", 100_000);
    private static final Duration MAX_AGE = Duration.ofSeconds(Long.getLong("tiergate.e2e.defer-max-age-seconds", 120));
    private static final int BROKER_PORT = 31292;
    private static final int REGISTRY_PORT = 31281;
    private static final int PARTITIONS = 3;
    private static final ServiceSpec ROUTER = spec("router-service", 8592);
    private static final ServiceSpec LEDGER = spec("ledger-streams", 8595);
    /** The acceptance heap; an OutOfMemoryError ends the process instead of leaving it half alive. */
    private static final List<String> ROUTER_JVM = List.of(
            "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

    private static final List<String> LEDGER_JVM =
            List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** Cost centers whose budget is raised after the restart, and those left to pass the maximum age. */
    private static final List<String> RAISED = List.of("d100k-raised-0", "d100k-raised-1", "d100k-raised-2");

    private static final List<String> EXPIRING = List.of("d100k-expiring-0", "d100k-expiring-1", "d100k-expiring-2");
    private static final String PROMPT = "Review this diff of the retrying HTTP client: the back-off doubles up to"
            + " a cap, a 429 honours Retry-After, and a 503 is retried on the next model of the chain. Request ";

    private static BrokerProcess broker;
    private static EmbeddedSchemaRegistry registry;
    private static final List<ServiceProcess> processes = new ArrayList<>();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static ServiceSpec spec(String module, int port) {
        return ServiceSpec.ALL.stream()
                .filter(s -> s.module().equals(module))
                .findFirst()
                .orElseThrow()
                .onPort(port);
    }

    @BeforeAll
    static void startBrokerAndRegistry() {
        // a test JVM that dies (surefire timeout, Ctrl-C) must not leave services holding the ports
        Runtime.getRuntime().addShutdownHook(new Thread(DeferralAtScaleIT::killAll, "defer100k-cleanup"));
        LocalStack.deleteRecursively(DATA);
        var defaults = BrokerProcess.Settings.defaults(DATA.resolve("kafka"));
        broker = BrokerProcess.start(
                new BrokerProcess.Settings(
                        defaults.dataDir(), defaults.host(), BROKER_PORT, BROKER_PORT + 1, defaults.classpath()),
                Duration.ofSeconds(60));
        registry = EmbeddedSchemaRegistry.start(REGISTRY_PORT, DATA.resolve("registry.json"));
        try (Admin admin = Admin.create(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG,
                60_000))) {
            new TopicProvisioner(admin, t -> PARTITIONS, (short) 1).ensureAll();
        }
    }

    @AfterAll
    static void stopEverything() {
        processes.stream().filter(ServiceProcess::alive).forEach(ServiceProcess::close);
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static void killAll() {
        for (ServiceProcess p : processes) {
            if (p.alive()) {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static String bootstrap() {
        return "127.0.0.1:" + BROKER_PORT;
    }

    private static String registryUrl() {
        return "http://127.0.0.1:" + REGISTRY_PORT;
    }

    @Test
    void aHundredThousandDeferralsAcrossARouterKillAreEachReleasedOrRejectedWithAReasonExactlyOnce() throws Exception {
        long t0 = System.nanoTime();
        ServiceProcess ledger = launch(LEDGER, LEDGER_JVM, "ledger", Map.of());
        ServiceProcess router = launch(ROUTER, ROUTER_JVM, "router-1", routerEnv());
        awaitHealthy(ledger);
        awaitHealthy(router);
        phase("router and ledger up", t0);

        try (BudgetAdmin budgets = new BudgetAdmin(bootstrap(), registryUrl())) {
            for (String cc : costCenters()) {
                // a zero limit is exhausted from the start (docs/architecture.md, "Budget levels")
                budgets.set(
                        BudgetRequest.of(cc, Money.usd("0"), null).onExhausted(OnExhausted.DEFER),
                        "DeferralAtScaleIT: exhausted from the start");
            }
        }
        await("the router sees every budget EXHAUSTED")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    String metrics = metrics(router);
                    return costCenters().stream()
                            .allMatch(cc ->
                                    value(metrics, "tiergate_router_budget_level", "scope=\"" + cc + "\"") == 3.0);
                });

        printHeap("router-1 idle, budgets read", router);

        String prefix = "d100k-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        List<String> ids = IntStream.range(0, N).mapToObj(i -> prefix + i).toList();
        KafkaClientSettings settings = new KafkaClientSettings(bootstrap(), registryUrl(), "defer100k-it");
        long publishStart = System.nanoTime();
        try (EventPublisher publisher = new EventPublisher(settings)) {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                sends.add(
                        publisher.send(Topics.INFERENCE_CLASSIFIED, ids.get(i), classified(ids.get(i), costCenter(i))));
                if (sends.size() == 5_000) {
                    CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0]))
                            .get(120, TimeUnit.SECONDS);
                    sends.clear();
                }
            }
            CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
        }
        phase(N + " classified requests published", publishStart);

        await("the router holds every deferral")
                .atMost(Duration.ofSeconds(600))
                .pollInterval(Duration.ofSeconds(1))
                .conditionEvaluationListener(c -> progress("deferring", router))
                .until(() -> held(router) == N);
        phase("all " + N + " deferred and held by router-1", publishStart);
        assertThat(value(metrics(router), "tiergate_router_deferred_released_total", ""))
                .isZero();
        printHeap("router-1 holding " + N, router);

        long killAt = System.nanoTime();
        ProcessHandle.of(router.pid()).ifPresent(ProcessHandle::destroyForcibly);
        await("router-1 dead").atMost(Duration.ofSeconds(10)).until(() -> !router.alive());
        assertNoOutOfMemory(router);

        ServiceProcess restarted = launch(ROUTER, ROUTER_JVM, "router-2", routerEnv());
        awaitHealthy(restarted);
        phase("router restarted (kill -9 to /health UP)", killAt);
        await("the restarted releaser gets its partitions (the killed member's session expires)")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> held(restarted) > 0);
        long assignedAt = System.nanoTime();
        phase("restarted releaser assigned its partitions (kill -9 to first deferral read)", killAt);
        await("the restarted router rebuilt what it held")
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(500))
                .conditionEvaluationListener(c -> progress("rebuilding", restarted))
                .until(() -> held(restarted) == N);
        phase("restarted router holds all " + N + " again (kill -9 to rebuilt)", killAt);
        phase("index of " + N + " rebuilt from inference.deferred (first deferral read to all)", assignedAt);
        printHeap("router-2 holding " + N + " after the restart", restarted);

        long raiseAt = System.nanoTime();
        long sincePublishMs = (raiseAt - publishStart) / 1_000_000;
        System.out.printf(
                "[defer100k] budgets raised %,d ms after the first request was published (max age %s)%n",
                sincePublishMs, MAX_AGE);
        assertThat(sincePublishMs)
                .as("the raise must come well before the oldest deferral's age passes, or the raised half expires"
                        + " too: this machine is slower than the test assumes; raise"
                        + " -Dtiergate.e2e.defer-max-age-seconds")
                .isLessThan(MAX_AGE.minusSeconds(20).toMillis());
        try (BudgetAdmin budgets = new BudgetAdmin(bootstrap(), registryUrl())) {
            for (String cc : RAISED) {
                budgets.set(
                        BudgetRequest.of(cc, Money.usd("1000000"), null).onExhausted(OnExhausted.DEFER),
                        "DeferralAtScaleIT: raised to release the deferrals");
            }
        }
        long raisedCount = IntStream.range(0, N)
                .filter(i -> RAISED.contains(costCenter(i)))
                .count();
        long expiringCount = N - raisedCount;
        await("the raised cost centers' deferrals released")
                .atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(500))
                .conditionEvaluationListener(c -> progress("releasing", restarted))
                .until(() -> value(metrics(restarted), "tiergate_router_deferred_released_total", "") >= raisedCount);
        phase("released " + raisedCount + " after the raise", raiseAt);
        await("the rest rejected once their maximum age passed")
                .atMost(MAX_AGE.plusSeconds(300))
                .pollInterval(Duration.ofSeconds(1))
                .conditionEvaluationListener(c -> progress("expiring", restarted))
                .until(() -> held(restarted) == 0);
        phase("every deferral ended (from the raise)", raiseAt);
        printHeap("router-2 holding none", restarted);
        System.out.printf(
                "[defer100k] router-2 then has %.0f reservations outstanding (no worker settles them here)%n",
                value(metrics(restarted), "tiergate_router_reservations_outstanding", ""));

        // what a downstream consumer sees (read_committed): one outcome per request
        EventDecoder decoder = new EventDecoder(settings);
        long scanStart = System.nanoTime();
        await("a tier record for every released request")
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> Outcomes.scan(settings, decoder, prefix).byId.size() == N);
        // and nothing more arrives: the outcomes asserted are read a few seconds later
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        Outcomes scanned = Outcomes.scan(settings, decoder, prefix);
        Map<String, List<String>> outcomes = scanned.byId;
        phase("outcomes read from the topics", scanStart);

        Map<String, Long> byKind = new TreeMap<>();
        List<String> twice = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String id = ids.get(i);
            List<String> o = outcomes.getOrDefault(id, List.of());
            o.forEach(kind -> byKind.merge(kind, 1L, Long::sum));
            if (o.size() > 1) {
                twice.add(id + " " + o);
            }
            String expected = RAISED.contains(costCenter(i))
                    ? Topics.TIER_CLOUD.name()
                    : ResultStatus.REJECTED + "/" + DecisionEvents.DEFERRAL_EXPIRED;
            if (!o.isEmpty() && !o.get(0).equals(expected)) {
                wrong.add(id + " " + o + ", expected " + expected);
            }
        }
        long lost = ids.stream().filter(id -> !outcomes.containsKey(id)).count();

        // the log of inference.deferred: one deferral and one marker each
        Map<String, Long> markers = new TreeMap<>();
        long deferrals = 0;
        long deferredTwice = 0;
        Map<String, Integer> deferralsPerId = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicSnapshot.readAll(
                settings,
                ReadSpec.of("defer100k-it-deferred").topic(Topics.INFERENCE_DEFERRED, StartAt.beginning()),
                Duration.ofSeconds(120))) {
            if (r.key() == null || !r.key().startsWith(prefix)) {
                continue;
            }
            if (r.value() == null) {
                markers.merge(header(r, DeferredReleaser.OUTCOME_HEADER), 1L, Long::sum);
            } else {
                deferrals++;
                if (deferralsPerId.merge(r.key(), 1, Integer::sum) > 1) {
                    deferredTwice++;
                }
                assertThat(header(r, Deferral.FIRST_DEFERRED_AT_HEADER)).isNotNull();
            }
        }

        InferenceResult rejected = scanned.rejections.values().iterator().next();
        System.out.printf(
                "[defer100k] %d requests (%d in %s raised after the restart, %d in %s left to expire), max age %s%n",
                N, raisedCount, RAISED, expiringCount, EXPIRING, MAX_AGE);
        System.out.printf("[defer100k] outcomes: %s; lost %d; more than one outcome %d%n", byKind, lost, twice.size());
        System.out.printf(
                "[defer100k] inference.deferred: %d deferrals (%d of a request deferred before), markers %s%n",
                deferrals, deferredTwice, markers);
        System.out.printf("[defer100k] a rejection: %s — %s%n", rejected.getReasons(), rejected.getErrorMessage());
        phase("whole test", t0);

        assertThat(lost).as("requests with no outcome").isZero();
        assertThat(twice)
                .as("requests with more than one outcome (the kill came while nothing was being released, so the"
                        + " at-least-once window between an outcome and its marker was closed)")
                .isEmpty();
        assertThat(wrong).as("outcomes other than expected").isEmpty();
        assertThat(deferrals).as("one deferral per request").isEqualTo(N);
        assertThat(markers)
                .as("one marker per ended deferral")
                .isEqualTo(Map.of("released", raisedCount, "rejected-expired", expiringCount));
        for (InferenceResult r : scanned.rejections.values()) {
            assertThat(r.getReasons()).containsExactly("deferral-expired:" + r.getCostCenter());
            assertThat(EXPIRING).contains(r.getCostCenter());
        }
        assertThat(rejected.getErrorMessage())
                .contains("tiergate.router.defer-max-age ("
                        + MAX_AGE.toString().substring(2).toLowerCase(Locale.ROOT) + ")")
                .contains("'" + rejected.getCostCenter() + "'");
        String metrics = metrics(restarted);
        assertThat(value(metrics, "tiergate_router_deferred_released_total", ""))
                .isEqualTo(raisedCount);
        assertThat(value(metrics, "tiergate_router_deferred_rejected_total", "reason=\"expired\""))
                .isEqualTo(expiringCount);
        assertThat(value(metrics, "tiergate_router_deferred_lost_total", "")).isZero();
        for (Topic<?> topic :
                List.of(Topics.INFERENCE_CLASSIFIED, Topics.ROUTING_BY_COST_CENTER, Topics.INFERENCE_DEFERRED)) {
            assertThat(TopicSnapshot.readAll(
                            settings,
                            ReadSpec.of("defer100k-it-dlq").topic(topic.dlq(), StartAt.beginning()),
                            Duration.ofSeconds(30)))
                    .as(topic.dlq())
                    .isEmpty();
        }
        assertThat(restarted.alive())
                .as("the restarted router is still running")
                .isTrue();
        assertNoOutOfMemory(restarted);
    }

    private static List<String> costCenters() {
        List<String> all = new ArrayList<>(RAISED);
        all.addAll(EXPIRING);
        return all;
    }

    /** Request i's cost center: raised and expiring ones interleaved, so both halves are deferred over the same time. */
    private static String costCenter(int i) {
        List<String> all = costCenters();
        return all.get(i % all.size());
    }

    private static Map<String, String> routerEnv() {
        return Map.of(
                "TIERGATE_ROUTER_DEFER_MAX_AGE",
                MAX_AGE.toSeconds() + "s",
                // statuses come from the ledger's heartbeat; none is stale while the machine is loaded
                "TIERGATE_ROUTER_BUDGET_STALENESS",
                "10m");
    }

    private static ServiceProcess launch(ServiceSpec spec, List<String> jvmArgs, String name, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("KAFKA_BOOTSTRAP", bootstrap());
        all.put("SCHEMA_REGISTRY_URL", registryUrl());
        all.put("TIERGATE_PARTITIONS", String.valueOf(PARTITIONS));
        all.put("TIERGATE_LEDGER_STATE_DIR", DATA.resolve("ledger-state").toString());
        ServiceProcess p =
                ServiceProcess.start(ROOT, spec, all, DATA.resolve("logs").resolve(name), jvmArgs);
        processes.add(p);
        return p;
    }

    private static void awaitHealthy(ServiceProcess p) {
        await(p.spec().module() + " /health UP")
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!p.alive()) {
                        throw new IllegalStateException(p.spec().module() + " exited; last lines of " + p.log() + ":\n"
                                + LocalStack.tail(p.log(), 40));
                    }
                    return p.healthy();
                });
    }

    private static void assertNoOutOfMemory(ServiceProcess p) throws IOException {
        assertThat(Files.readString(p.log(), StandardCharsets.UTF_8))
                .as(p.log().toString())
                .doesNotContain("OutOfMemoryError");
    }

    private static long phase(String what, long sinceNanos) {
        long ms = (System.nanoTime() - sinceNanos) / 1_000_000;
        System.out.printf("[defer100k] %s: %,d ms%n", what, ms);
        return ms;
    }

    private static long lastProgressNanos;

    /** Every 5 s at most: what the router holds and has ended so far. */
    private static void progress(String what, ServiceProcess router) {
        if (System.nanoTime() - lastProgressNanos < 5_000_000_000L) {
            return;
        }
        lastProgressNanos = System.nanoTime();
        String m = metrics(router);
        System.out.printf(
                "[defer100k] %s: held %.0f, released %.0f, expired %.0f%n",
                what,
                value(m, "tiergate_router_deferred_held", ""),
                value(m, "tiergate_router_deferred_released_total", ""),
                value(m, "tiergate_router_deferred_rejected_total", "reason=\"expired\""));
    }

    private static double held(ServiceProcess router) {
        return value(metrics(router), "tiergate_router_deferred_held", "");
    }

    /**
     * The router's heap after a full collection ({@code jcmd <pid> GC.run}, then its /prometheus
     * heap gauges), and the most it may use.
     */
    private static void printHeap(String when, ServiceProcess p) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), String.valueOf(p.pid()), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!gc.waitFor(60, TimeUnit.SECONDS)) {
            gc.destroyForcibly();
        }
        String m = metrics(p);
        System.out.printf(
                "[defer100k] %s: heap used after a full GC %.1f MB (max %.1f MB)%n",
                when,
                value(m, "jvm_memory_used_bytes", "area=\"heap\"") / 1e6,
                value(m, "jvm_memory_max_bytes", "area=\"heap\"") / 1e6);
    }

    private static String metrics(ServiceProcess p) {
        if (!p.alive()) {
            throw new IllegalStateException(
                    p.spec().module() + " exited; last lines of " + p.log() + ":\n" + LocalStack.tail(p.log(), 40));
        }
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(p.spec().baseUrl() + "/prometheus"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of a metric's samples whose labels contain {@code labels}; 0 when there is none. */
    private static double value(String metrics, String name, String labels) {
        double sum = 0;
        for (String line : metrics.lines().toList()) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                int space = line.lastIndexOf(' ');
                if (line.substring(0, space).contains(labels)) {
                    sum += Double.parseDouble(line.substring(space + 1));
                }
            }
        }
        return sum;
    }

    private static ClassifiedRequest classified(String id, String costCenter) {
        Instant now = Instant.now();
        return ClassifiedRequest.newBuilder()
                .setRequest(InferenceRequest.newBuilder()
                        .setRequestId(id)
                        .setPrompt(PROMPT + id)
                        .setCostCenter(costCenter)
                        .setCreatedAt(now)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setTaskType(TaskType.CODE_REVIEW)
                        .setConfidence(0.9)
                        .setEstimatedInputTokens(60)
                        .setComplexity(0.6)
                        .build())
                .setClassifiedAt(now)
                .build();
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> List<V> read(
            KafkaClientSettings settings, EventDecoder decoder, Topic<V> topic) {
        List<V> values = new ArrayList<>();
        TopicSnapshot.read(
                settings,
                ReadSpec.of("defer100k-it-" + topic.name())
                        .topic(topic, StartAt.beginning())
                        .readCommitted(true),
                Duration.ofSeconds(120),
                r -> {
                    if (r.value() != null) {
                        values.add(decoder.decode(topic, r));
                    }
                });
        return values;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Every outcome of this run's requests on the tier topics and inference.results, per request id. */
    private static final class Outcomes {
        final Map<String, List<String>> byId = new HashMap<>();
        final Map<String, InferenceResult> rejections = new HashMap<>();

        static Outcomes scan(KafkaClientSettings settings, EventDecoder decoder, String prefix) {
            Outcomes o = new Outcomes();
            for (Topic<RoutedRequest> tier : List.of(Topics.TIER_CLOUD, Topics.TIER_LOCAL)) {
                for (RoutedRequest r : read(settings, decoder, tier)) {
                    String id = r.getClassified().getRequest().getRequestId();
                    if (id.startsWith(prefix)) {
                        o.byId.computeIfAbsent(id, k -> new ArrayList<>()).add(tier.name());
                    }
                }
            }
            for (InferenceResult r : read(settings, decoder, Topics.INFERENCE_RESULTS)) {
                if (r.getRequestId().startsWith(prefix)) {
                    o.byId.computeIfAbsent(r.getRequestId(), k -> new ArrayList<>())
                            .add(r.getStatus() + "/" + r.getErrorCode());
                    o.rejections.put(r.getRequestId(), r);
                }
            }
            return o;
        }
    }
}
