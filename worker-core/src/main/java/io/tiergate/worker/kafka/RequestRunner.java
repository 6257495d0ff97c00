package io.tiergate.worker.kafka;

import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.worker.runtime.OutcomeGuard;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs requests' handlers on a pool of {@code maxInFlight} daemon threads, so model calls run
 * concurrently and the poll thread never waits on one. Every way out of a handler becomes an
 * outcome ({@link OutcomeGuard}).
 */
final class RequestRunner {

    private final WorkEnvironment env;
    private final OutcomeGuard guard;
    private final DeadLetters deadLetters;
    private final ExecutorService pool;

    RequestRunner(TierWorkerConfig config, WorkEnvironment env, RequestHandler handler, DeadLetters deadLetters) {
        this.env = env;
        this.guard = new OutcomeGuard(handler, env);
        this.deadLetters = deadLetters;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.maxInFlight(), r -> {
            Thread t = new Thread(r, "tiergate-" + config.workerId() + "-call-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts {@code request}'s handler; when its outcome is set, {@code finished} runs on the pool thread. */
    void start(InFlightRequest request, Runnable finished) {
        request.work = new Work(request.request, env);
        request.future = pool.submit(() -> {
            request.outcome = guard.run(request.work, cause -> deadLetters.send(request.record, cause));
            finished.run();
        });
    }

    /** Interrupts the running handlers; starts nothing more. */
    void shutdownNow() {
        pool.shutdownNow();
    }
}
