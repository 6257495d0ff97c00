package io.tiergate.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.cli.demo.PipelineTracker.RequestState;
import io.tiergate.schemas.money.Money;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Requests the demo sends before its measured run, so that the services' request paths are compiled
 * when the measured requests arrive. On two cores, eight freshly started JVMs compile their request
 * paths during the first ~100 requests, and those requests carried the whole routing tail
 * (docs/benchmarks.md, "The demo's routing tail").
 *
 * <p>Each warm-up request is a workload prompt taken from the workload's end (so the measured run,
 * which takes prompts from its start, meets no prompt the classifier has just seen unless the
 * workload is shorter than both runs together), on the cost center {@value #COST_CENTER}, and
 * sovereign: the router keeps it on the local tier, whose spend no cloud budget counts, so the
 * demo's budget starts the measured run untouched. Its cost is in the ledger, and the demo's ledger
 * check adds it.
 */
public final class WarmUp {

    /** The cost center every warm-up request is sent on. */
    public static final String COST_CENTER = "demo-warmup";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the warm-up did.
     *
     * @param sent requests sent
     * @param completed requests with a result when the warm-up ended
     * @param costUsd what they cost (all local), exact
     * @param routingP50Ms routing latency (produced to tier topic), median
     * @param routingP99Ms the same, 99th percentile
     * @param sovereignOnCloud warm-up requests seen on a cloud topic (must be 0)
     * @param seconds wall time from the first send to the last result
     */
    public record Result(
            int sent,
            int completed,
            BigDecimal costUsd,
            long routingP50Ms,
            long routingP99Ms,
            int sovereignOnCloud,
            double seconds) {

        public static final Result NONE = new Result(0, 0, Money.ZERO, 0, 0, 0, 0.0);

        public ObjectNode toJson() {
            ObjectNode n = JSON.createObjectNode();
            n.put("requests", sent);
            n.put("completed", completed);
            n.put("costUsd", Money.usd(costUsd).toPlainString());
            n.putObject("routingLatencyMs").put("p50", routingP50Ms).put("p99", routingP99Ms);
            n.put("sovereignOnCloud", sovereignOnCloud);
            n.put("seconds", Math.round(seconds * 10) / 10.0);
            return n;
        }
    }

    private WarmUp() {}

    /** The {@code i}-th warm-up request (from 0): the workload read from its end, sovereign, on {@value #COST_CENTER}. */
    public static WorkloadItem item(List<WorkloadItem> workload, int i) {
        WorkloadItem w = workload.get(workload.size() - 1 - (i % workload.size()));
        return new WorkloadItem(
                w.line(),
                w.prompt(),
                COST_CENTER,
                true,
                w.latencyBudgetMs(),
                w.taskTypeHint(),
                w.expectedTaskType(),
                w.sensitive());
    }

    /**
     * Sends {@code count} (> 0) warm-up requests at {@code rate} per second with ids {@code prefix + n} and waits, at most
     * {@code timeout}, until each has a result. {@code tracker} must follow {@code prefix}.
     */
    public static Result run(
            RequestSender sender,
            PipelineTracker tracker,
            String prefix,
            List<WorkloadItem> workload,
            int count,
            double rate,
            Duration timeout,
            PrintStream out)
            throws InterruptedException {
        out.printf(
                "[demo] warm-up: %d sovereign requests (local tier, cost center %s) at %.1f/s ...%n",
                count, COST_CENTER, rate);
        EvenSchedule schedule = new EvenSchedule(rate);
        List<Long> sentAt = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            schedule.awaitTurn(i);
            sentAt.add(sender.send(prefix + (i + 1), item(workload, i)));
        }
        sender.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        PipelineTracker.Snapshot snapshot = tracker.snapshot();
        while (snapshot.completed() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            snapshot = tracker.snapshot();
        }
        double seconds = (System.nanoTime() - schedule.startNanos()) / 1e9;
        Map<String, RequestState> states = tracker.requests();
        List<Long> routing = new ArrayList<>(count);
        BigDecimal cost = Money.ZERO;
        for (int i = 0; i < count; i++) {
            RequestState s = states.get(prefix + (i + 1));
            if (s == null) {
                continue;
            }
            cost = cost.add(s.cost());
            if (s.routedAtMs >= 0) {
                routing.add(s.routedAtMs - sentAt.get(i));
            }
        }
        Collections.sort(routing);
        Result result = new Result(
                count,
                snapshot.completed(),
                Money.usd(cost),
                DemoReport.percentile(routing, 50),
                DemoReport.percentile(routing, 99),
                snapshot.sovereignOnCloud(),
                seconds);
        out.printf(
                "[demo] warm-up: %d of %d completed in %.1f s, routing p50 %d ms, p99 %d ms (not in the run's numbers)%n",
                result.completed(), count, seconds, result.routingP50Ms(), result.routingP99Ms());
        return result;
    }
}
