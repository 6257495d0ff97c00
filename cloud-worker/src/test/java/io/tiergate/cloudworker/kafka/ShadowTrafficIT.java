package io.tiergate.cloudworker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.cloudworker.config.ApiKeySource;
import io.tiergate.cloudworker.config.CloudWorkerConfiguration.BackendMode;
import io.tiergate.cloudworker.serve.CloudModels;
import io.tiergate.cloudworker.serve.ShadowRequestHandler;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.ShadowAnswer;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.policy.SovereigntyRule;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.kafka.FaultInjection;
import io.tiergate.worker.kafka.TestTopics;
import io.tiergate.worker.kafka.TierWorker;
import io.tiergate.worker.kafka.TierWorkerConfig;
import io.tiergate.worker.kafka.TopicReader;
import io.tiergate.worker.runtime.BudgetBoard;
import io.tiergate.worker.shadow.ShadowPlan;
import io.tiergate.worker.shadow.ShadowSampler;
import io.tiergate.worker.shadow.ShadowingHandler;
import io.tiergate.worker.simulated.SimulatedAnswers;
import io.tiergate.worker.simulated.SimulatedBackend;
import io.tiergate.worker.simulated.SimulatedQuality;
import io.tiergate.worker.simulated.SimulationSettings;
import io.tiergate.worker.work.Attempt;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.WorkEnvironment;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shadow traffic on a real broker (docs/calibration.md, "Shadow traffic"): a local tier worker (worker-core's
 * runtime, a simulated local model planted wrong on 30 % of EXTRACTION answers) shadows what it serves onto its
 * shadow topic; the cloud worker's {@link ShadowRequestHandler} answers the shadows with a simulated reference
 * model, bills them with reason SHADOW to the shadow scope, and publishes the answers aside. Isolated topics,
 * except {@code budget.status}, whose follower every budgeted worker runs.
 */
class ShadowTrafficIT {

    private static final String LOCAL_MODEL = "qwen3:8b";
    private static final String REFERENCE = "anthropic/claude-sonnet-4.6";
    private static final SimulatedQuality LOCAL_QUALITY =
            new SimulatedQuality(Map.of(TaskType.EXTRACTION, 0.3), Map.of());

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String scope = "shadow-" + id;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private KafkaClientSettings settings;
    private DeadLetters deadLetters;
    private InboundRecords inbound;
    private KafkaProducer<String, SpecificRecord> producer;
    private final List<TierWorker> workers = new ArrayList<>();

    private Topic<RoutedRequest> local;
    private Topic<RoutedRequest> shadow;
    private Topic<ShadowAnswer> answers;
    private Topic<InferenceResult> results;
    private Topic<CostEvent> costs;
    private Topic<AttemptStarted> attempts;

    @BeforeEach
    void topics() {
        settings =
                new KafkaClientSettings(TestBrokers.shared().bootstrapServers(), "mock://shadow-it-" + id, "shadow-it");
        local = new Topic<>("sh-" + id + ".tier.local", RoutedRequest.class, Topic.Cleanup.DELETE);
        shadow = new Topic<>("sh-" + id + ".shadow", RoutedRequest.class, Topic.Cleanup.DELETE);
        answers = new Topic<>("sh-" + id + ".shadow.answers", ShadowAnswer.class, Topic.Cleanup.DELETE);
        results = new Topic<>("sh-" + id + ".results", InferenceResult.class, Topic.Cleanup.DELETE);
        costs = new Topic<>("sh-" + id + ".costs", CostEvent.class, Topic.Cleanup.DELETE);
        attempts = new Topic<>("sh-" + id + ".attempts", AttemptStarted.class, Topic.Cleanup.DELETE);
        List<NewTopic> all = new ArrayList<>();
        for (Topic<?> t : List.of(local, shadow, answers, results, costs, attempts)) {
            all.add(new NewTopic(t.name(), 3, (short) 1));
        }
        all.add(new NewTopic(local.dlq(), 1, (short) 1));
        all.add(new NewTopic(shadow.dlq(), 1, (short) 1));
        TestTopics.create(settings, all);
        ensure(Topics.BUDGET_STATUS.name());
        TestTopics.awaitLeaders(settings, all.stream().map(NewTopic::name).collect(Collectors.toList()));
        deadLetters = new DeadLetters(settings, meters);
        inbound = new InboundRecords(new EventDecoder(settings), deadLetters);
        Map<String, Object> p = settings.base();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producer = TestTopics.avroProducer(p);
    }

