package io.tiergate.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * A real single-node KRaft broker in this JVM with Kafka security on, as {@code ./tiergate up
 * --secure} runs it ({@link BrokerSecurity}: SASL/SCRAM-SHA-512 for clients, the KRaft {@code
 * StandardAuthorizer}, the broker as the only super user). SCRAM users are created at run time
 * through the Admin API ({@link #createScramUsers}); every JAAS setting is per listener, so other
 * brokers in the same JVM are unaffected.
 */
public final class SaslKafkaBroker implements KafkaBroker {

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
        String password = BrokerSecurity.randomPassword();
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build());
            // the test kit's listeners: EXTERNAL for clients, CONTROLLER
            BrokerSecurity.brokerProperties("EXTERNAL", "CONTROLLER", password).forEach(builder::setConfigProp);
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

    /** Client properties of a SCRAM-SHA-512 user on this broker (what a --command-config file holds). */
    public static Map<String, Object> scramClientProperties(String user, String password) {
        return new HashMap<>(BrokerSecurity.scramClientProperties(user, password));
    }

    /** Client properties of the super user: for provisioning topics, users and ACLs in tests only. */
    public Map<String, Object> superUserProperties() {
        Map<String, Object> p = new HashMap<>(BrokerSecurity.superUserProperties(brokerPassword));
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
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

    /** A random password (see {@link BrokerSecurity#randomPassword()}). */
    public static String randomPassword() {
        return BrokerSecurity.randomPassword();
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
