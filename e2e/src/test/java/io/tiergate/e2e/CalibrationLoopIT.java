package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.cli.TiergateCli;
import io.tiergate.cli.demo.LedgerClient;
import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.ledger.cli.BudgetAdmin;
import io.tiergate.ledger.cli.BudgetAdmin.BudgetRequest;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicSnapshot;
import io.tiergate.router.cli.CalibrationReport;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import picocli.CommandLine;

/**
 * Issue 17's acceptance, end to end (docs/calibration.md): the five services as their own JVMs on a
 * broker process, the local model planted wrong on 30% of EXTRACTION answers and right on every
 * other type, shadow traffic on for the local types under a daily shadow budget. After the samples
 * are judged and aggregated, {@code ./tiergate rules recommend} proposes raising EXTRACTION and
 * nothing else; {@code --apply} writes the rule, and later EXTRACTION requests go to the cloud. The
 * shadow spend stays within its cap and is in the ledger under reason SHADOW; no sovereign or
 * sensitive request is ever shadowed.
 *
 * <p>Requests enter already classified (on {@code inference.classified}), so their task types are
 * exact; the classifier still runs: it judges the shadow answers. Request ids are fixed, and the
 * simulated backend plants its errors by request id, so every run sees the same errors.
 */
class CalibrationLoopIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final BigDecimal SHADOW_CAP_USD = Money.usd("0.50");
    private static final int EXTRACTION_REQUESTS = 60;
    private static final int OTHER_REQUESTS = 35;
    private static final List<TaskType> OTHER_TYPES =
            List.of(TaskType.CLASSIFICATION, TaskType.SUMMARIZATION, TaskType.CONVERSATION);
    private static final int PRIVATE_REQUESTS = 10;
    /**
     * Each shadow call is held against the shadow budget at its worst case (max_tokens) until the
     * ledger's status includes its cost; with the model's default limit, 165 shadows in a minute
     * would hold more than the cap and some would be skipped for the budget, as designed.
     */
    private static final int MAX_OUTPUT_TOKENS = 400;

    private static LocalStack stack;
    private static KafkaClientSettings settings;

    @BeforeAll
    static void startTheSystem() throws IOException {
        Path dataDir = ROOT.resolve("e2e/target/calibration-loop-data");
        Path config = dataDir.resolveSibling("calibration-loop.yml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, """
                tiergate:
                  local-worker:
                    streams: 4
                    queue-limit: 64
                    simulation:
                      errors:
                        EXTRACTION: 0.3
                    shadow:
                      fractions:
                        EXTRACTION: 1.0
                        CLASSIFICATION: 1.0
                        SUMMARIZATION: 1.0
                        CONVERSATION: 1.0
                """);
        StackOptions options = new StackOptions(
                ROOT,
                dataDir,
                Optional.empty(),
                Optional.empty(),
                31192,
                31181,
                3,
                true,
                io.tiergate.cli.stack.ServiceSpec.ALL.stream()
                        .filter(s -> !s.module().equals("gateway"))
                        .toList(),
                400);
        stack = LocalStack.start(
                options,
                System.out,
                Map.of(
                        "MICRONAUT_CONFIG_FILES",
                        config.toString(),
                        "TIERGATE_SIMULATION_SPEED_UP",
                        "200",
                        "TIERGATE_LEDGER_STATE_DIR",
                        dataDir.resolve("ledger-state").toString()));
        settings = new KafkaClientSettings(stack.bootstrapServers(), stack.registryUrl(), "calibration-loop-it");
    }

    @AfterAll
    static void stopTheSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aLocalModelWrongOnThirtyPercentOfExtractionIsFoundAndOnlyExtractionMovesToTheCloud() throws Exception {
        try (BudgetAdmin budgets = new BudgetAdmin(stack.bootstrapServers(), stack.registryUrl())) {
            budgets.set(BudgetRequest.of("shadow", SHADOW_CAP_USD, null), "CalibrationLoopIT: the daily shadow cap");
        }

        // 1. locally served traffic: EXTRACTION (planted wrong on 30%), three other local types (right),
        // and sovereign and sensitive requests of every one of them, which must never be shadowed
        Set<String> privateIds = new java.util.HashSet<>();
        Map<String, TaskType> types = new HashMap<>();
        Map<String, InferenceResult> results = new HashMap<>();
        // in waves, so the local tier keeps up (an overflow would escalate to the cloud: LOCAL_QUEUE_FULL)
        try (KafkaProducer<String, ClassifiedRequest> producer = producer()) {
            List<String> wave = new ArrayList<>();
            for (Map.Entry<String, TaskType> e : planned().entrySet()) {
                boolean sovereign = e.getKey().startsWith("cal-sovereign-");
                boolean sensitive = e.getKey().startsWith("cal-sensitive-");
                wave.add(send(producer, e.getKey(), e.getValue(), sovereign, sensitive));
                types.put(e.getKey(), e.getValue());
                if (sovereign || sensitive) {
                    privateIds.add(e.getKey());
                }
                if (wave.size() == 20) {
                    producer.flush();
                    results.putAll(awaitResults(wave));
                    wave = new ArrayList<>();
                }
            }
            producer.flush();
            results.putAll(awaitResults(wave));
        }

        // 2. every request the local tier served (not sovereign, not sensitive) is shadowed, judged (classifier)
        // and aggregated (ledger) into routing.calibration
        Map<TaskType, Long> expectedSamples = results.values().stream()
                .filter(r -> r.getTier() == Tier.LOCAL && !privateIds.contains(r.getRequestId()))
                .collect(Collectors.groupingBy(r -> types.get(r.getRequestId()), Collectors.counting()));
        System.out.printf("[calibration] served locally and shadowed: %s%n", expectedSamples);
        assertThat(expectedSamples.get(TaskType.EXTRACTION)).isGreaterThanOrEqualTo(45L);
        Map<String, CalibrationStat> stats = new HashMap<>();
        await("every shadow judged and aggregated")
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(2))
                .conditionEvaluationListener(c -> System.out.printf(
                        "[calibration] waiting %d ms: %s; cloud worker: %s%n",
                        c.getElapsedTimeInMS(),
                        stats.values().stream()
                                .map(s -> s.getTaskType() + "=" + s.getSamples())
                                .collect(Collectors.joining(", ")),
                        shadowMeters()))
                .until(() -> {
                    stats.clear();
                    stats.putAll(CalibrationReport.read(settings, Duration.ofDays(30), Duration.ofSeconds(30))
                            .stats());
                    return expectedSamples.entrySet().stream()
                            .allMatch(e -> stats.values().stream()
                                    .anyMatch(s -> s.getTaskType() == e.getKey() && s.getSamples() == e.getValue()));
                });
        CalibrationStat extraction = stats.values().stream()
                .filter(s -> s.getTaskType() == TaskType.EXTRACTION)
                .findFirst()
                .orElseThrow();
        System.out.printf(
                "[calibration] EXTRACTION: %d of %d agreed (%.1f%%, 95%% CI %.1f%%..%.1f%%)%n",
                extraction.getAgreed(),
                extraction.getSamples(),
                100 * extraction.getAgreementRate(),
                100 * extraction.getLower95(),
                100 * extraction.getUpper95());
        assertThat(extraction.getAgreementRate()).as("the planted 30% error").isBetween(0.5, 0.85);

        // 3. nothing sovereign or sensitive on the shadow topic, and every shadow billed as SHADOW within the cap
        List<RoutedRequest> shadows = read(Topics.INFERENCE_SHADOW);
        assertThat(shadows).isNotEmpty();
        assertThat(shadows).allSatisfy(s -> {
            assertThat(privateIds).doesNotContain(s.getClassified().getRequest().getRequestId());
            assertThat(s.getClassified().getRequest().getRequiresDataSovereignty())
                    .isFalse();
            assertThat(s.getClassified().getClassification().getContainsSensitiveData())
                    .isFalse();
        });
        List<CostEvent> shadowCosts = read(Topics.INFERENCE_COSTS).stream()
                .filter(c -> c.getReason() == CostReason.SHADOW)
                .toList();
        BigDecimal shadowSpend =
                Money.usd(shadowCosts.stream().map(CostEvent::getCostUsd).reduce(BigDecimal.ZERO, BigDecimal::add));
        System.out.printf(
                "[calibration] %d shadows, %d SHADOW cost events, $%s of the $%s cap%n",
                shadows.size(), shadowCosts.size(), shadowSpend.toPlainString(), SHADOW_CAP_USD.toPlainString());
        assertThat(shadowCosts).allSatisfy(c -> {
            assertThat(c.getCostCenter()).isEqualTo("shadow");
            assertThat(c.getTier()).isEqualTo(Tier.CLOUD);
        });
        assertThat(shadowSpend).isPositive().isLessThanOrEqualTo(SHADOW_CAP_USD);
        LedgerClient ledger = new LedgerClient(
                stack.service("ledger-streams").orElseThrow().spec().baseUrl(), stack.apiToken());
        await("the ledger counts the shadow spend in its scope")
                .atMost(Duration.ofSeconds(60))
                .until(() -> ledger.totalUsd("shadow")
                        .map(total -> total.compareTo(shadowSpend) == 0)
                        .orElse(false));

        // 4. the recommendation: EXTRACTION up, nothing else
        JsonNode proposed = new ObjectMapper().readTree(cli("rules", "recommend", "--json"));
        List<String> proposals = new ArrayList<>();
        proposed.path("recommendations").forEach(r -> {
            if (r.has("proposed")) {
                proposals.add(
                        r.path("taskType").asText() + " " + r.path("decision").asText());
            }
        });
        assertThat(proposals).containsExactly("EXTRACTION UP");

        // 5. applied, later EXTRACTION requests go to the cloud
        String applied = cli(
                "rules", "recommend", "--apply", "--reason", "CalibrationLoopIT: EXTRACTION below the agreement floor");
        assertThat(applied).contains("applied: EXTRACTION -> CLOUD");
        Instant appliedAt = Instant.now();
        await("the routers follow the new rule")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    String id = "cal-after-" + System.nanoTime();
                    try (KafkaProducer<String, ClassifiedRequest> producer = producer()) {
                        send(producer, id, TaskType.EXTRACTION, false, false);
                        producer.flush();
                    }
                    return awaitResults(List.of(id)).get(id).getTier() == Tier.CLOUD;
                });
        List<String> later = new ArrayList<>();
        try (KafkaProducer<String, ClassifiedRequest> producer = producer()) {
            for (int i = 1; i <= 10; i++) {
                later.add(send(producer, "cal-later-extraction-" + i, TaskType.EXTRACTION, false, false));
            }
            producer.flush();
        }
        awaitResults(later);
        Map<String, RoutingDecision> decisions = read(Topics.ROUTING_DECISIONS).stream()
                .filter(d -> later.contains(d.getRequestId()))
                .collect(Collectors.toMap(RoutingDecision::getRequestId, d -> d, (a, b) -> a));
        assertThat(decisions).hasSize(later.size());
        assertThat(decisions.values()).allSatisfy(d -> {
            assertThat(d.getTier()).isEqualTo(Tier.CLOUD);
            assertThat(d.getDecidedAt()).isAfter(appliedAt.minusSeconds(60));
        });
    }

    /** The cloud worker's shadow counters, as its Prometheus endpoint shows them (for the log). */
    private static String shadowMeters() {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                            stack.service("cloud-worker")
                                                            .orElseThrow()
                                                            .spec()
                                                            .baseUrl() + "/prometheus"))
                                    .header("Authorization", "Bearer " + stack.apiToken())
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.body()
                    .lines()
                    .filter(l -> l.startsWith("tiergate_shadow_"))
                    .collect(Collectors.joining("; "));
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The traffic of step 1, in sending order: id → task type. */
    private static Map<String, TaskType> planned() {
        Map<String, TaskType> planned = new LinkedHashMap<>();
        for (int i = 1; i <= EXTRACTION_REQUESTS; i++) {
            planned.put("cal-extraction-" + i, TaskType.EXTRACTION);
        }
        for (TaskType type : OTHER_TYPES) {
            for (int i = 1; i <= OTHER_REQUESTS; i++) {
                planned.put("cal-" + type.name().toLowerCase() + "-" + i, type);
            }
        }
        for (TaskType type : List.of(TaskType.EXTRACTION, TaskType.CONVERSATION)) {
            for (int i = 1; i <= PRIVATE_REQUESTS; i++) {
                planned.put("cal-sovereign-" + type + "-" + i, type);
                planned.put("cal-sensitive-" + type + "-" + i, type);
            }
        }
        return planned;
    }

    private static String send(
            KafkaProducer<String, ClassifiedRequest> producer,
            String id,
            TaskType type,
            boolean sovereign,
            boolean sensitive) {
        Instant now = Instant.now();
        String prompt = switch (type) {
            case EXTRACTION ->
                "Extract vendor, date and total as JSON from invoice " + id
                        + ": ACME Corp, 2026-11-03, total 1,249.00 EUR";
            case CLASSIFICATION ->
                "Label this ticket as bug, question or feature: " + id + " the export button does nothing";
            case SUMMARIZATION ->
                "Summarize in two sentences the incident notes " + id
                        + ": the cache node ran out of memory and requests fell back to the database";
            default -> "Say hello to the new team member " + id + " and explain where the wiki is";
        };
        ClassifiedRequest request = ClassifiedRequest.newBuilder()
                .setRequest(InferenceRequest.newBuilder()
                        .setRequestId(id)
                        .setPrompt(prompt)
                        .setCostCenter("calibration-team")
                        .setRequiresDataSovereignty(sovereign)
                        .setMaxOutputTokens(MAX_OUTPUT_TOKENS)
                        .setCreatedAt(now)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setTaskType(type)
                        .setConfidence(0.95)
                        .setEstimatedInputTokens(120)
                        .setComplexity(0.2)
                        .setContainsSensitiveData(sensitive)
                        .setSensitiveKinds(sensitive ? List.of("EMAIL") : List.of())
                        .build())
                .setClassifiedAt(now)
                .build();
        producer.send(new ProducerRecord<>(Topics.INFERENCE_CLASSIFIED.name(), id, request));
        return id;
    }

    private static Map<String, InferenceResult> awaitResults(List<String> ids) {
        Set<String> wanted = Set.copyOf(ids);
        Map<String, InferenceResult> results = new HashMap<>();
        await("one result per request")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    results.clear();
                    for (InferenceResult r : read(Topics.INFERENCE_RESULTS)) {
                        if (wanted.contains(r.getRequestId())) {
                            assertThat(results.put(r.getRequestId(), r))
                                    .as("one result for " + r.getRequestId())
                                    .isNull();
                        }
                    }
                    return results.size() == wanted.size();
                });
        return results;
    }

    /** Runs {@code ./tiergate ARGS --bootstrap … --registry-url …} in this JVM; returns what it printed. */
    private static synchronized String cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap", stack.bootstrapServers(), "--registry-url", stack.registryUrl()));
        PrintStream systemOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            CommandLine cli = TiergateCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            exit = cli.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(systemOut);
        }
        String printed = out + captured.toString(StandardCharsets.UTF_8);
        assertThat(exit)
                .as("./tiergate %s%nstdout:%n%s%nstderr:%n%s", all, printed, err)
                .isZero();
        return printed;
    }

    private static KafkaProducer<String, ClassifiedRequest> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, settings.schemaRegistryUrl());
        AvroSerializer<ClassifiedRequest> values = new AvroSerializer<>();
        values.configure(config, false);
        return new KafkaProducer<>(config, new StringSerializer(), values);
    }

    private static <V extends SpecificRecord> List<V> read(Topic<V> topic) {
        EventDecoder decoder = new EventDecoder(settings);
        List<ConsumerRecord<String, byte[]>> records = TopicSnapshot.readAll(
                settings,
                ReadSpec.of("calibration-loop-it-" + topic.name())
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
}
