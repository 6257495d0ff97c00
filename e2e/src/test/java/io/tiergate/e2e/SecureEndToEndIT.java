package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.cli.stack.StackCredentials;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.ledger.cli.BudgetAdmin;
import io.tiergate.ledger.cli.BudgetAdmin.BudgetRequest;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.security.KafkaAccessPolicy;
import io.tiergate.platform.kafka.security.KafkaClientSecurity;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./tiergate up --secure} with the five services, each as its own principal under the ACLs of
 * {@link KafkaAccessPolicy}: ops sets a budget, an upstream principal sends requests (one of them
 * sovereign) and reads every result; the refusals of issue 15 hold on the running system, and no
 * password is in any log, topic segment or registry file of the data dir.
 */
class SecureEndToEndIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DATA = ROOT.resolve("e2e/target/e2e-secure-data");
    /**
     * Services on 8291-8295, broker 27092, registry 27081: apart from EndToEndIT, any demo and the fault
     * suite (whose registry on 28081 the test JVM's registry clients would otherwise still know by URL).
     */
    private static final int PORT_OFFSET = 200;

    private static LocalStack stack;
    private static StackCredentials credentials;

    @BeforeAll
    static void startTheSecuredSystem() {
        StackOptions options = new StackOptions(
                ROOT,
                DATA,
                Optional.empty(),
                Optional.empty(),
                27092,
                27081,
                1,
                true,
                ServiceSpec.ALL,
                PORT_OFFSET,
                true);
        stack = LocalStack.start(options, System.out, SimulatedBackends.env());
        credentials = stack.credentials().orElseThrow();
    }

    @AfterAll
    static void stopTheSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    private static KafkaClientSettings as(String principal) {
        return new KafkaClientSettings(
                stack.bootstrapServers(),
                stack.registryUrl(),
                "secure-e2e-" + principal,
                KafkaClientSecurity.fromFile(credentials.clientConfig(principal)));
    }

    @Test
    void thePipelineCompletesRequestsAsTheRealPrincipalsAndTheRefusalsHold() throws Exception {
        try (BudgetAdmin budgets = new BudgetAdmin(as(KafkaAccessPolicy.OPS))) {
            budgets.set(
                    BudgetRequest.of("secure-e2e", new BigDecimal("50"), null),
                    "SecureEndToEndIT: a budget set as ops");
        }
        String run = "secure-e2e-" + System.currentTimeMillis() + "-";
        Map<String, Boolean> sovereignById = new HashMap<>();
        String[][] items = {
            {"Classify this support ticket: the printer is on fire", "false", "CLASSIFICATION"},
            {"Review this diff for correctness and regressions: - return a; + return a + b;", "false", "CODE_REVIEW"},
            {"Design the module structure of a billing system with invoices and refunds", "false", "ARCHITECTURE"},
            {"Summarize: the customer's IBAN is DE89370400440532013000 and they owe 20 EUR", "true", "SUMMARIZATION"},
            {"Extract the invoice number from: Invoice INV-2291 due 2026-12-01", "false", "EXTRACTION"},
        };
        KafkaClientSettings upstream = as(KafkaAccessPolicy.UPSTREAM);
        Map<String, Object> producerConfig = upstream.base();
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerializer<InferenceRequest> requests = new AvroSerializer<>();
        requests.configure(producerConfig, false);
        try (KafkaProducer<String, InferenceRequest> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), requests)) {
            for (int i = 0; i < items.length; i++) {
                String id = run + i;
                boolean sovereign = Boolean.parseBoolean(items[i][1]);
                sovereignById.put(id, sovereign);
                producer.send(new ProducerRecord<>(
                                Topics.INFERENCE_REQUESTS.name(),
                                id,
                                InferenceRequest.newBuilder()
                                        .setRequestId(id)
                                        .setPrompt(items[i][0])
                                        .setCostCenter("secure-e2e")
                                        .setRequiresDataSovereignty(sovereign)
                                        .setTaskTypeHint(items[i][2])
                                        .setCreatedAt(Instant.now())
                                        .build()))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        Map<String, InferenceResult> results = new HashMap<>();
        Map<String, Object> consumerConfig = upstream.base();
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "upstream-" + run);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(SerdeConfig.VALUE_TYPE, InferenceResult.class);
        AvroDeserializer<InferenceResult> decoder = new AvroDeserializer<>();
        decoder.configure(consumerConfig, false);
        try (KafkaConsumer<String, InferenceResult> consumer =
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), decoder)) {
            consumer.subscribe(List.of(Topics.INFERENCE_RESULTS.name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (results.size() < items.length && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, InferenceResult> r : consumer.poll(Duration.ofMillis(500))) {
                    if (sovereignById.containsKey(r.key())) {
                        results.put(r.key(), r.value());
                    }
                }
            }
        }
        assertThat(results).as("a result for every request").hasSize(items.length);
        results.forEach((id, result) -> {
            assertThat(result.getStatus()).as(id).isEqualTo(ResultStatus.COMPLETED);
            if (sovereignById.get(id)) {
                assertThat(result.getTier()).as("sovereign %s", id).isEqualTo(Tier.LOCAL);
            }
        });
        assertThat(results.values())
                .as("both tiers served")
                .extracting(InferenceResult::getTier)
                .contains(Tier.CLOUD);

        assertThat(writeRefused(KafkaAccessPolicy.LOCAL_WORKER, Topics.BUDGET_CONFIG.name()))
                .isTrue();
        assertThat(writeRefused(KafkaAccessPolicy.UPSTREAM, Topics.TIER_CLOUD.name()))
                .isTrue();
        assertThat(readRefused(KafkaAccessPolicy.UPSTREAM, Topics.INFERENCE_REQUESTS.dlq()))
                .isTrue();
        assertThat(readRefused(KafkaAccessPolicy.OPS, Topics.INFERENCE_REQUESTS.dlq()))
                .isFalse();

        assertNoPasswordOutsideTheCredentialFiles();
    }

    private static boolean writeRefused(String principal, String topic) throws Exception {
        Map<String, Object> config = as(principal).base();
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, new byte[] {1}, new byte[] {1}))
                    .get(30, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof TopicAuthorizationException;
        }
    }

    private static boolean readRefused(String principal, String topic) {
        Map<String, Object> config = as(principal).base();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            for (int i = 0; i < 6; i++) {
                consumer.poll(Duration.ofMillis(500));
            }
            return false;
        } catch (TopicAuthorizationException e) {
            return true;
        }
    }

    private static void assertNoPasswordOutsideTheCredentialFiles() throws Exception {
        Properties passwords = new Properties();
        try (var in = Files.newBufferedReader(DATA.resolve("secure/credentials.properties"))) {
            passwords.load(in);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DATA)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(DATA.resolve("secure")))
                    .filter(p -> !p.endsWith("server.properties")) // the broker's own, mode 0600
                    .toList();
        }
        assertThat(files).anyMatch(p -> p.toString().endsWith("router-service.log"));
        for (Path file : files) {
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String name : passwords.stringPropertyNames()) {
                assertThat(bytes)
                        .as("%s holds the password of %s", file, name)
                        .doesNotContain(passwords.getProperty(name));
            }
        }
    }
}
