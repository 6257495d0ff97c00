package io.tiergate.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker a test JVM shares: started on first use, stopped when the JVM exits. Testcontainers
 * when {@code tiergate.testkit.broker=container} (or {@code auto} and Docker answers); otherwise
 * the in-JVM KRaft broker, which always works here. Tests isolate themselves by topic or group
 * names, not by brokers: one broker per JVM keeps the suite fast on two cores.
 */
public final class TestBrokers {

    private static final Logger LOG = LoggerFactory.getLogger(TestBrokers.class);
    private static KafkaBroker shared;

    private TestBrokers() {}

    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = startNew();
            KafkaBroker broker = shared;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> closeWithin(broker, 15), "tiergate-test-broker-stop"));
        }
        return shared;
    }

    /**
     * Closes the broker, but waits at most {@code seconds}: a controlled shutdown on a loaded machine
     * can take longer than the test runner waits for the JVM to exit, and the broker's data is
     * temporary anyway.
     */
    static void closeWithin(KafkaBroker broker, int seconds) {
        Thread closer = new Thread(broker::close, "tiergate-test-broker-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A broker of its own, for tests that stop or restart it. The caller closes it. */
    public static KafkaBroker startNew() {
        String choice = System.getProperty("tiergate.testkit.broker", "auto");
        long start = System.nanoTime();
        KafkaBroker broker = switch (choice) {
            case "container" -> ContainerKafkaBroker.start();
            case "in-jvm" -> InJvmKafkaBroker.start();
            default ->
                java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                                && ContainerKafkaBroker.dockerAvailable()
                        ? ContainerKafkaBroker.start()
                        : InJvmKafkaBroker.start();
        };
        LOG.info(
                "Test broker up in {} ms: {} at {}",
                (System.nanoTime() - start) / 1_000_000,
                broker.description(),
                broker.bootstrapServers());
        return broker;
    }
}
