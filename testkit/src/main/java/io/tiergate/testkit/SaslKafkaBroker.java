package io.tiergate.testkit;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * A real single-node KRaft broker in this JVM with Kafka security on, as {@code ./tiergate up
 * --secure} runs it: clients authenticate with SASL/SCRAM-SHA-512 on the client listener, the
 * KRaft {@code StandardAuthorizer} allows only what an ACL grants ({@code
 * allow.everyone.if.no.acl.found=false}), and the broker itself (controller and inter-broker
 * traffic) authenticates with SASL/PLAIN as the only super user. SCRAM users are created at run time
 * through the Admin API ({@link #createScramUser}), so nothing here needs a JAAS file or a system
 * property: every JAAS setting is per listener, and other brokers in the same JVM are unaffected.
 */
public final class SaslKafkaBroker implements KafkaBroker {

    /** The broker's own principal: the only super user. */
    public static final String BROKER_USER = "broker";

    private final KafkaClusterTestKit cluster;
    private final String brokerPassword;

    private SaslKafkaBroker(KafkaClusterTestKit cluster, String brokerPassword) {
        this.cluster = cluster;
        this.brokerPassword = brokerPassword;
    }

    public static SaslKafkaBroker start() {
        Exit.setExitProcedure((status, message) ->
                System.err.println("in-JVM Kafka broker asked to exit(" + status + "): " + message));
        Exit.setHaltProcedure((status, message) ->
                System.err.println("in-JVM Kafka broker asked to halt(" + status + "): " + message));
        String password = randomPassword();
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build());
            brokerSecurityProperties(password).forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("num.partitions", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new SaslKafkaBroker(cluster, password);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the in-JVM SASL Kafka broker: " + e.getMessage(), e);
        }
    }

    /**
     * The broker properties that turn security on for the test kit's listeners ({@code EXTERNAL}
     * for clients, {@code CONTROLLER}): SCRAM-SHA-512 for clients, PLAIN for the broker's own
     * connections (KRaft cannot use SCRAM on the controller listener: the controller needs the
     * credential before it has read the metadata log that stores SCRAM credentials).
     */
    static Map<String, Object> brokerSecurityProperties(String brokerPassword) {
        String brokerPlain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + BROKER_USER + "\" password=\"" + brokerPassword + "\" user_" + BROKER_USER + "=\""
                + brokerPassword + "\";";
        Map<String, Object> p = new HashMap<>();
        p.put("listener.security.protocol.map", "EXTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config", brokerPlain);
        p.put("listener.name.external.plain.sasl.jaas.config", brokerPlain);
        p.put(
                "listener.name.external.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + BROKER_USER);
        return p;
    }

    /** Client properties of a SCRAM-SHA-512 user on this broker (what a --command-config file holds). */
    public static Map<String, Object> scramClientProperties(String user, String password) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        p.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
        return p;
    }

    /** Client properties of the super user: for provisioning topics, users and ACLs in tests only. */
    public Map<String, Object> superUserProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
                        + "\" password=\"" + brokerPassword + "\";");
        return p;
    }

    /** Creates (or replaces) SCRAM-SHA-512 credentials for each user; waits until the broker has them. */
    public void createScramUsers(Map<String, String> passwordsByUser) {
        try (Admin admin = Admin.create(superUserProperties())) {
            List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> alterations =
                    passwordsByUser.entrySet().stream()
                            .map(e -> (org.apache.kafka.clients.admin.UserScramCredentialAlteration)
                                    new UserScramCredentialUpsertion(
                                            e.getKey(),
                                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                                            e.getValue()))
                            .toList();
            admin.alterUserScramCredentials(alterations).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create SCRAM users: " + e.getMessage(), e);
        }
    }

    /** A random password (24 bytes, URL-safe Base64). */
    public static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String description() {
        return "in-JVM KRaft broker with SASL/SCRAM-SHA-512 and the StandardAuthorizer (Kafka test kit)";
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the in-JVM SASL Kafka broker", e);
        }
    }
}
