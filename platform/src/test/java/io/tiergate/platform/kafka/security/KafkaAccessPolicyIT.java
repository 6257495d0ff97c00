package io.tiergate.platform.kafka.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.SaslKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The access policy on a real broker with SASL/SCRAM-SHA-512 and the KRaft StandardAuthorizer: every
 * principal of {@link KafkaAccessPolicy} writes and reads exactly the topics the policy grants it,
 * the refusals issue 15 names are refused, and no password reaches a log line or a topic.
 */
class KafkaAccessPolicyIT {

    private static final KafkaAccessPolicy POLICY = KafkaAccessPolicy.standard();
    private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static final Logger KAFKA_LOGGER = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    private static Level kafkaLevel;
    private static SaslKafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        // Kafka's clients log their whole configuration at INFO: capture it to check it hides secrets
        kafkaLevel = KAFKA_LOGGER.getLevel();
        KAFKA_LOGGER.setLevel(Level.INFO);
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);

        broker = SaslKafkaBroker.start();
        KafkaAccessPolicy.PRINCIPALS.forEach(p -> PASSWORDS.put(p, SaslKafkaBroker.randomPassword()));
        broker.createScramUsers(PASSWORDS);
        try (Admin admin = Admin.create(broker.superUserProperties())) {
            new TopicProvisioner(admin, topic -> 1, (short) 1).ensureAll();
            admin.createAcls(POLICY.aclBindings()).all().get(60, TimeUnit.SECONDS);
            // the controller has committed the ACLs; the broker's authorizer applies them a moment later
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> admin.describeAcls(AclBindingFilter.ANY)
                                    .values()
                                    .get(10, TimeUnit.SECONDS)
                                    .size()
                            == Set.copyOf(POLICY.aclBindings()).size());
        }
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        KAFKA_LOGGER.setLevel(kafkaLevel);
        broker.close();
    }

    private static KafkaClientSettings settingsOf(String principal) {
        Map<String, String> security = new HashMap<>();
        SaslKafkaBroker.scramClientProperties(principal, PASSWORDS.get(principal))
                .forEach((k, v) -> security.put(k, v.toString()));
        return new KafkaClientSettings(
                broker.bootstrapServers(),
                null,
                "policy-it-" + principal,
                KafkaClientSecurity.of(security, "test credentials of " + principal));
    }

    private static KafkaProducer<byte[], byte[]> producer(String principal, Map<String, Object> extra) {
        Map<String, Object> config = settingsOf(principal).base();
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.putAll(extra);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<String> allTopics() {
        List<String> names = new ArrayList<>();
        for (Topic<?> topic : Topics.ALL) {
            names.add(topic.name());
            names.add(topic.dlq());
        }
        return names;
    }

    /** The topics {@code principal} could write, found by writing one record to each. */
    private static Set<String> writableBy(String principal) throws InterruptedException {
        Map<String, Future<RecordMetadata>> sends = new LinkedHashMap<>();
        Set<String> written = new TreeSet<>();
        try (KafkaProducer<byte[], byte[]> p = producer(principal, Map.of())) {
            for (String topic : allTopics()) {
                byte[] probe = ("probe from " + principal).getBytes(StandardCharsets.UTF_8);
                sends.put(topic, p.send(new ProducerRecord<>(topic, probe, probe)));
            }
            for (Map.Entry<String, Future<RecordMetadata>> send : sends.entrySet()) {
                try {
                    send.getValue().get(30, TimeUnit.SECONDS);
                    written.add(send.getKey());
                } catch (ExecutionException e) {
                    // a principal without any write grant is refused a producer id (idempotence) first
                    assertThat(e.getCause())
                            .as("%s writing %s", principal, send.getKey())
                            .isInstanceOfAny(TopicAuthorizationException.class, ClusterAuthorizationException.class);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError(principal + " writing " + send.getKey() + " timed out", e);
                }
            }
        }
        return written;
    }

    /**
     * The topics {@code principal} could read: it is assigned partition 0 of every topic and polls;
     * each refused topic throws, is noted and unassigned, until polls go through.
     */
    private static Set<String> readableBy(String principal) {
        Map<String, Object> config = settingsOf(principal).base();
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Set<String> assigned = new LinkedHashSet<>(allTopics());
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(assigned.stream().map(t -> new TopicPartition(t, 0)).toList());
            int quietPolls = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!assigned.isEmpty() && quietPolls < 3 && System.nanoTime() < deadline) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofMillis(500))) {
                        assertNoPassword(new String(record.value(), StandardCharsets.UTF_8));
                    }
                    quietPolls++;
                } catch (TopicAuthorizationException e) {
                    assigned.removeAll(e.unauthorizedTopics());
                    c.assign(
                            assigned.stream().map(t -> new TopicPartition(t, 0)).toList());
                    quietPolls = 0;
                }
            }
        }
        return new TreeSet<>(assigned);
    }

    private static Set<String> expected(String principal, boolean write) {
        Set<String> topics = new TreeSet<>();
        for (String topic : allTopics()) {
            if (write ? POLICY.mayWrite(principal, topic) : POLICY.mayRead(principal, topic)) {
                topics.add(topic);
            }
        }
        return topics;
    }

    @Test
    void everyPrincipalWritesExactlyTheTopicsThePolicyGrants() throws Exception {
        for (String principal : KafkaAccessPolicy.PRINCIPALS) {
            assertThat(writableBy(principal))
                    .as("topics %s can write", principal)
                    .isEqualTo(expected(principal, true));
        }
    }

    @Test
    void everyPrincipalReadsExactlyTheTopicsThePolicyGrants() {
        for (String principal : KafkaAccessPolicy.PRINCIPALS) {
            assertThat(readableBy(principal))
                    .as("topics %s can read", principal)
                    .isEqualTo(expected(principal, false));
        }
    }

    @Test
    void theRefusalsOfIssue15AreRefused() throws Exception {
        assertThat(writableBy(KafkaAccessPolicy.LOCAL_WORKER))
                .doesNotContain(Topics.BUDGET_CONFIG.name(), Topics.ROUTING_RULES.name(), Topics.BUDGET_STATUS.name())
                .contains(Topics.TIER_CLOUD.name());
        assertThat(writableBy(KafkaAccessPolicy.CLOUD_WORKER))
                .doesNotContain(Topics.BUDGET_CONFIG.name(), Topics.TIER_CLOUD.name());
        Set<String> upstreamWrites = writableBy(KafkaAccessPolicy.UPSTREAM);
        assertThat(upstreamWrites).containsExactly(Topics.INFERENCE_REQUESTS.name());
        Set<String> upstreamReads = readableBy(KafkaAccessPolicy.UPSTREAM);
        assertThat(upstreamReads).containsExactly(Topics.INFERENCE_RESULTS.name());
        assertThat(readableBy(KafkaAccessPolicy.OPS))
                .contains(Topics.INFERENCE_REQUESTS.dlq(), Topics.TIER_CLOUD.dlq());
        assertThat(writableBy(KafkaAccessPolicy.OPS))
                .containsExactlyInAnyOrder(
                        Topics.BUDGET_CONFIG.name(),
                        Topics.ROUTING_RULES.name(),
                        Topics.COST_CENTERS.name(),
                        Topics.OPS_AUDIT.name(),
                        Topics.GATEWAY_KEYS.name());
        // the gateway is an upstream with a key list: requests in, never a tier topic or a config topic
        assertThat(writableBy(KafkaAccessPolicy.GATEWAY)).containsExactly(Topics.INFERENCE_REQUESTS.name());
        assertThat(writableBy(KafkaAccessPolicy.LEDGER))
                .contains(Topics.BUDGET_STATUS.name(), Topics.COST_WINDOWS.name())
                .doesNotContain(Topics.INFERENCE_COSTS.name(), Topics.BUDGET_CONFIG.name());
    }

    @Test
    void onlyAWorkerHoldsAWorkersTransactionalId() {
        Map<String, Object> txn = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tiergate-local-worker-policy-it");
        try (KafkaProducer<byte[], byte[]> worker = producer(KafkaAccessPolicy.LOCAL_WORKER, txn)) {
            worker.initTransactions();
            worker.beginTransaction();
            worker.send(new ProducerRecord<>(Topics.INFERENCE_COSTS.name(), new byte[] {1}, new byte[] {1}));
            worker.commitTransaction();
        }
        try (KafkaProducer<byte[], byte[]> upstream = producer(KafkaAccessPolicy.UPSTREAM, txn)) {
            assertThatThrownBy(upstream::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void noPasswordAppearsInTheLogs() {
        assertThat(LOGS.list).as("captured Kafka client log lines").isNotEmpty();
        assertThat(LOGS.list.stream().anyMatch(e -> e.getFormattedMessage().contains("sasl.jaas.config = [hidden]")))
                .as("Kafka logged its client configuration with the JAAS config hidden")
                .isTrue();
        for (ILoggingEvent event : List.copyOf(LOGS.list)) {
            assertNoPassword(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                assertNoPassword(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
    }

    private static void assertNoPassword(String text) {
        for (String password : PASSWORDS.values()) {
            assertThat(text).doesNotContain(password);
        }
    }
}
