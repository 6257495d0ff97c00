package io.tiergate.router.bench;

import io.tiergate.router.Fixtures;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.defer.DeferralIndex;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.TaskType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Heap a deferral releaser needs for its deferred requests: {@code index} fills the releaser's
 * {@link DeferralIndex} (what it holds now: offsets, cost center, times, count, size) with N
 * deferrals over 3 partitions and 50 cost centers; {@code payloads <prompt chars>} holds N whole
 * requests with prompts of that length as the releaser did before (a TreeMap of offset → request per
 * partition). Prints the heap used after a full GC, before and after. Not a test. Run (under the
 * heap the acceptance asks for): see docs/benchmarks/router-service.md, "Deferral heap".
 */
public final class DeferralHeapBenchmark {

    private record Held(ClassifiedRequest request, int deferCount, long deferredAtMs) {}

    private DeferralHeapBenchmark() {}

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "index";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int promptChars = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        long before = usedAfterGc();
        long start = System.nanoTime();
        Object held;
        try {
            held = mode.equals("index") ? index(n) : payloads(n, promptChars);
        } catch (OutOfMemoryError e) {
            held = null;
            System.out.printf(
                    Locale.ROOT,
                    "{\"mode\":\"%s\",\"deferrals\":%d,\"promptChars\":%d,\"maxHeapMb\":%d,\"result\":\"OutOfMemoryError\"}%n",
                    mode,
                    n,
                    promptChars,
                    Runtime.getRuntime().maxMemory() >> 20);
            return;
        }
        long fillMs = (System.nanoTime() - start) / 1_000_000;
        long after = usedAfterGc();
        System.out.printf(
                Locale.ROOT,
                "{\"mode\":\"%s\",\"deferrals\":%d,\"promptChars\":%d,\"maxHeapMb\":%d,\"heldMb\":%.2f,\"bytesPerDeferral\":%.1f,\"fillMs\":%d,\"check\":%d}%n",
                mode,
                n,
                mode.equals("index") ? 0 : promptChars,
                Runtime.getRuntime().maxMemory() >> 20,
                (after - before) / 1048576.0,
                (after - before) / (double) n,
                fillMs,
                held.hashCode() & 1);
    }

    private static DeferralIndex index(int n) {
        DeferralIndex index = new DeferralIndex(RouterConfiguration.DEFAULTS.deferralLimits());
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            index.admit(i % 3, i / 3, "team-" + (i % 50), now + i, now + i, 1, 600, true);
        }
        if (index.size() != n) {
            throw new IllegalStateException("held " + index.size() + " of " + n);
        }
        return index;
    }

    private static List<TreeMap<Long, Held>> payloads(int n, int promptChars) {
        List<TreeMap<Long, Held>> partitions = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            partitions.add(new TreeMap<>());
        }
        String padding = "x".repeat(promptChars);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            ClassifiedRequest r = Fixtures.req()
                    .id("req-" + i)
                    .costCenter("team-" + (i % 50))
                    .type(TaskType.CODE_REVIEW)
                    .build();
            // a distinct prompt per request, as a decoded record would have
            r.getRequest()
                    .setPrompt(i
                            + padding.substring(
                                    Math.min(promptChars, String.valueOf(i).length())));
            partitions.get(i % 3).put((long) (i / 3), new Held(r, 1, now + i));
        }
        return partitions;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
