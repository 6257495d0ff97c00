package io.tiergate.worker.work;

import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.topics.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one worker publishes for one request, all in one Kafka transaction with the consumed offset:
 * one cost event per attempt it made, and either the one final {@link InferenceResult} or the
 * request handed on to another tier. Built only by {@link Work}.
 */
public final class WorkOutcome {

    /** How the worker finished with the request. */
    public enum Kind {
        COMPLETED,
        FAILED,
        REJECTED,
        HANDED_OFF,
        /**
         * A shadow request finished (docs/calibration.md, "Shadow traffic"): its cost events and,
         * when the reference model answered, the answer aside — never a result.
         */
        ASIDE,
        /** Nothing to publish (the record was dead-lettered before a request could be read). */
        NONE
    }

    private final Kind kind;
    private final List<CostEvent> costEvents;
    private final InferenceResult result;
    private final HandOff handOff;
    private final Topic<CostEvent> costsTopic;
    private final Topic<InferenceResult> resultsTopic;
    private final List<Output<?>> extras;

    /** A request passed to another tier: the record and its topic. */
    public record HandOff(Topic<RoutedRequest> topic, RoutedRequest request) {}

    WorkOutcome(
            Kind kind,
            List<CostEvent> costEvents,
            InferenceResult result,
            HandOff handOff,
            Topic<CostEvent> costsTopic,
            Topic<InferenceResult> resultsTopic) {
        this(kind, costEvents, result, handOff, costsTopic, resultsTopic, List.of());
    }

    private WorkOutcome(
            Kind kind,
            List<CostEvent> costEvents,
            InferenceResult result,
            HandOff handOff,
            Topic<CostEvent> costsTopic,
            Topic<InferenceResult> resultsTopic,
            List<Output<?>> extras) {
        this.extras = List.copyOf(extras);
        this.kind = kind;
        this.costEvents = List.copyOf(costEvents);
        this.result = result;
        this.handOff = handOff;
        this.costsTopic = costsTopic;
        this.resultsTopic = resultsTopic;
    }

    /** For records that never became a request (dead-lettered): commit the offset, publish nothing. */
    public static WorkOutcome none() {
        return new WorkOutcome(Kind.NONE, List.of(), null, null, null, null);
    }

    public Kind kind() {
        return kind;
    }

    public List<CostEvent> costEvents() {
        return costEvents;
    }

    public Optional<InferenceResult> result() {
        return Optional.ofNullable(result);
    }

    public Optional<HandOff> handOff() {
        return Optional.ofNullable(handOff);
    }

    /**
     * Records published besides the result: a locally served request's shadow ({@code
     * inference.shadow}), a shadow request's reference answer ({@code inference.shadow.answers}).
     */
    public List<Output<?>> extras() {
        return extras;
    }

    /** This outcome and {@code extra}, in the same transaction. Only {@link Work} adds extras (it guards them). */
    WorkOutcome with(Output<?> extra) {
        List<Output<?>> more = new ArrayList<>(extras);
        more.add(extra);
        return new WorkOutcome(kind, costEvents, result, handOff, costsTopic, resultsTopic, more);
    }

    public Optional<ResultStatus> status() {
        return result().map(InferenceResult::getStatus);
    }

    /** Everything to publish, cost events first, keyed by request id. */
    public List<Output<?>> outputs() {
        List<Output<?>> out = new ArrayList<>();
        for (CostEvent cost : costEvents) {
            out.add(new Output<>(costsTopic, cost.getRequestId(), cost));
        }
        if (result != null) {
            out.add(new Output<>(resultsTopic, result.getRequestId(), result));
        }
        if (handOff != null) {
            out.add(new Output<>(
                    handOff.topic(),
                    handOff.request().getClassified().getRequest().getRequestId(),
                    handOff.request()));
        }
        out.addAll(extras);
        return out;
    }

    @Override
    public String toString() {
        return "WorkOutcome[" + kind + ", " + costEvents.size() + " cost event(s)"
                + (handOff != null ? ", handed off to " + handOff.topic().name() : "")
                + (extras.isEmpty() ? "" : ", " + extras.size() + " extra record(s)") + "]";
    }
}
