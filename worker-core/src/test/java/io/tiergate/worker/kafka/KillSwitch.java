package io.tiergate.worker.kafka;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tests' {@link FaultInjection}: pass it to a {@link TierWorker}'s constructor, then kill the
 * worker the way {@code kill -9} would, now or right before its next commit. In worker-core's
 * test-jar, for other modules' tests too.
 */
public final class KillSwitch implements FaultInjection {

    private final AtomicBoolean killed = new AtomicBoolean();
    private final AtomicBoolean beforeNextCommit = new AtomicBoolean();

    /**
     * Kills {@code worker} now and waits until it is gone: nothing more is committed, its in-flight
     * calls are abandoned, its consumer has closed without a final commit.
     */
    public void kill(TierWorker worker) {
        killed.set(true);
        await().atMost(Duration.ofSeconds(30)).until(() -> !worker.running());
    }

    /** The next transaction sends its outputs, then the worker dies before committing it. */
    public void killBeforeNextCommit() {
        beforeNextCommit.set(true);
    }

    @Override
    public boolean killed() {
        return killed.get();
    }

    @Override
    public boolean killBeforeCommit() {
        return beforeNextCommit.getAndSet(false);
    }
}
