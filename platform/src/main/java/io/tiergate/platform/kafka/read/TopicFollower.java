package io.tiergate.platform.kafka.read;

import io.tiergate.platform.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows topics on a daemon thread of its own (named after the client id): reads each from its
 * start position, marks the moment it has read everything that was there when it started ({@link
 * #awaitCaughtUp}), and goes on with what is appended. No consumer group, nothing committed: every
 * follower reads all partitions. The start positions and targets are fixed in {@link #start}, on the
 * caller's thread, before it returns.
 *
 * <p>A registry outage reported by the handler pauses that partition and reads the record again
 * later. Any other failure stops the follower; {@link #check()} and {@link #awaitCaughtUp} report it.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final ReadSpec spec;
    private final AssignedReader reader;
    private final RecordHandler handler;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread thread;
    private volatile RuntimeException failure;

    private TopicFollower(KafkaClientSettings settings, ReadSpec spec, RecordHandler handler) {
        this.spec = spec;
        this.reader = new AssignedReader(settings, spec, false);
        Object lock = spec.lock();
        this.handler = lock == null
                ? handler
                : record -> {
                    synchronized (lock) {
                        handler.accept(record);
                    }
                };
        this.thread = new Thread(this::loop, spec.clientId());
        thread.setDaemon(true);
    }

    /** Positions the reader now, then follows on its own thread. */
    public static TopicFollower start(KafkaClientSettings settings, ReadSpec spec, RecordHandler handler) {
        TopicFollower follower = new TopicFollower(settings, spec, handler);
        follower.thread.start();
        return follower;
    }

    private void loop() {
        try {
            while (running.get()) {
                if (!caughtUp.isDone() && reader.reachedTargets()) {
                    caughtUp.complete(null);
                }
                reader.pollOnce(handler);
            }
        } catch (WakeupException e) {
            if (running.get()) {
                fail(e);
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                fail(e);
            }
        } finally {
            reader.close();
        }
    }

    private void fail(RuntimeException e) {
        failure = e;
        LOG.error("{} stopped: {}", spec, e.toString(), e);
        caughtUp.completeExceptionally(e);
    }

    /**
     * Waits until everything that was on the topics at the start has been handed over.
     *
     * @return false when {@code timeout} passed first
     * @throws IllegalStateException when the follower stopped on a failure
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        try {
            caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw stopped(e.getCause());
        }
    }

    /** Throws if the follower stopped on a failure. */
    public void check() {
        RuntimeException f = failure;
        if (f != null) {
            throw stopped(f);
        }
    }

    private IllegalStateException stopped(Throwable cause) {
        return new IllegalStateException(thread.getName() + " stopped: " + cause.getMessage(), cause);
    }

    /** Stops following; a blocked poll returns at once. */
    @Override
    public void close() {
        if (!running.getAndSet(false)) {
            return;
        }
        reader.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
