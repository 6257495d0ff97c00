package io.tiergate.cli.whatif;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.cli.whatif.Replay.Row;
import io.tiergate.cli.whatif.Replay.Totals;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The replay's outcome as an operator reads it: a side-by-side table, one JSON object, or one CSV
 * row per request. Money as exact plain decimals (nano-dollars), never a float.
 *
 * @param table what the replay decided with: "current" or the rules file's version
 * @param budget what budgets the replay saw: "as recorded" or the global daily limit
 * @param shadowEvidence with {@code --shadow-evidence}: the moves between tiers and their calibration
 */
public record WhatIfReport(
        Replay.Result result,
        String table,
        String budget,
        int undecided,
        int undecodable,
        Optional<List<ShadowEvidence.Move>> shadowEvidence) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final List<String> CSV_COLUMNS = List.of(
            "requestId",
            "createdAt",
            "decidedAt",
            "costCenter",
            "taskType",
            "trueTaskType",
            "recordedAction",
            "recordedTier",
            "recordedModel",
            "recordedBudgetLevel",
            "recordedCostUsd",
            "replayedAction",
            "replayedTier",
            "replayedModel",
            "replayedBudgetLevel",
            "replayedRule",
            "replayedCostUsd",
            "sameOutcome");

    public ObjectNode json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("table", table);
        o.put("budget", budget);
        o.put("requests", result.rows().size());
        o.put("recordedCostUsd", usd(result.recorded().costUsd()));
        o.put("replayedCostUsd", usd(result.replayed().costUsd()));
        o.put(
                "differenceUsd",
                usd(result.replayed().costUsd().subtract(result.recorded().costUsd())));
        o.put("changedDecisions", result.changedDecisions());
        o.set("recorded", side(result.recorded()));
        o.set("replayed", side(result.replayed()));
        o.put("undecidedRequests", undecided);
        o.put("undecodableRecords", undecodable);
        shadowEvidence.ifPresent(moves -> {
            ArrayNode evidence = o.putArray("shadowEvidence");
            moves.forEach(m -> evidence.add(evidence(m)));
        });
        return o;
    }

    private static ObjectNode evidence(ShadowEvidence.Move m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("taskType", m.taskType().name());
        o.put("localModel", m.localModel());
        o.put("movedToLocal", m.toLocal());
        o.put("movedToCloud", m.toCloud());
        m.stat()
                .ifPresentOrElse(
                        s -> {
                            o.put("samples", s.getSamples());
                            o.put("agreementRate", s.getAgreementRate());
                            o.put("lower95", s.getLower95());
                            o.put("upper95", s.getUpper95());
                            o.put("referenceModel", s.getReferenceModel());
                            double[] d = m.expectedDisagreeing().orElseThrow();
                            ObjectNode e = o.putObject("expectedDisagreeing");
                            e.put("low", d[0]);
                            e.put("expected", d[1]);
                            e.put("high", d[2]);
                        },
                        () -> o.put("samples", 0));
        return o;
    }

    private static ObjectNode side(Totals t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("costUsd", usd(t.costUsd()));
        o.put("cloud", t.cloud());
        o.put("local", t.local());
        o.put("deferred", t.deferred());
        o.put("rejected", t.rejected());
        o.put("served", t.served());
        o.put("atOrAboveMinimumTierPct", t.atOrAboveMinimumTierPct());
        ArrayNode levels = o.putArray("budgetLevels");
        t.levelSeries().forEach(l -> levels.add(l.name()));
        return o;
    }

    /** The side-by-side table. */
    public String table() {
        Totals a = result.recorded();
        Totals b = result.replayed();
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "what-if replay of %d requests: table %s, budgets %s%n",
                result.rows().size(),
                table,
                budget));
        String row = "%-28s %22s %22s%n";
        s.append(String.format(Locale.ROOT, row, "", "RECORDED", "REPLAYED"));
        s.append(String.format(Locale.ROOT, row, "cost (USD)", usd(a.costUsd()), usd(b.costUsd())));
        s.append(String.format(Locale.ROOT, row, "cloud requests", a.cloud(), b.cloud()));
        s.append(String.format(Locale.ROOT, row, "local requests", a.local(), b.local()));
        s.append(String.format(
                Locale.ROOT,
                row,
                "at or above minimum tier",
                pct(a.atOrAboveMinimumTierPct()) + " of " + a.served(),
                pct(b.atOrAboveMinimumTierPct()) + " of " + b.served()));
        s.append(String.format(Locale.ROOT, row, "deferred", a.deferred(), b.deferred()));
        s.append(String.format(Locale.ROOT, row, "rejected", a.rejected(), b.rejected()));
        s.append(String.format(
                Locale.ROOT,
                "changed decisions: %d; difference %s USD%n",
                result.changedDecisions(),
                usd(b.costUsd().subtract(a.costUsd()))));
        s.append("budget levels over time (N normal, C conserve, K critical only, X exhausted):\n");
        s.append("  recorded ").append(series(a.levelSeries())).append('\n');
        s.append("  replayed ").append(series(b.levelSeries())).append('\n');
        shadowEvidence.ifPresent(moves -> s.append(evidenceLines(moves)));
        if (undecided > 0 || undecodable > 0) {
            s.append(String.format(
                    Locale.ROOT,
                    "left out: %d requests classified but never decided, %d records that do not decode%n",
                    undecided,
                    undecodable));
        }
        return s.toString();
    }

    private static String evidenceLines(List<ShadowEvidence.Move> moves) {
        if (moves.isEmpty()) {
            return "shadow evidence: the replay moves no request between the local model and cloud\n";
        }
        StringBuilder s =
                new StringBuilder("shadow evidence (routing.calibration), per task type moved between tiers:\n");
        for (ShadowEvidence.Move m : moves) {
            s.append(String.format(
                    Locale.ROOT,
                    "  %-15s %-12s %d to local, %d to cloud: ",
                    m.taskType(),
                    m.localModel(),
                    m.toLocal(),
                    m.toCloud()));
            if (m.stat().isEmpty()) {
                s.append("no calibration samples\n");
                continue;
            }
            var st = m.stat().get();
            double[] d = m.expectedDisagreeing().orElseThrow();
            s.append(String.format(
                    Locale.ROOT,
                    "agrees with %s in %.1f%% of %d samples [%.1f%%, %.1f%%]; ~%.1f of the moved answers disagree"
                            + " [%.1f, %.1f]%n",
                    st.getReferenceModel(),
                    100 * st.getAgreementRate(),
                    st.getSamples(),
                    100 * st.getLower95(),
                    100 * st.getUpper95(),
                    d[1],
                    d[0],
                    d[2]));
        }
        return s.toString();
    }

    /** One line per request, RFC 4180, header first. */
    public String csv() {
        StringBuilder s = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (Row r : result.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(r.requestId());
            cells.add(r.createdAt().toString());
            cells.add(r.decidedAt().toString());
            cells.add(r.costCenter());
            cells.add(r.taskType().name());
            cells.add(r.trueTaskType().name());
            cells.add(r.recordedAction().name());
            cells.add(r.recordedTier().name());
            cells.add(r.recordedModel());
            cells.add(String.valueOf(r.recordedLevel()));
            cells.add(usd(r.recordedCostUsd()));
            cells.add(r.replayedAction().name());
            cells.add(r.replayedTier().name());
            cells.add(r.replayedModel());
            cells.add(String.valueOf(r.replayedLevel()));
            cells.add(r.replayedRule());
            cells.add(usd(r.replayedCostUsd()));
            cells.add(String.valueOf(r.sameOutcome()));
            s.append(String.join(",", cells.stream().map(WhatIfReport::cell).toList()))
                    .append('\n');
        }
        return s.toString();
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    private static String series(List<BudgetLevel> levels) {
        StringBuilder s = new StringBuilder();
        for (BudgetLevel l : levels) {
            s.append(
                    switch (l) {
                        case NORMAL -> 'N';
                        case CONSERVE -> 'C';
                        case CRITICAL_ONLY -> 'K';
                        default -> 'X';
                    });
        }
        return s.length() == 0 ? "-" : s.toString();
    }

    private static String pct(double value) {
        return String.format(Locale.ROOT, "%.2f%%", value);
    }

    private static String usd(BigDecimal amount) {
        return Money.usd(amount).toPlainString();
    }
}
