package io.tiergate.cloudworker.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.cloudworker.config.ApiKeySource;
import io.tiergate.cloudworker.config.CloudWorkerConfiguration.BackendMode;
import io.tiergate.cloudworker.config.ModelEndpoint;
import io.tiergate.cloudworker.config.ModelProperties;
import io.tiergate.cloudworker.resilience.Backoff;
import io.tiergate.cloudworker.resilience.RetryPolicy;
import io.tiergate.cloudworker.serve.CloudModels;
import io.tiergate.cloudworker.serve.CloudRequestHandler;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.kafka.FaultInjection;
import io.tiergate.worker.kafka.TestTopics;
import io.tiergate.worker.kafka.TierWorker;
import io.tiergate.worker.kafka.TierWorkerConfig;
import io.tiergate.worker.kafka.TopicReader;
import io.tiergate.worker.simulated.SimulatedBackend;
import io.tiergate.worker.simulated.SimulationSettings;
import io.tiergate.worker.testing.FakeProvider;
import io.tiergate.worker.work.WorkEnvironment;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Cloud workers on isolated topics of a real broker, calling a {@link FakeProvider} over HTTP:
 * the integration tests and the benchmark share it.
 */
public final class IsolatedCluster implements AutoCloseable {

    public static final List<String> MODELS = List.of("anthropic/claude-haiku-4.5", "deepseek/deepseek-chat");

    public final String id = UUID.randomUUID().toString().substring(0, 8);
    public final KafkaClientSettings settings;
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final InboundRecords inbound;
    public final Topic<RoutedRequest> input;
    public final Topic<InferenceResult> results;
    public final Topic<CostEvent> costs;
    public final Topic<AttemptStarted> attempts;
    private final DeadLetters deadLetters;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final List<TierWorker> workers = new ArrayList<>();

    public IsolatedCluster(String bootstrapServers, int partitions) {
        settings = new KafkaClientSettings(bootstrapServers, "mock://cloud-it-" + id, "cloud-worker-it");
        input = new Topic<>("cw-" + id + ".tier.cloud", RoutedRequest.class, Topic.Cleanup.DELETE);
        results = new Topic<>("cw-" + id + ".results", InferenceResult.class, Topic.Cleanup.DELETE);
        costs = new Topic<>("cw-" + id + ".costs", CostEvent.class, Topic.Cleanup.DELETE);
        attempts = new Topic<>("cw-" + id + ".attempts", AttemptStarted.class, Topic.Cleanup.DELETE);
        TestTopics.create(
                settings,
                List.of(
                        new NewTopic(input.name(), partitions, (short) 1),
                        new NewTopic(input.dlq(), 1, (short) 1),
                        new NewTopic(results.name(), partitions, (short) 1),
                        new NewTopic(costs.name(), partitions, (short) 1),
                        new NewTopic(attempts.name(), partitions, (short) 1)));
        TestTopics.awaitLeaders(settings, List.of(input.name(), results.name(), costs.name(), attempts.name()));
        deadLetters = new DeadLetters(settings, meters);
        inbound = new InboundRecords(new EventDecoder(settings), deadLetters);
        Map<String, Object> p = settings.base();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // the in-JVM broker on a loaded 2-core machine sometimes answers NOT_LEADER right after topic
        // creation; the idempotent producer can then loop on OUT_OF_ORDER_SEQUENCE. Inputs do not need
        // idempotence here: one in flight, and duplicates would show up in the results count
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producer = TestTopics.avroProducer(p);
    }

    /** The cloud handler for {@link #MODELS}, all OpenAI-compatible (streaming) on {@code provider}. */
    public CloudRequestHandler handler(URI provider, boolean stream) {
        ModelHttp http = new ModelHttp(Duration.ofSeconds(2));
        List<ModelProperties> models = new ArrayList<>();
        for (String m : MODELS) {
            models.add(ModelProperties.builder(m.replace('/', '-').replace('.', '-'))
                    .model(m)
                    .api(ModelEndpoint.Api.OPENAI)
                    .baseUrl(provider.toString())
                    .apiKeyEnv("KEY")
                    .stream(stream)
                    .timeout(Duration.ofSeconds(30))
                    .build());
        }
        CloudModels built = CloudModels.build(
                models,
                BackendMode.AUTO,
                Fixtures.PRICES,
                new ApiKeySource(Map.of("KEY", "sk-it-key-0000")::get),
                http,
                new SimulatedBackend(Fixtures.PRICES, SimulationSettings.defaults()),
                Clock.systemUTC());
        RetryPolicy policy = new RetryPolicy(
                3,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofMinutes(2));
        return new CloudRequestHandler(
                built, policy, Fixtures.PRICES, d -> Thread.sleep(d.toMillis()), Math::random, meters);
    }

    public TierWorker start(String workerId, CloudRequestHandler handler, int maxInFlight) {
        return start(workerId, handler, maxInFlight, FaultInjection.NONE);
    }

    /** As {@link #start(String, CloudRequestHandler, int)}, asking {@code faults} where to die (a {@code KillSwitch}). */
    public TierWorker start(String workerId, CloudRequestHandler handler, int maxInFlight, FaultInjection faults) {
        TierWorkerConfig config = TierWorkerConfig.builder(workerId, "cw-" + id + "-group", input)
                .attemptsTopic(attempts)
                .maxInFlight(maxInFlight)
                .revokeDrainTimeout(Duration.ofSeconds(2))
                .consumer(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000)
                .consumer(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500)
                .build();
        Map<Tier, Topic<RoutedRequest>> handOff = new EnumMap<>(Tier.class);
        WorkEnvironment env =
                WorkEnvironment.of(Tier.CLOUD, workerId, Fixtures.PRICER).withTopics(results, costs, handOff);
        TierWorker worker = new TierWorker(settings, config, env, handler, inbound, meters, faults).start();
        workers.add(worker);
        return worker;
    }

    private final List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> pending =
            new ArrayList<>();
    private final List<RoutedRequest> pendingRequests = new ArrayList<>();

    /** Sends asynchronously; {@link #flush()} makes sure every request reached the topic. */
    public void send(RoutedRequest request) {
        pending.add(producer.send(new ProducerRecord<>(
                input.name(), request.getClassified().getRequest().getRequestId(), request)));
        pendingRequests.add(request);
    }

    /** Waits for every send since the last flush, re-sending (once at a time) any that failed. */
    public void flush() {
        producer.flush();
        for (int i = 0; i < pending.size(); i++) {
            try {
                pending.get(i).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                RoutedRequest r = pendingRequests.get(i);
                try {
                    producer.send(new ProducerRecord<>(
                                    input.name(), r.getClassified().getRequest().getRequestId(), r))
                            .get(30, TimeUnit.SECONDS);
                } catch (Exception again) {
                    throw new IllegalStateException(
                            "cannot produce request "
                                    + r.getClassified().getRequest().getRequestId(),
                            again);
                }
            }
        }
        pending.clear();
        pendingRequests.clear();
    }

    /** read_committed, from the beginning; call {@link TopicReader#poll()} inside an await. */
    public <V extends SpecificRecord> TopicReader<V> reader(Topic<V> topic) {
        return new TopicReader<>(settings, topic, true);
    }

    @Override
    public void close() {
        for (TierWorker w : workers) {
            if (w.running()) {
                w.close();
            }
        }
        producer.close();
        deadLetters.close();
    }
}
