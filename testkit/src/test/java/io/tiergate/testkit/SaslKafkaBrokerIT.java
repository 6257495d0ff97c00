package io.tiergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SASL broker authenticates SCRAM users and authorizes by ACL (the KRaft StandardAuthorizer). */
class SaslKafkaBrokerIT {

    private static SaslKafkaBroker broker;
    private static final String PASSWORD = SaslKafkaBroker.randomPassword();

    @BeforeAll
    static void start() throws Exception {
        broker = SaslKafkaBroker.start();
        broker.createScramUsers(Map.of("alice", PASSWORD));
        try (Admin admin = Admin.create(broker.superUserProperties())) {
            admin.createTopics(List.of(new NewTopic("open", 1, (short) 1), new NewTopic("closed", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(new AclBinding(
                            new ResourcePattern(ResourceType.TOPIC, "open", PatternType.LITERAL),
                            new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @Test
    void aScramUserWritesWhereAnAclAllowsAndIsRefusedElsewhere() throws Exception {
        try (KafkaProducer<String, String> p = producer(SaslKafkaBroker.scramClientProperties("alice", PASSWORD))) {
            assertThat(p.send(new ProducerRecord<>("open", "k", "v"))
                            .get(30, TimeUnit.SECONDS)
                            .offset())
                    .isZero();
            assertThatThrownBy(() ->
                            p.send(new ProducerRecord<>("closed", "k", "v")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtAuthentication() {
        try (KafkaProducer<String, String> p = producer(SaslKafkaBroker.scramClientProperties("alice", "wrong"))) {
            assertThatThrownBy(
                            () -> p.send(new ProducerRecord<>("open", "k", "v")).get(30, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        } catch (SaslAuthenticationException e) {
            // the constructor may already fail while fetching metadata: also a refusal at authentication
            assertThat(e).isNotNull();
        }
    }
}
