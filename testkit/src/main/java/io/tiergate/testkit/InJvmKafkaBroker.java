package io.tiergate.testkit;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * A real single-node KRaft broker (combined broker + controller) inside this JVM, from Kafka's own
 * test kit. Internal topics are set to replication 1, or consumer groups and transactions never
 * form on one node.
 */
public final class InJvmKafkaBroker implements KafkaBroker {

    private final KafkaClusterTestKit cluster;

    private InJvmKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static InJvmKafkaBroker start() {
        // A broker inside a test JVM must never end that JVM: Kafka calls Exit.halt/exit on fatal errors
        // (e.g. a log directory vanishing while the JVM shuts down), which the test runner reports as a
        // crashed fork after every test passed. Kafka's own tests replace these procedures the same way.
        Exit.setExitProcedure((status, message) ->
                System.err.println("in-JVM Kafka broker asked to exit(" + status + "): " + message));
        Exit.setHaltProcedure((status, message) ->
                System.err.println("in-JVM Kafka broker asked to halt(" + status + "): " + message));
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
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
            return new InJvmKafkaBroker(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the in-JVM Kafka broker: " + e.getMessage(), e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String description() {
        return "in-JVM KRaft broker (Kafka test kit)";
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the in-JVM Kafka broker", e);
        }
    }
}
