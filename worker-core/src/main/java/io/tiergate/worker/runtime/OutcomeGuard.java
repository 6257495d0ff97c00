package io.tiergate.worker.runtime;

import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.policy.SovereigntyRule;
import io.tiergate.worker.work.Output;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.SovereigntyViolationException;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import io.tiergate.worker.work.WorkOutcome;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link RequestHandler} so that every way out of it becomes an outcome to publish
 * (README, "What you write"): spend is never dropped, and a sovereign request never leaves for the
 * cloud tier whatever the handler returned.
 *
 * <ul>
 *   <li>an outcome: published as it is, unless it hands a sovereign request to a cloud topic —
 *       then REJECTED ({@code sovereignty_violation}) with the attempts' cost events;
 *   <li>{@link InvalidInputException}: REJECTED ({@code invalid_input}) and the record dead-lettered;
 *   <li>{@link SovereigntyViolationException}: REJECTED ({@code sovereignty_violation});
 *   <li>interrupted or cancelled (the runtime gave the request up): FAILED ({@code
 *       worker_interrupted}) — not published, the runtime dropped the record;
 *   <li>anything else, {@code null} included: FAILED ({@code worker_error});
 *   <li>and when even that outcome cannot be built: the record is dead-lettered, nothing published.
 * </ul>
 */
public final class OutcomeGuard {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeGuard.class);

    /** Sends the record being handled to its topic's dead letters, naming {@code cause}. */
    @FunctionalInterface
    public interface DeadLetter {
        void send(Throwable cause);
    }

    private final RequestHandler handler;
    private final WorkEnvironment env;

    public OutcomeGuard(RequestHandler handler, WorkEnvironment env) {
        this.handler = handler;
        this.env = env;
    }

    /**
     * Runs the handler on this thread. Never throws.
     *
     * @return what to publish for the request; {@link WorkOutcome#none()} when the record went to the
     *     dead letters instead
     */
    public WorkOutcome run(Work work, DeadLetter deadLetter) {
        WorkOutcome outcome;
        Throwable error = null;
        try {
            outcome = handler.handle(work);
            if (outcome == null) {
                throw new IllegalStateException("handler returned no outcome");
            }
            requireNoSovereignRequestToTheCloud(work, outcome);
        } catch (InvalidInputException e) {
            error = e;
            outcome = safely(work, () -> work.reject("invalid_input", e.getMessage()), e, deadLetter);
            if (outcome != null) {
                try {
                    deadLetter.send(e);
                } catch (RuntimeException dlqFailure) {
                    LOG.warn("Could not dead-letter invalid request {}: {}", work.requestId(), dlqFailure.toString());
                }
            }
        } catch (SovereigntyViolationException e) {
            error = e;
            LOG.error("Sovereignty guard refused an output for request {}: {}", work.requestId(), e.getMessage());
            outcome = safely(work, () -> work.reject("sovereignty_violation", e.getMessage()), e, deadLetter);
        } catch (InterruptedException | CancellationException e) {
            // the runtime gave the request up (revoked partition, shutdown): the outcome is not published
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            error = e;
            LOG.debug("Request {} given up: {}", work.requestId(), e.toString());
            outcome = safely(
                    work, () -> work.fail("worker_interrupted", "the worker gave the request up"), e, deadLetter);
        } catch (Exception | Error e) {
            error = e;
            LOG.error("Handler failed for request {}: {}", work.requestId(), e.toString(), e);
            outcome = safely(
                    work,
                    () -> work.fail("worker_error", e.getClass().getSimpleName() + ": " + e.getMessage()),
                    e,
                    deadLetter);
        }
        if (error != null && LOG.isDebugEnabled()) {
            LOG.debug("Request {} finished with {}", work.requestId(), error.toString());
        }
        return outcome == null ? WorkOutcome.none() : outcome;
    }

    /** The runtime's own check of every hand-off, whatever the handler did (docs/architecture.md, policy 1). */
    private void requireNoSovereignRequestToTheCloud(Work work, WorkOutcome outcome) {
        // a shadow (inference.shadow is a cloud topic) or any other extra record carrying a request
        for (Output<?> extra : outcome.extras()) {
            if (extra.value() instanceof RoutedRequest carried
                    && (SovereigntyRule.isSovereign(work.request()) || SovereigntyRule.isSovereign(carried))
                    && env.isCloudTopic(extra.topic().name())) {
                throw new SovereigntyViolationException("sovereign request " + work.requestId() + " sent to "
                        + extra.topic().name());
            }
        }
        if (outcome.handOff().isPresent()
                && SovereigntyRule.isSovereign(work.request())
                && env.isCloudTopic(outcome.handOff().get().topic().name())) {
            throw new SovereigntyViolationException("sovereign request " + work.requestId() + " handed to "
                    + outcome.handOff().get().topic().name());
        }
    }

    private static WorkOutcome safely(Work work, Supplier<WorkOutcome> build, Throwable cause, DeadLetter deadLetter) {
        try {
            return build.get();
        } catch (RuntimeException e) {
            // cannot even describe the failure: dead-letter the record so nothing is dropped silently
            e.addSuppressed(cause);
            try {
                deadLetter.send(e);
            } catch (RuntimeException dlqFailure) {
                LOG.error("Could not dead-letter request {}: {}", idOf(work), dlqFailure.toString());
            }
            return null;
        }
    }

    /** The request id for a log line, even from a request too broken to build an outcome for. */
    private static String idOf(Work work) {
        try {
            return work.requestId();
        } catch (RuntimeException e) {
            return "(unreadable)";
        }
    }
}