    @AfterEach
    void close() {
        workers.forEach(TierWorker::close);
        producer.close();
        deadLetters.close();
    }

    private void ensure(String topic) {
        try (Admin admin = Admin.create(settings.base())) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The local tier: one call of the simulated local model, then the answer, shadowed as {@code plan} says. */
    private void startLocal(ShadowPlan plan) {
        SimulatedBackend model = new SimulatedBackend(
                Fixtures.PRICES, SimulationSettings.defaults().withSpeedUp(1000).withQuality(LOCAL_QUALITY));
        RequestHandler served = work -> {
            Attempt a = work.call(model, LOCAL_MODEL, Duration.ofSeconds(30));
            return a.success() ? work.complete() : work.fail(a.outcomeCode(), "local call failed");
        };
        Map<Tier, Topic<RoutedRequest>> handOff = new EnumMap<>(Tier.class);
        handOff.put(Tier.CLOUD, shadow); // the runtime's guard treats the shadow topic as the cloud topic it is
        WorkEnvironment env =
                WorkEnvironment.of(Tier.LOCAL, "lw-" + id, Fixtures.PRICER).withTopics(results, costs, handOff);
        TierWorkerConfig config = TierWorkerConfig.builder("lw-" + id, "sh-" + id + "-local", local)
                .attemptsTopic(attempts)
                .maxInFlight(8)
                .consumer(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000)
                .build();
        workers.add(new TierWorker(settings, config, env, new ShadowingHandler(served, plan, meters), inbound, meters)
                .start());
    }

    /** The cloud worker's shadow loop, as CloudWorkerRunner builds it, with every cloud model simulated (all right). */
    private BudgetBoard startShadow() {
        CloudModels models = CloudModels.build(
                List.of(),
                BackendMode.SIMULATED,
                Fixtures.PRICES,
                new ApiKeySource(Map.<String, String>of()::get),
                new ModelHttp(Duration.ofSeconds(2)),
                new SimulatedBackend(
                        Fixtures.PRICES, SimulationSettings.defaults().withSpeedUp(1000)),
                Clock.systemUTC());
        TierWorkerConfig config = TierWorkerConfig.builder("cw-" + id + "-shadow", "sh-" + id + "-shadow", shadow)
                .attemptsTopic(attempts)
                .maxInFlight(4)
                .consumer(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000)
                .build();
        WorkEnvironment env = WorkEnvironment.of(Tier.CLOUD, "cw-" + id + "-shadow", Fixtures.PRICER)
                .withTopics(results, costs, new EnumMap<>(Tier.class));
        BudgetBoard board = new BudgetBoard(Clock.systemUTC(), config.attemptsMemory());
        workers.add(new TierWorker(
                        settings,
                        config,
                        env,
                        new ShadowRequestHandler(models, answers, meters),
                        inbound,
                        meters,
                        FaultInjection.NONE,
                        board)
                .start());
        return board;
    }

    private ShadowPlan extractionPlan() {
        return new ShadowPlan(new ShadowSampler(Map.of(TaskType.EXTRACTION, 1.0)), REFERENCE, Map.of(), scope, shadow);
    }

    private void send(RoutedRequest request) throws Exception {
        producer.send(new ProducerRecord<>(
                        local.name(), request.getClassified().getRequest().getRequestId(), request))
                .get(30, TimeUnit.SECONDS);
    }

    private <V extends SpecificRecord> TopicReader<V> reader(Topic<V> topic) {
        return new TopicReader<>(settings, topic, true);
    }

    @Test
    void aServedRequestIsShadowedBilledAsShadowAndAnsweredAsideNeverASecondResult() throws Exception {
        startLocal(extractionPlan());
        startShadow();
        List<String> extraction = new ArrayList<>();
        List<String> sovereign = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String rid = "ex-" + id + "-" + i;
            extraction.add(rid);
            send(Fixtures.routed(rid, TaskType.EXTRACTION, Tier.LOCAL, LOCAL_MODEL, List.of(), false, false, false));
        }
        for (int i = 0; i < 8; i++) {
            String rid = "sens-" + id + "-" + i;
            sovereign.add(rid);
            // sensitive, upstream-sovereign, router-sovereign: all EXTRACTION, the shadowed type
            send(Fixtures.routed(
                    rid, TaskType.EXTRACTION, Tier.LOCAL, LOCAL_MODEL, List.of(), i % 3 == 1, i % 3 == 0, i % 3 == 2));
        }
        for (int i = 0; i < 6; i++) {
            String rid = "sum-" + id + "-" + i;
            other.add(rid);
            send(Fixtures.routed(rid, TaskType.SUMMARIZATION, Tier.LOCAL, LOCAL_MODEL, List.of(), false, false, false));
        }
        int n = extraction.size() + sovereign.size() + other.size();
        try (TopicReader<InferenceResult> resultReader = reader(results);
                TopicReader<ShadowAnswer> answerReader = reader(answers);
                TopicReader<RoutedRequest> shadowReader = reader(shadow);
                TopicReader<CostEvent> costReader = reader(costs)) {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> resultReader.poll().size() >= n
                            && answerReader.poll().size() >= extraction.size());

            // the shadow answers were committed with the shadow worker's cost events, and no result with them
            List<InferenceResult> all = resultReader.poll();
            assertThat(all).hasSize(n);
            assertThat(all.stream().map(InferenceResult::getRequestId).collect(Collectors.toSet()))
                    .hasSize(n);
            assertThat(all).allMatch(r -> r.getStatus() == ResultStatus.COMPLETED && r.getTier() == Tier.LOCAL);

            List<RoutedRequest> shadows = shadowReader.poll();
            assertThat(shadows).hasSize(extraction.size()).noneMatch(SovereigntyRule::isSovereign);
            assertThat(shadows.stream().map(s -> s.getClassified().getRequest().getRequestId()))
                    .containsExactlyInAnyOrderElementsOf(extraction);

            List<CostEvent> shadowCosts = costReader.poll().stream()
                    .filter(c -> c.getReason() == CostReason.SHADOW)
                    .toList();
            assertThat(shadowCosts).hasSize(extraction.size()).allSatisfy(c -> {
                assertThat(c.getCostCenter()).isEqualTo(scope);
                assertThat(c.getTier()).isEqualTo(Tier.CLOUD);
                assertThat(c.getModel()).isEqualTo(REFERENCE);
                assertThat(c.getAttempt()).isEqualTo(2);
                assertThat(c.getCostUsd()).isPositive();
            });
            Set<String> billed =
                    shadowCosts.stream().map(CostEvent::getRequestId).collect(Collectors.toSet());
            assertThat(billed).doesNotContainAnyElementsOf(sovereign).doesNotContainAnyElementsOf(other);

            // the answers: the caller's cost center, the local answer, and the planted 30 % disagreeing
            SimulatedAnswers planted = new SimulatedAnswers(LOCAL_QUALITY);
            List<ShadowAnswer> got = answerReader.poll();
            assertThat(got).allSatisfy(a -> {
                assertThat(a.getCostCenter()).isEqualTo("team-a");
                assertThat(a.getLocalModel()).isEqualTo(LOCAL_MODEL);
                assertThat(a.getReferenceModel()).isEqualTo(REFERENCE);
                assertThat(a.getSimulated()).isTrue();
                assertThat(a.getLocalAnswer().equals(a.getReferenceAnswer()))
                        .as("%s planted wrong", a.getRequestId())
                        .isEqualTo(!planted.wrong(a.getRequestId(), TaskType.EXTRACTION));
            });
            BigDecimal billedUsd =
                    total(shadowCosts.stream().map(CostEvent::getCostUsd).toList());
            BigDecimal answeredUsd =
                    total(got.stream().map(ShadowAnswer::getShadowCostUsd).toList());
            assertThat(answeredUsd).isEqualByComparingTo(billedUsd);
            long disagreeing = got.stream()
                    .filter(a -> !a.getLocalAnswer().equals(a.getReferenceAnswer()))
                    .count();
            System.out.printf(
                    "shadow IT: %d served, %d shadowed, %d disagreeing, shadow spend $%s%n",
                    n, got.size(), disagreeing, billedUsd.toPlainString());
        }
    }

    @Test
    void shadowSpendStaysWithinTheShadowScopesDailyBudget() throws Exception {
        BigDecimal limit = Money.usd("0.030000000");
        startLocal(extractionPlan());
        BudgetBoard board = startShadow();
        Instant now = Instant.now();
        board.status(
                scope,
                BudgetStatus.newBuilder()
                        .setScope(scope)
                        .setLevel(BudgetLevel.NORMAL)
                        .setOnExhausted(OnExhausted.DEGRADE_LOCAL)
                        .setDailySpendUsd(Money.ZERO)
                        .setDailyLimitUsd(limit)
                        .setMonthlySpendUsd(Money.ZERO)
                        .setUtilization(0)
                        .setBurnRateUsdPerHour(Money.ZERO)
                        .setPeriodDayStart(now)
                        .setPeriodMonthStart(now)
                        .setUpdatedAt(now)
                        .build());
        int n = 40;
        for (int i = 0; i < n; i++) {
            send(Fixtures.withMaxOutputTokens(
                    Fixtures.routed(
                            "cap-" + id + "-" + i,
                            TaskType.EXTRACTION,
                            Tier.LOCAL,
                            LOCAL_MODEL,
                            List.of(),
                            false,
                            false,
                            false),
                    200));
        }
        try (TopicReader<CostEvent> costReader = reader(costs);
                TopicReader<ShadowAnswer> answerReader = reader(answers)) {
            // every shadow was either answered or skipped for the budget
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> counted("tiergate.shadow.answered") + counted("tiergate.shadow.skipped") >= n);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> answerReader.poll().size() >= counted("tiergate.shadow.answered"));
            List<CostEvent> shadowCosts = costReader.poll().stream()
                    .filter(c -> c.getReason() == CostReason.SHADOW)
                    .toList();
            BigDecimal spent =
                    total(shadowCosts.stream().map(CostEvent::getCostUsd).toList());
            System.out.printf(
                    "shadow cap IT: limit $%s, %d of %d shadows called, spent $%s, %d skipped%n",
                    limit.toPlainString(), shadowCosts.size(), n, spent.toPlainString(), (long)
                            counted("tiergate.shadow.skipped"));
            // the admission check and the hold it places are not one step, so the shadow loop's other
            // calls in flight (max-in-flight 4) may pass the same check: at most 3 calls over the cap, as
            // for any budget (docs/budgets.md, "Every paid call reserved"; docs/calibration.md)
            BigDecimal largestCall = shadowCosts.stream()
                    .map(CostEvent::getCostUsd)
                    .max(BigDecimal::compareTo)
                    .orElse(Money.ZERO);
            assertThat(spent).isLessThanOrEqualTo(limit.add(largestCall.multiply(BigDecimal.valueOf(3))));
            assertThat(shadowCosts).isNotEmpty().hasSizeLessThan(n);
            assertThat(meters.counter("tiergate.shadow.skipped", "why", "budget")
                            .count())
                    .isEqualTo(n - shadowCosts.size());
            assertThat(shadowCosts).allMatch(c -> c.getCostCenter().equals(scope));
        }
    }

    private static BigDecimal total(List<BigDecimal> amounts) {
        BigDecimal sum = Money.ZERO;
        for (BigDecimal a : amounts) {
            sum = Money.sum(sum, a);
        }
        return sum;
    }

    private double counted(String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
