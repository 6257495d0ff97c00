package io.tiergate.localworker.escalation;

import io.tiergate.schemas.events.CapabilityClass;

/** What to do with a request the local machine cannot serve (well) right now. */
public sealed interface Verdict {

    /** Why; goes into the request's reasons and the log. */
    String reason();

    /** Hand the request on to the cloud tier, to {@code model}. */
    record Escalate(String model, CapabilityClass capabilityClass, String reason) implements Verdict {}

    /**
     * Keep it on this machine: wait for capacity, or deliver what the local model produced, or fail
     * with {@link #reason()} when neither is possible.
     */
    record StayLocal(String reason) implements Verdict {}
}
