package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;

/**
 * The life of a router's own consumer loop (decider, deferred releaser): one session at a time on a
 * fresh consumer, until {@link #close()}. An unexpected failure of a session must not stop the loop
 * for good: the owner's in-memory state is reset and, after a pause, a new session starts with a
 * new consumer (which rejoins the group and starts from the committed offsets).
 */
final class RestartingConsumer implements AutoCloseable {

    static final Duration RESTART_DELAY = Duration.ofSeconds(1);

    /** One session: consumes until {@link #running()} turns false or something fails. */
    @FunctionalInterface
    interface Session {
        void consume(Consumer<String, byte[]> consumer);
    }

    private final String name;
    private final Logger log;
    private final Supplier<? extends Consumer<String, byte[]>> consumers;
    private final Runnable reset;
    private final Duration restartDelay;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile Consumer<String, byte[]> consumer;

    /**
     * @param name what fails, for the log ("Router decider")
     * @param log the owner's logger
     * @param consumers a new consumer per session
     * @param reset forgets the owner's state of a failed session before the next one starts
     */
    RestartingConsumer(
            String name, Logger log, Supplier<? extends Consumer<String, byte[]>> consumers, Runnable reset) {
        this(name, log, consumers, reset, RESTART_DELAY);
    }

    RestartingConsumer(
            String name,
            Logger log,
            Supplier<? extends Consumer<String, byte[]>> consumers,
            Runnable reset,
            Duration restartDelay) {
        this.name = name;
        this.log = log;
        this.consumers = consumers;
        this.reset = reset;
        this.restartDelay = restartDelay;
    }

    /**
     * The config shared by the router's own consumers: its group, its client id, manual commits,
     * and a new group starting from the earliest record.
     */
    static Map<String, Object> consumerConfig(KafkaClientSettings client, String groupId, String clientId) {
        return client.groupConsumerConfig(groupId, clientId);
    }

    /** A consumer of String keys and raw values (decoded by the owner, undecodable ones to the .dlq). */
    static KafkaConsumer<String, byte[]> newConsumer(Map<String, Object> props) {
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Runs sessions until closed (or interrupted while waiting to restart). A session ends normally
     * when closed; any other end is a failure, and the next session starts after the restart delay.
     */
    void run(Session session) {
        while (running.get()) {
            try {
                runSession(session);
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                log.error("{} failed, restarting in {}: {}", name, describe(restartDelay), e.toString(), e);
                reset.run();
                try {
                    Thread.sleep(restartDelay.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void runSession(Session session) {
        Consumer<String, byte[]> c = consumers.get();
        consumer = c;
        try {
            session.consume(c);
        } catch (WakeupException e) {
            // close() wakes a blocked poll: the expected end. Any other wakeup is a failure.
            if (running.get()) {
                throw e;
            }
        } finally {
            c.close();
        }
    }

    /** Whether sessions should go on consuming. */
    boolean running() {
        return running.get();
    }

    /**
     * Ends the loop after the current pass without waking the consumer (from the loop's own thread,
     * e.g. when interrupted): the session still commits and closes normally.
     */
    void stop() {
        running.set(false);
    }

    /** Ends the loop from any thread: a blocked poll returns at once. */
    @Override
    public void close() {
        running.set(false);
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private static String describe(Duration delay) {
        long ms = delay.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
