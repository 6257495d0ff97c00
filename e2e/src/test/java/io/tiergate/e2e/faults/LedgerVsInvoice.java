package io.tiergate.e2e.faults;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The ledger against what the test provider invoiced (docs/reliability.md, "Money against the
 * invoice"): {@code ./tiergate costs reconcile} run as its own JVM against the suite's broker, and
 * the bound its excess must stay within, computed from the run's own write-ahead records — the
 * worst cases of the provider calls each SIGKILLed worker had in flight when it died.
 */
final class LedgerVsInvoice {

    /** A worker instance SIGKILLed at {@code at} (after its process was seen dead). */
    record Kill(String workerId, Instant at) {}

    /** What {@code costs reconcile} printed, and the totals of its table. */
    record Reconciled(int exitCode, String stdout, String stderr, BigDecimal ledgerUsd, BigDecimal invoiceUsd) {
        BigDecimal excessUsd() {
            return Money.usd(ledgerUsd.subtract(invoiceUsd));
        }
    }

    private LedgerVsInvoice() {}

    /**
     * Runs {@code tiergate costs reconcile --invoice FILE} (the CLI's main class, as {@code ./tiergate}
     * runs it, on this JVM's class path) and reads the totals from its table's {@code total} line.
     */
    static Reconciled reconcile(Path invoice, String bootstrap, String registryUrl) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = invoice.resolveSibling(invoice.getFileName() + ".stdout");
        Path err = invoice.resolveSibling(invoice.getFileName() + ".stderr");
        try {
            Process p = new ProcessBuilder(
                            java.toString(),
                            "-Xmx256m",
                            "-XX:TieredStopAtLevel=1",
                            "-cp",
                            classPath,
                            "io.tiergate.cli.TiergateCli",
                            "costs",
                            "reconcile",
                            "--invoice",
                            invoice.toString(),
                            "--bootstrap",
                            bootstrap,
                            "--registry-url",
                            registryUrl)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("costs reconcile did not finish within 120 s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            String total = stdout.lines()
                    .filter(l -> l.startsWith("total "))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "costs reconcile (exit " + p.exitValue() + ") printed no total line:\n" + stdout + stderr));
            // total  <ledger USD>  <invoice USD>[*]  <difference USD>  <tokens>  <tokens>  <calls/requests>
            String[] cells = total.trim().split("\\s+");
            return new Reconciled(
                    p.exitValue(),
                    stdout,
                    stderr,
                    Money.usd(new BigDecimal(cells[1])),
                    Money.usd(new BigDecimal(cells[2].replace("*", ""))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the call a cost event bills is one the provider invoices: cloud, not simulated, the provider's label. */
    static Predicate<CostEvent> invoicedBy(String provider) {
        return c -> c.getTier() != Tier.LOCAL && !c.getSimulated() && provider.equals(c.getProvider());
    }

    /**
     * The worst cases of the invoiced calls in flight at each kill: attempts a killed worker started
     * before one of its kills and never billed itself (no cost event with {@code inDoubt = false}),
     * each counted once, at the first kill of its worker after it started. An attempt no worker left
     * unbilled, or left unbilled without being killed, is not in the bound.
     */
    static InFlight inFlightAtKills(
            Collection<AttemptStarted> attempts,
            Collection<CostEvent> costs,
            Collection<Kill> kills,
            Predicate<CostEvent> invoiced) {
        Set<String> billedByItsWorker = new HashSet<>();
        for (CostEvent c : costs) {
            if (!c.getInDoubt()) {
                billedByItsWorker.add(c.getRequestId() + "#" + c.getAttempt());
            }
        }
        Map<String, List<Instant>> killsByWorker = new HashMap<>();
        kills.forEach(k -> killsByWorker
                .computeIfAbsent(k.workerId(), w -> new ArrayList<>())
                .add(k.at()));
        killsByWorker.values().forEach(l -> l.sort(null));
        BigDecimal worst = Money.ZERO;
        int calls = 0;
        Set<String> counted = new HashSet<>();
        for (AttemptStarted a : attempts) {
            String key = a.getRequestId() + "#" + a.getAttempt();
            if (!invoiced.test(a.getWorstCase())
                    || billedByItsWorker.contains(key)
                    || !killsByWorker.containsKey(a.getWorkerId())
                    || counted.contains(key)) {
                continue;
            }
            // in flight at the first kill of its worker after it started
            boolean inFlight = killsByWorker.get(a.getWorkerId()).stream()
                    .anyMatch(at -> !a.getStartedAt().isAfter(at));
            if (inFlight) {
                counted.add(key);
                worst = worst.add(a.getWorstCase().getCostUsd());
                calls++;
            }
        }
        return new InFlight(Money.usd(worst), calls);
    }

    /** The worst cases of the calls in flight at kills, and how many calls. */
    record InFlight(BigDecimal worstCaseUsd, int calls) {}
}
