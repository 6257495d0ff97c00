package io.tiergate.e2e.faults;

import io.tiergate.schemas.events.InferenceRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * A deterministic request mix: cloud-bound types, local types, sovereign cloud-bound work and
 * cloud-bound work with planted personal data (which the classifier must catch). Task type hints
 * keep classification cheap and the routing predictable.
 */
final class Traffic {

    /** One kind of request in the mix. */
    record Kind(String hint, String prompt, boolean sovereign, boolean plantedSensitive, boolean cloudBound) {}

    static final List<Kind> MIX = List.of(
            new Kind(
                    "CODE_REVIEW",
                    "Review this diff for regression risk:\n- if (order == null) return;\n+ order.total();",
                    false,
                    false,
                    true),
            new Kind(
                    "CLASSIFICATION",
                    "Tag this review as crash, ui or praise: 'It froze during checkout.'",
                    false,
                    false,
                    false),
            new Kind(
                    "IMPLEMENTATION",
                    "Implement a bounded LRU cache in Java with O(1) get and put and unit tests.",
                    false,
                    false,
                    true),
            new Kind(
                    "SUMMARIZATION",
                    "Summarize: the deploy failed twice because the migration locked the orders table.",
                    false,
                    false,
                    false),
            new Kind(
                    "CODE_REVIEW",
                    "Review our payroll diff for correctness:\n+ salary = base * 1.1;",
                    true,
                    false,
                    false),
            new Kind(
                    "DEBUGGING",
                    "Why does the job for jana.dvorak@posteo.de fail with a NullPointerException in BillingJob?",
                    false,
                    true,
                    false),
            new Kind(
                    "EXTRACTION",
                    "Extract invoice number and total as JSON: Invoice INV-2041, total 118.40 EUR.",
                    false,
                    false,
                    false),
            new Kind(
                    "BOILERPLATE",
                    "Write a Java record for a RefundCreated event with id, amount and reason.",
                    false,
                    false,
                    false),
            new Kind(
                    "ARCHITECTURE",
                    "Should the ledger own budget state or the router? Weigh consistency and latency.",
                    false,
                    false,
                    true),
            new Kind("CONVERSATION", "Brainstorm three names for an internal LLM gateway.", false, false, false));

    private Traffic() {}

    static Kind kind(int i) {
        return MIX.get(Math.floorMod(i, MIX.size()));
    }

    /** Request {@code i} of a run: id {@code prefix + i}, cost center {@code costCenters[i % n]}. */
    static InferenceRequest request(String prefix, int i, List<String> costCenters, Integer maxOutputTokens) {
        Kind k = kind(i);
        return Upstream.request(
                        prefix + i, k.prompt() + " (#" + i + ")", costCenters.get(Math.floorMod(i, costCenters.size())))
                .setTaskTypeHint(k.hint())
                .setRequiresDataSovereignty(k.sovereign())
                .setMaxOutputTokens(maxOutputTokens)
                .build();
    }

    /** Sends the mix at a fixed rate on a scheduler thread until {@link #close()}. */
    static final class Load implements AutoCloseable {
        private final ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "faults-load"));
        private final AtomicInteger next = new AtomicInteger();
        private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        Load(Upstream upstream, String prefix, List<String> costCenters, Integer maxOutputTokens, double perSecond) {
            this(upstream, i -> request(prefix, i, costCenters, maxOutputTokens), perSecond);
        }

        /** Request {@code i} from {@code requests}, at a fixed rate. */
        Load(Upstream upstream, IntFunction<InferenceRequest> requests, double perSecond) {
            long periodMicros = Math.round(1_000_000 / perSecond);
            scheduler.scheduleAtFixedRate(
                    () -> {
                        try {
                            InferenceRequest r = requests.apply(next.getAndIncrement());
                            upstream.request(r);
                            sent.add(r.getRequestId());
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, e);
                            throw e; // ends the schedule; stop() reports it
                        }
                    },
                    0,
                    periodMicros,
                    TimeUnit.MICROSECONDS);
        }

        int sent() {
            return sent.size();
        }

        /** Stops sending; returns the ids sent. Throws if a send could not even be attempted. */
        List<String> stop() {
            if (failure.get() != null) {
                scheduler.shutdownNow();
                throw new IllegalStateException("the load generator stopped: " + failure.get(), failure.get());
            }
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (sent) {
                return List.copyOf(sent);
            }
        }

        @Override
        public void close() {
            stop();
        }
    }
}
