package io.tiergate.router.route;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A request's deferral history, carried in headers on {@code inference.deferred} and, when it is
 * released, on {@code routing.by-cost-center} (docs/budgets.md, "Deferral"): how often it was
 * deferred and when it was first deferred, so re-deferring it does not restart its maximum age.
 *
 * @param count how often the request was deferred (0: never)
 * @param firstDeferredAtMs when it was first deferred (epoch ms); -1 when never or unknown
 */
public record Deferral(int count, long firstDeferredAtMs) {

    /** A request that was never deferred. */
    public static final Deferral NONE = new Deferral(0, -1);

    /** Header: how often the request was deferred (decimal). */
    public static final String COUNT_HEADER = "tiergate.router.defer-count";
    /** Header: when the request was first deferred (epoch ms, decimal). */
    public static final String FIRST_DEFERRED_AT_HEADER = "tiergate.router.first-deferred-at";

    /** Reads the headers (either may be missing or unreadable: an older router wrote no first time). */
    public static Deferral of(byte[] countHeader, byte[] firstDeferredAtHeader) {
        long first = number(firstDeferredAtHeader);
        return new Deferral(
                (int) Math.max(0, Math.min(Integer.MAX_VALUE, number(countHeader))), first < 0 ? -1 : first);
    }

    /** The history after one more deferral at {@code nowMs}. */
    public Deferral deferredAgain(long nowMs) {
        return new Deferral(count + 1, firstDeferredAtMs < 0 ? nowMs : firstDeferredAtMs);
    }

    /** First deferral time, or {@code fallbackMs} (the record's time) when unknown. */
    public long firstDeferredAtOr(long fallbackMs) {
        return firstDeferredAtMs < 0 ? fallbackMs : firstDeferredAtMs;
    }

    /** The headers that carry this history. */
    public Map<String, byte[]> headers() {
        if (firstDeferredAtMs < 0) {
            return Map.of(COUNT_HEADER, bytes(count));
        }
        return Map.of(COUNT_HEADER, bytes(count), FIRST_DEFERRED_AT_HEADER, bytes(firstDeferredAtMs));
    }

    private static byte[] bytes(long n) {
        return String.valueOf(n).getBytes(StandardCharsets.UTF_8);
    }

    private static long number(byte[] header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(new String(header, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
