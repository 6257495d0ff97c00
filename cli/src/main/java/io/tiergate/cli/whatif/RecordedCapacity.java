package io.tiergate.cli.whatif;

import io.tiergate.router.policy.LocalCapacity;
import io.tiergate.schemas.events.RoutingDecision;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local tier's capacity as a recorded decision saw it, as far as the decision tells: the router
 * records capacity only in the rationale of a decision a capacity or latency rule shaped (the
 * {@code RoutingPolicy} rationales "CAPACITY: local tier overloaded …" and "LATENCY: … (TTFT n ms +
 * queue wait w ms)", also after "Without the budget:"). Any other decision is replayed with the
 * local tier assumed available with no queue ({@link LocalCapacity#unknown()}), which is what such a
 * decision implies for its own table, not necessarily for another table's.
 */
public final class RecordedCapacity {

    private static final Pattern QUEUE_WAIT = Pattern.compile("queue wait (\\d+) ms");

    private RecordedCapacity() {}

    public static LocalCapacity of(RoutingDecision decision) {
        String why = decision.getRationale() == null ? "" : decision.getRationale();
        if (why.contains("CAPACITY: local tier overloaded")) {
            return new LocalCapacity(true, true, false, 0, "overloaded (as the recorded decision saw it)");
        }
        if (why.contains("queue wait ∞")) {
            return new LocalCapacity(
                    true, true, true, Long.MAX_VALUE, "no local worker available (as the recorded decision saw it)");
        }
        Matcher wait = QUEUE_WAIT.matcher(why);
        if (why.contains("LATENCY:") && wait.find()) {
            long ms = Long.parseLong(wait.group(1));
            return new LocalCapacity(
                    true, false, false, ms, "queue wait " + ms + " ms (as the recorded decision saw it)");
        }
        return LocalCapacity.unknown();
    }
}
