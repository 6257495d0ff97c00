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

/**
 * The replay's outcome as an operator reads it: a side-by-side table, one JSON object, or one CSV
 * row per request. Money as exact plain decimals (nano-dollars), never a float.
 *
 * @param table what the replay decided with: "current" or the rules file's version
 * @param budget what budgets the replay saw: "as recorded" or the global daily limit
 */
public record WhatIfReport(Replay.Result result, String table, String budget, int undecided, int undecodable) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final List<String> CSV_COLUMNS = List.of(
            "requestId",
            "createdAt",
            "decidedAt",
            "costCenter",
            "taskType",
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
        if (undecided > 0 || undecodable > 0) {
            s.append(String.format(
                    Locale.ROOT,
                    "left out: %d requests classified but never decided, %d records that do not decode%n",
                    undecided,
                    undecodable));
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
