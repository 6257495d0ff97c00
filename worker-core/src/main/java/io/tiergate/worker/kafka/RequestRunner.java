package io.tiergate.worker.kafka;

import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.worker.runtime.OutcomeGuard;
import io.tiergate.worker.work.BudgetAdmission;
import io.tiergate.worker.work.Delivery;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.StreamRelay;
import io.tiergate.worker.work.Takeover;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import io.tiergate.worker.work.WorkOutcome;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs requests' handlers on a pool of {@code maxInFlight} daemon threads, so model calls run
 * concurrently and the poll thread never waits on one. Every way out of a handler becomes an
 * outcome ({@link OutcomeGuard}).
 */
final class RequestRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRunner.class);

    private final WorkEnvironment env;
    private final OutcomeGuard guard;
    private final DeadLetters deadLetters;
    private final AttemptJournal journal;
    private final BudgetAdmission budget;
    private final StreamRelay streams;
    private final ExecutorService pool;

    RequestRunner(
            TierWorkerConfig config,
            WorkEnvironment env,
            RequestHandler handler,
            DeadLetters deadLetters,
            AttemptJournal journal,
            BudgetAdmission budget,
            StreamRelay streams) {
        this.env = env;
        this.streams = streams;
        this.journal = journal;
        this.budget = budget;
        this.guard = new OutcomeGuard(handler, env);
        this.deadLetters = deadLetters;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.maxInFlight(), r -> {
            Thread t = new Thread(r, "tiergate-" + config.workerId() + "-call-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts {@code request}'s handler; when its outcome is set, {@code finished} runs on the pool
     * thread. First, on the pool thread, what earlier deliveries left ({@link AttemptJournal#takeover}):
     * a duplicate is not served (its outcome publishes nothing), open attempts are settled in doubt
     * by the outcome, and the first call is numbered after them.
     */
    void start(InFlightRequest request, Runnable finished) {
        request.future = pool.submit(() -> {
            Delivery delivery = request.delivery();
            Takeover takeover;
            try {
                takeover = journal.takeover(request.request, delivery, request::givenUp);
            } catch (CancellationException e) {
                // given up before it began: the runtime publishes nothing of it, the next owner starts over
                request.outcome = WorkOutcome.none();
                finished.run();
                return;
            }
            if (takeover.duplicate()) {
                LOG.info(
                        "Request {} at {}-{}@{} is a duplicate of the record at offset {}: not served again",
                        request.request.getClassified().getRequest().getRequestId(),
                        delivery.topic(),
                        delivery.partition(),
                        delivery.offset(),
                        takeover.duplicateOf().orElseThrow());
                request.duplicate = true;
                request.outcome = WorkOutcome.none();
            } else {
                request.work = new Work(request.request, env, delivery, journal, takeover, budget, streams);
                request.outcome = guard.run(request.work, cause -> deadLetters.send(request.record, cause));
            }
            finished.run();
        });
    }

    /** Interrupts the running handlers; starts nothing more. */
    void shutdownNow() {
        pool.shutdownNow();
    }
}
