package io.tiergate.worker.work;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.RoutedRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a worker owes for a request before it calls a model for it, from the attempts already
 * started for it (docs/delivery.md, "Write-ahead attempts"):
 *
 * <ul>
 *   <li><b>a duplicate</b>: an attempt was started for this request from an <i>earlier</i> record of
 *       the same tier topic partition. That record's offset is behind this one, so it was committed
 *       (offsets commit in order, with the record's outcome): the request was served, this record is
 *       a copy from an at-least-once hop. Nothing is called, nothing published;
 *   <li><b>open attempts</b>: attempts started from <i>this</i> record (or a later copy of it). This
 *       record is being delivered again, so the transaction that would have billed them never
 *       committed: they are settled now, each by its worst-case cost event ({@code inDoubt = true});
 *   <li><b>the first attempt number</b>: after the highest open attempt, so a retry never reuses the
 *       number of a call that was made (the ledger counts each (requestId, attempt) once).
 * </ul>
 *
 * Attempts started from other topics (an earlier tier's) are not this worker's: they were committed
 * with the hand-off that produced this record.
 *
 * @param duplicateOf the offset of the earlier record that served the request, for a duplicate
 * @param inDoubt the cost events settling the open attempts, by attempt number
 * @param firstAttempt the number this worker's first call carries
 */
public record Takeover(Optional<Long> duplicateOf, List<CostEvent> inDoubt, int firstAttempt) {

    public Takeover {
        Objects.requireNonNull(duplicateOf, "duplicateOf");
        inDoubt = List.copyOf(inDoubt);
    }

    /** Nothing started before: a first delivery. */
    public static Takeover fresh(RoutedRequest request) {
        return new Takeover(Optional.empty(), List.of(), request.getAttempt());
    }

    /** Decides from {@code started}, every attempt known for the request (any order, copies allowed). */
    public static Takeover of(RoutedRequest request, Delivery delivery, Collection<AttemptStarted> started) {
        String requestId = request.getClassified().getRequest().getRequestId();
        Optional<Long> earlier = Optional.empty();
        Map<Integer, AttemptStarted> open = new TreeMap<>();
        for (AttemptStarted a : started) {
            if (!a.getRequestId().equals(requestId)
                    || !a.getSourceTopic().equals(delivery.topic())
                    || a.getSourcePartition() != delivery.partition()) {
                continue;
            }
            if (a.getSourceOffset() < delivery.offset()) {
                long at = a.getSourceOffset();
                earlier = Optional.of(earlier.map(e -> Math.min(e, at)).orElse(at));
            } else {
                open.putIfAbsent(a.getAttempt(), a);
            }
        }
        if (earlier.isPresent()) {
            return new Takeover(earlier, List.of(), request.getAttempt());
        }
        List<CostEvent> settle = new ArrayList<>();
        int next = request.getAttempt();
        for (AttemptStarted a : open.values()) {
            settle.add(CostEvent.newBuilder(a.getWorstCase()).setInDoubt(true).build());
            next = Math.max(next, a.getAttempt() + 1);
        }
        settle.sort(Comparator.comparingInt(CostEvent::getAttempt));
        return new Takeover(Optional.empty(), settle, next);
    }

    public boolean duplicate() {
        return duplicateOf.isPresent();
    }
}
