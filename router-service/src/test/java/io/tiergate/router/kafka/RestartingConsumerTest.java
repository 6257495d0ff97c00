package io.tiergate.router.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.tiergate.platform.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RestartingConsumerTest {

    private static final Duration POLL = Duration.ofMillis(5);

    private final List<MockConsumer<String, byte[]>> consumers = new CopyOnWriteArrayList<>();
    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    /** Restarts at once: most tests need no delay. */
    private final RestartingConsumer loop = loop(Duration.ofMillis(1));

    private RestartingConsumer loop(Duration restartDelay) {
        return loop(restartDelay, this::newConsumer);
    }

    private MockConsumer<String, byte[]> newConsumer() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumers.add(consumer);
        return consumer;
    }

    private RestartingConsumer loop(Duration restartDelay, Supplier<MockConsumer<String, byte[]>> factory) {
        return new RestartingConsumer(
                "Test loop",
                LoggerFactory.getLogger(RestartingConsumerTest.class),
                factory,
                resets::incrementAndGet,
                restartDelay);
    }

    /** Runs {@code body} on its own thread; returns the thread. */
    private static Thread start(Runnable body) {
        Thread thread = new Thread(body, "restarting-consumer-test");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void awaitEnd(Thread thread) throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(thread.isAlive()).as("loop thread ended").isFalse();
    }

    /** Runs the test's loop on this thread, counting sessions. */
    private void run(RestartingConsumer.Session session) {
        run(loop, session);
    }

    private void run(RestartingConsumer loop, RestartingConsumer.Session session) {
        loop.run(consumer -> {
            sessions.incrementAndGet();
            session.consume(consumer);
        });
    }

    /** So many sessions and resets, each session on its own consumer, closed at the end. */
    private void assertRan(int sessionCount, int resetCount) {
        assertThat(sessions).as("sessions").hasValue(sessionCount);
        assertThat(resets).as("resets").hasValue(resetCount);
        assertThat(consumers).hasSize(sessionCount).doesNotHaveDuplicates().allMatch(MockConsumer::closed);
    }

    @Test
    void aFailedSessionIsResetAndRestartedOnAFreshConsumer() {
        List<Integer> resetsSeenBySession = new CopyOnWriteArrayList<>();

        run(consumer -> {
            resetsSeenBySession.add(resets.get());
            if (sessions.get() < 3) {
                throw new IllegalStateException("session " + sessions.get() + " fails");
            }
            loop.stop();
        });

        assertThat(resetsSeenBySession).containsExactly(0, 1, 2);
        assertRan(3, 2);
    }

    @Test
    void closeWakesABlockedPollAndEndsTheLoopWithoutRestart() throws InterruptedException {
        CountDownLatch polling = new CountDownLatch(1);
        AtomicBoolean wokenUp = new AtomicBoolean();

        Thread thread = start(() -> run(consumer -> {
            try {
                while (true) { // only the wakeup ends this session, as a poll blocked on a quiet topic
                    consumer.poll(POLL);
                    polling.countDown();
                }
            } catch (WakeupException e) {
                wokenUp.set(true);
                throw e;
            }
        }));
        assertThat(polling.await(10, TimeUnit.SECONDS)).isTrue();
        loop.close();
        awaitEnd(thread);

        assertThat(wokenUp).isTrue();
        assertThat(loop.running()).isFalse();
        assertRan(1, 0);
    }

    @Test
    void aWakeupWhileStillRunningIsAFailure() {
        run(consumer -> {
            if (sessions.get() == 1) {
                consumer.wakeup();
                consumer.poll(POLL); // throws WakeupException, but nobody closed the loop
            }
            loop.stop();
        });

        assertRan(2, 1);
    }

    @Test
    void aFailureAfterCloseEndsTheLoopWithoutResetOrRestart() {
        run(consumer -> {
            loop.close();
            throw new IllegalStateException("failing while shutting down");
        });

        assertRan(1, 0);
    }

    @Test
    void stopEndsTheLoopAfterThePassWithoutWakingTheConsumer() {
        run(consumer -> {
            loop.stop();
            consumer.poll(POLL); // the session may still use its consumer (final commit): no wakeup pending
        });

        assertThat(loop.running()).isFalse();
        assertRan(1, 0);
    }

    @Test
    void anInterruptWhileWaitingToRestartEndsTheLoopAndKeepsTheInterruptFlag() throws InterruptedException {
        RestartingConsumer slow = loop(Duration.ofMinutes(5));
        AtomicBoolean interruptedAfterRun = new AtomicBoolean();
        Thread thread = start(() -> {
            run(slow, consumer -> {
                throw new IllegalStateException("fails, then waits five minutes to restart");
            });
            interruptedAfterRun.set(Thread.currentThread().isInterrupted());
        });

        // the reset runs just before the wait: from then on the thread is (about to be) sleeping
        await().atMost(Duration.ofSeconds(10)).until(() -> resets.get() == 1);
        thread.interrupt();
        awaitEnd(thread);

        assertThat(interruptedAfterRun).isTrue();
        assertRan(1, 1);
    }

    @Test
    void aConsumerThatCannotBeCreatedIsAFailureToo() {
        AtomicInteger attempts = new AtomicInteger();
        RestartingConsumer failingFirst = loop(Duration.ofMillis(1), () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalArgumentException("bad config");
            }
            return newConsumer();
        });

        run(failingFirst, consumer -> failingFirst.stop());

        assertThat(attempts).hasValue(2);
        assertRan(1, 1);
    }

    @Test
    void theSharedConsumerConfigCommitsManuallyAndStartsAtTheEarliestRecord() {
        KafkaClientSettings client = new KafkaClientSettings("broker:9092", "mock://restarting", "test");

        Map<String, Object> props = RestartingConsumer.consumerConfig(client, "tiergate-router-x", "router-1-x");

        assertThat(props)
                .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "tiergate-router-x")
                .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "router-1-x")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // owners add their own settings (the decider its max.poll.records)
        assertThatCode(() -> props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10))
                .doesNotThrowAnyException();
    }
}
