package io.tiergate.gateway.chat;

import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutingDecision;
import java.util.Optional;

/**
 * What a waiting call is answered with: its request's final result, or, before any result, a
 * routing decision that ends the wait (a deferral).
 *
 * @param decision the request's routing decision when the gateway saw it (the rule that fired)
 */
public record Outcome(Optional<InferenceResult> result, Optional<RoutingDecision> decision) {

    public static Outcome of(InferenceResult result, RoutingDecision decision) {
        return new Outcome(Optional.of(result), Optional.ofNullable(decision));
    }

    public static Outcome deferred(RoutingDecision decision) {
        return new Outcome(Optional.empty(), Optional.of(decision));
    }
}
