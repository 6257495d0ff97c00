package io.tiergate.router.route;

import io.tiergate.router.policy.Decision;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a decision out, keyed by request id: ROUTE → the tier topic (a {@code RoutedRequest});
 * DEFER → {@code inference.deferred} (the classified request, with its deferral count); REJECT →
 * {@code inference.results} (a REJECTED result); and always the decision to {@code routing.decisions}.
 * The tier record is written first, so a refused (sovereign) cloud write sends nothing at all.
 */
public final class TierPublisher {

    /** Header on inference.deferred / routing.by-cost-center records: how often the request was deferred. */
    public static final String DEFER_COUNT_HEADER = Deferral.COUNT_HEADER;

    private final EventSink sink;

    public TierPublisher(EventSink sink) {
        this.sink = sink;
    }

    public List<CompletableFuture<?>> publish(Decision decision, ClassifiedRequest classified, int deferCount) {
        return publish(decision, classified, new Deferral(deferCount, -1));
    }

    /**
     * @param deferral the request's deferral history; a DEFER adds one deferral to it and keeps its
     *     first deferral time (the maximum age counts from there)
     */
    /** Sends what the decisions so far have buffered without waiting out the producer's linger. */
    public void flush() {
        sink.flush();
    }

    public List<CompletableFuture<?>> publish(Decision decision, ClassifiedRequest classified, Deferral deferral) {
        RoutingDecision event = decision.toEvent();
        String key = decision.requestId();
        List<CompletableFuture<?>> sends = new ArrayList<>(2);
        switch (decision.action()) {
            case ROUTE -> {
                var topic = decision.tier() == Tier.CLOUD ? Topics.TIER_CLOUD : Topics.TIER_LOCAL;
                sends.add(sink.send(topic, key, DecisionEvents.routed(classified, event), Map.of()));
            }
            case DEFER ->
                sends.add(sink.send(
                        Topics.INFERENCE_DEFERRED,
                        key,
                        classified,
                        deferral.deferredAgain(decision.decidedAt().toEpochMilli())
                                .headers()));
            case REJECT ->
                sends.add(sink.send(
                        Topics.INFERENCE_RESULTS, key, DecisionEvents.rejected(classified, decision), Map.of()));
            default -> throw new IllegalStateException("Unexpected action " + decision.action());
        }
        sends.add(sink.send(Topics.ROUTING_DECISIONS, key, event, Map.of()));
        return sends;
    }

    /** Reads the deferral count header (0 when absent or unreadable). */
    public static int deferCount(byte[] header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(new String(header, StandardCharsets.UTF_8).trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
