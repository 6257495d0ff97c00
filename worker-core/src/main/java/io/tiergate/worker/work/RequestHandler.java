package io.tiergate.worker.work;

/**
 * A worker's logic for one request: call models through {@link Work#call}, decide on retries,
 * fallbacks or a hand-off, and finish with one of {@link Work#complete()}, {@link Work#fail},
 * {@link Work#reject} or {@link Work#handOff}. Runs on a runtime worker thread and may block
 * (HTTP calls, backoff); many run concurrently, so implementations are thread-safe.
 *
 * <p>An exception escaping the handler does not lose the request or the attempts already made:
 * the runtime publishes a FAILED result ({@code worker_error}) with a cost event per recorded attempt.
 * An {@link io.tiergate.platform.kafka.InvalidInputException} additionally dead-letters the record.
 */
@FunctionalInterface
public interface RequestHandler {

    WorkOutcome handle(Work work) throws Exception;
}
