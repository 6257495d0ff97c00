package io.tiergate.testkit;

/** A running Kafka cluster that clients can reach. Closing it stops it. */
public interface KafkaBroker extends AutoCloseable {

    /** {@code host:port[,host:port]} for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** What kind of broker this is, for logs and reports ("in-JVM KRaft 4.1.1", "Testcontainers", …). */
    String description();

    @Override
    void close();
}
