package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tiergate.cli.whatif.Replay;
import io.tiergate.cli.whatif.ShadowEvidence;
import io.tiergate.cli.whatif.WhatIfReport;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The live dashboard (ledger-streams/src/main/resources/dashboard) in real headless Chromium
 * against a stub of the ledger's HTTP API that answers canned JSON in the API's shapes
 * (src/test/resources/dashboard-stub, checked against LedgerViews): the numbers the page shows,
 * read back by {@link DashboardPage}, must equal what the stub answered, exactly.
 */
class DashboardPageTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DASHBOARD = ROOT.resolve("ledger-streams/src/main/resources/dashboard");
    private static final Path LEDGER_VIEWS =
            ROOT.resolve("ledger-streams/src/main/java/io/tiergate/ledger/api/LedgerViews.java");
    private static final Path SERVED_BACKENDS =
            ROOT.resolve("ledger-streams/src/main/java/io/tiergate/ledger/backends/ServedBackends.java");
    private static final ObjectMapper JSON = new ObjectMapper();

    // ---------- the page against canned answers ----------

    @Test
    void showsExactlyWhatTheLedgerApiAnswers() {
        requireChromium();
        JsonNode status = fixture("status.json");
        JsonNode totals = fixture("totals.json");
        JsonNode windows = fixture("windows.json");
        try (LedgerStub ledger = new LedgerStub()) {
            DashboardPage page = DashboardPage.load(ledger.dashboardUrl());

            assertThat(page.loaded()).as("%s", page).isTrue();
            assertThat(page.error()).isEmpty();
            assertThat(page.refreshes()).isPositive();
            assertThat(ledger.requests())
                    .contains(
                            "/ledger/status",
                            "/ledger/totals",
                            "/ledger/windows?scope=global&kind=DAY",
                            "/ledger/backends");

            // the simulated-backends notice: LOCAL's latest call was simulated, CLOUD's was not
            assertThat(page.simulatedNotice())
                    .hasValueSatisfying(n -> assertThat(n)
                            .contains("Simulated backends: LOCAL")
                            .contains("12 of 12 calls simulated")
                            .doesNotContain("CLOUD"));

            // headline: the exact global total; a double would print 123456789.12345679
            assertThat(page.totalUsd("global")).isEqualTo(new BigDecimal("123456789.123456789"));
            assertThat(page.totalUsd("global"))
                    .isEqualTo(new BigDecimal(totals.get("totalUsd").asText()));
            assertThat(page.costEvents("global"))
                    .isEqualTo(totals.get("costEvents").asLong());

            // spend per cost center, every scope of /ledger/totals
            Map<String, BigDecimal> spendByScope = new LinkedHashMap<>();
            for (JsonNode scope : totals.get("scopes")) {
                String name = scope.get("scope").asText();
                spendByScope.put(name, new BigDecimal(scope.get("spendUsd").asText()));
                assertThat(page.value("cost-centers", name, "totalUsd"))
                        .contains(scope.get("spendUsd").asText());
                assertThat(page.budgetSpendUsd(name))
                        .isEqualTo(new BigDecimal(scope.get("budgetSpendUsd").asText()));
                assertThat(page.value("cost-centers", name, "costEvents"))
                        .contains(scope.get("costEvents").asText());
                if (!name.equals("global")) {
                    assertThat(page.totalUsd(name))
                            .isEqualTo(new BigDecimal(scope.get("spendUsd").asText()));
                    assertThat(page.costEvents(name))
                            .isEqualTo(scope.get("costEvents").asLong());
                }
            }
            assertThat(page.spendByScope()).isEqualTo(spendByScope);
            assertThat(page.costCenterScopes()).first().isEqualTo("global");
            assertThat(page.text("cost-centers", "r&d <lab>", "totalUsd")).isEqualTo("3.000000001");

            // budgets: level, utilisation, forecast per scope, nulls shown as absent
            assertThat(page.budgetScopes()).containsExactlyInAnyOrder("global", "data-eng", "r&d <lab>", "team-review");
            for (JsonNode s : status) {
                String scope = s.get("scope").asText();
                assertThat(page.budget(scope))
                        .isEqualTo(new DashboardPage.Budget(
                                scope,
                                s.get("level").asText(),
                                s.get("utilization").asDouble(),
                                money(s, "dailySpendUsd"),
                                money(s, "dailyLimitUsd"),
                                money(s, "monthlySpendUsd"),
                                money(s, "monthlyLimitUsd"),
                                money(s, "burnRateUsdPerHour"),
                                s.get("forecastExhaustionAt").isNull()
                                        ? null
                                        : s.get("forecastExhaustionAt").asText(),
                                s.get("onExhausted").asText(),
                                s.get("anomaly").asBoolean()));
                assertThat(page.cssClass("budgets", scope, "level").split(" "))
                        .contains("level-" + s.get("level").asText());
            }
            assertThat(page.levelOf("global")).isEqualTo("CONSERVE");
            assertThat(page.levelOf("team-review")).isEqualTo("CRITICAL_ONLY");
            assertThat(page.utilizationOf("global")).isEqualTo(0.8123456789);
            assertThat(page.forecastExhaustionAt("global")).contains("2026-11-22T11:47:09.412Z");
            assertThat(page.forecastExhaustionAt("data-eng")).isEmpty();
            assertThat(page.budget("data-eng").dailyLimitUsd()).isNull();

            // routing distribution and spend per model: exact sums over the global DAY windows
            Map<String, Long> requestsByTier = new TreeMap<>();
            Map<String, Long> requestsByTask = new TreeMap<>();
            Map<String, Long> requestsByModel = new TreeMap<>();
            Map<String, BigDecimal> spendByTier = new TreeMap<>();
            Map<String, BigDecimal> spendByTask = new TreeMap<>();
            Map<String, BigDecimal> spendByModel = new TreeMap<>();
            for (JsonNode w : windows) {
                if (!w.get("scope").asText().equals("global")) {
                    continue; // the page shows the global scope only, whatever else an answer carries
                }
                long requests = w.get("requestCount").asLong();
                BigDecimal spend = new BigDecimal(w.get("spendUsd").asText());
                requestsByTier.merge(w.get("tier").asText(), requests, Long::sum);
                requestsByTask.merge(w.get("taskType").asText(), requests, Long::sum);
                requestsByModel.merge(w.get("model").asText(), requests, Long::sum);
                spendByTier.merge(w.get("tier").asText(), spend, BigDecimal::add);
                spendByTask.merge(w.get("taskType").asText(), spend, BigDecimal::add);
                spendByModel.merge(w.get("model").asText(), spend, BigDecimal::add);
            }
            assertThat(page.requestsByTier())
                    .isEqualTo(requestsByTier)
                    .containsEntry("LOCAL", 38L)
                    .containsEntry("CLOUD", 13L);
            assertThat(page.requestsByTaskType()).isEqualTo(requestsByTask).containsEntry("CLASSIFICATION", 33L);
            assertThat(page.requestsByModel()).isEqualTo(requestsByModel);
            assertThat(page.spendByTier()).isEqualTo(spendByTier);
            assertThat(page.spendByTaskType()).isEqualTo(spendByTask);
            assertThat(page.spendByModel()).isEqualTo(spendByModel);
            // 0.1 + 0.2 (+ a nano-dollar) in floating point would not print like this
            assertThat(page.spendByTier().get("LOCAL")).isEqualTo(new BigDecimal("0.300000001"));
            assertThat(page.spendByModel().get("anthropic/claude-sonnet-4.6"))
                    .isEqualTo(new BigDecimal("123456786.123456781"));
            assertThat(page.value("models", "anthropic/claude-sonnet-4.6", "reworkUsd"))
                    .contains("0.023456782");
            assertThat(page.value("models", "qwen3:8b", "inputTokens")).contains("4500");
            assertThat(page.value("models", "qwen3:8b", "tier")).contains("LOCAL");
        }
    }

    @Test
    void showsTheLatestAnswerAsItPolls() {
        requireChromium();
        try (LedgerStub ledger = new LedgerStub()) {
            // the n-th totals answer says n dollars; the page polls one after the other, every 2 s
            ledger.answer("/ledger/totals", call -> Reply.json(totalsOf(call + ".000000000")));
            DashboardPage page = DashboardPage.load(ledger.dashboardUrl());

            assertThat(page.refreshes()).as("%s", page).isGreaterThanOrEqualTo(3);
            assertThat(page.totalUsd("global")).isEqualTo(new BigDecimal(page.refreshes() + ".000000000"));
            assertThat(page.refreshedAt()).isPresent();
        }
    }

    @Test
    void showsAnErrorBannerWhileTheLedgerIsNotQueryable() {
        requireChromium();
        try (LedgerStub ledger = new LedgerStub()) {
            ledger.answer(
                    "/ledger/status",
                    call -> Reply.json(503, "{\"error\":\"ledger state is not queryable yet: rebalancing\"}"));
            DashboardPage page = DashboardPage.load(ledger.dashboardUrl());

            assertThat(page.loaded()).isFalse();
            assertThat(page.error())
                    .hasValueSatisfying(e -> assertThat(e)
                            .contains("/ledger/status", "503", "ledger state is not queryable yet: rebalancing"));
            assertThatThrownBy(() -> page.totalUsd("global"))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("not loaded")
                    .hasMessageContaining("not queryable yet");
        }
    }

    @Test
    void keepsTheLastGoodNumbersAndSaysSoWhenTheLedgerFailsLater() {
        requireChromium();
        try (LedgerStub ledger = new LedgerStub()) {
            ledger.answer(
                    "/ledger/windows",
                    call -> call == 1
                            ? Reply.json(200, fixtureText("windows.json"))
                            : Reply.text(500, "Internal Server Error"));
            DashboardPage page = DashboardPage.load(ledger.dashboardUrl());

            assertThat(page.loaded()).isTrue();
            assertThat(page.refreshes()).isEqualTo(1);
            assertThat(page.error())
                    .hasValueSatisfying(e -> assertThat(e).contains("500", "showing the last good data"));
            assertThat(page.requestsByTier()).containsEntry("LOCAL", 38L);
            assertThat(page.totalUsd("global")).isEqualTo(new BigDecimal("123456789.123456789"));
        }
    }

    @Test
    void recoversWhenTheLedgerAnswersAgain() {
        requireChromium();
        try (LedgerStub ledger = new LedgerStub()) {
            ledger.answer(
                    "/ledger/totals",
                    call -> call == 1
                            ? Reply.text(503, "Service Unavailable")
                            : Reply.json(200, fixtureText("totals.json")));
            DashboardPage page = DashboardPage.load(ledger.dashboardUrl());

            assertThat(page.loaded()).isTrue();
            assertThat(page.error()).isEmpty();
            assertThat(page.totalUsd("global")).isEqualTo(new BigDecimal("123456789.123456789"));
        }
    }

    // ---------- the what-if panel: a report file read in the browser ----------

    /**
     * A report written by the CLI's own {@link WhatIfReport#json()} (what {@code ./tiergate whatif --json}
     * prints), chosen in the panel's file input: every field of both sides and of the report is shown
     * with its value verbatim, so a field WhatIfReport renames or adds fails here.
     */
    @Test
    void theWhatIfPanelShowsEveryFieldOfAReportChosenInTheFileInput() {
        requireChromium();
        JsonNode report = whatIfReport().json();
        try (LedgerStub ledger = new LedgerStub()) {
            ledger.injectIntoPage(chooseFile("whatif.json", report.toString(), false));
            DashboardPage page = DashboardPage.load(ledger.dashboardUrl());

            assertThat(page.loaded()).as("%s", page).isTrue();
            assertThat(page.whatIf("report", "problem")).as("%s", page.dom()).isEmpty();
            assertThat(page.whatIf("report", "file")).contains("whatif.json");
            Map<String, String> shownReport = new LinkedHashMap<>(page.whatIfFields("report"));
            shownReport.remove("file");
            Map<String, String> expectedReport = new LinkedHashMap<>();
            report.fields().forEachRemaining(f -> {
                if (f.getValue().isValueNode()) {
                    expectedReport.put(f.getKey(), f.getValue().asText());
                }
            });
            // recordedCostUsd and replayedCostUsd are shown as the sides' costUsd
            assertThat(expectedReport.remove("recordedCostUsd"))
                    .isEqualTo(report.at("/recorded/costUsd").asText());
            assertThat(expectedReport.remove("replayedCostUsd"))
                    .isEqualTo(report.at("/replayed/costUsd").asText());
            assertThat(shownReport).isEqualTo(expectedReport);
            assertThat(page.whatIf("report", "differenceUsd")).contains("-0.308618980");

            for (String side : List.of("recorded", "replayed")) {
                JsonNode totals = report.get(side);
                Map<String, String> shown = page.whatIfFields(side);
                assertThat(shown.keySet()).as(side).containsExactlyInAnyOrderElementsOf(fieldNames(totals));
                totals.fields().forEachRemaining(f -> {
                    String value = shown.get(f.getKey());
                    if (f.getValue().isArray()) {
                        List<String> levels = new ArrayList<>();
                        f.getValue().forEach(l -> levels.add(l.asText()));
                        assertThat(value).as(side + "." + f.getKey()).isEqualTo(String.join(",", levels));
                    } else if (f.getValue().isDouble()) {
                        assertThat(Double.parseDouble(value))
                                .as(side + "." + f.getKey())
                                .isEqualTo(f.getValue().asDouble());
                    } else {
                        assertThat(value)
                                .as(side + "." + f.getKey())
                                .isEqualTo(f.getValue().asText());
                    }
                });
            }
            assertThat(page.whatIf("replayed", "costUsd")).contains("3.274147639");
            assertThat(page.whatIf("replayed", "budgetLevels"))
                    .contains("NORMAL,CONSERVE,CONSERVE,CRITICAL_ONLY,EXHAUSTED,EXHAUSTED,NORMAL,NORMAL,NORMAL,NORMAL");
            assertThat(page.text("whatif", "replayed", "atOrAboveMinimumTierPct"))
                    .isEqualTo("91.45% of 1170");
            // the two strips, one coloured cell per stretch, aligned: ten and ten
            assertThat(Pattern.compile("class=\"strip-cell level-[A-Z_]+\"")
                            .matcher(page.dom())
                            .results()
                            .count())
                    .isEqualTo(20);
        }
    }

    @Test
    void theWhatIfPanelReadsAReportDroppedOnIt() {
        requireChromium();
        JsonNode report = whatIfReport().json();
        try (LedgerStub ledger = new LedgerStub()) {
            ledger.injectIntoPage(chooseFile("cheap-table.json", report.toString(), true));
            DashboardPage page = DashboardPage.load(ledger.dashboardUrl());

            assertThat(page.whatIf("report", "file")).as("%s", page.dom()).contains("cheap-table.json");
            assertThat(page.whatIf("recorded", "costUsd"))
                    .contains(report.at("/recorded/costUsd").asText());
            assertThat(page.whatIf("replayed", "rejected"))
                    .contains(report.at("/replayed/rejected").asText());
        }
    }

    @Test
    void theWhatIfPanelRefusesAFileThatIsNotAWhatIfReportNamingTheMissingField() {
        requireChromium();
        ObjectNode notAReport = whatIfReport().json();
        notAReport.remove("table");
        ((ObjectNode) notAReport.get("replayed")).remove("budgetLevels");
        try (LedgerStub ledger = new LedgerStub()) {
            ledger.injectIntoPage(chooseFile("totals.json", notAReport.toString(), false));
            DashboardPage page = DashboardPage.load(ledger.dashboardUrl());

            assertThat(page.whatIf("report", "problem"))
                    .as("%s", page.dom())
                    .hasValueSatisfying(p -> assertThat(p)
                            .contains("not a ./tiergate whatif --json report")
                            .contains("table is missing")
                            .contains("replayed.budgetLevels is missing"));
            assertThat(page.text("whatif", "report", "problem")).startsWith("totals.json: ");
            assertThat(page.whatIfFields("recorded")).isEmpty();
            assertThat(page.loaded()).isTrue(); // the live part of the page is not affected
        }
    }

    // ---------- no Chromium needed ----------

    /** The canned answers have exactly the fields of the ledger's JSON views, so the stub cannot drift from the API. */
    @Test
    void cannedAnswersHaveTheLedgerApiShapes() throws IOException {
        Map<String, List<String>> views = recordComponents(Files.readString(LEDGER_VIEWS));
        assertThat(fieldNames(fixture("status.json").get(0))).isEqualTo(views.get("Status"));
        assertThat(fieldNames(fixture("windows.json").get(0))).isEqualTo(views.get("Window"));
        assertThat(fieldNames(fixture("totals.json"))).isEqualTo(views.get("Totals"));
        assertThat(fieldNames(fixture("totals.json").get("scopes").get(0))).isEqualTo(views.get("ScopeTotal"));
        Map<String, List<String>> backends = recordComponents(Files.readString(SERVED_BACKENDS));
        assertThat(fieldNames(fixture("backends.json"))).isEqualTo(backends.get("View"));
        for (JsonNode tier : fixture("backends.json").get("tiers")) {
            assertThat(fieldNames(tier)).isEqualTo(backends.get("TierView"));
        }
        for (String file : List.of("status.json", "windows.json")) {
            for (JsonNode row : fixture(file)) {
                assertThat(fieldNames(row))
                        .as(file)
                        .isEqualTo(fieldNames(fixture(file).get(0)));
            }
        }
    }

    @Test
    void readsTheAttributesAsChromiumSerialisesThem() {
        DashboardPage page = DashboardPage.parse("""
            <!DOCTYPE html><html><head></head>
            <!-- <td data-section="budgets" data-scope="x" data-field="level" data-value="NOT-ME">x</td> -->
            <body data-loaded="true" data-refreshes="3" data-refreshed-at="2026-11-22T10:00:00.500Z">
            <div id="error-banner" class="banner" role="alert" data-field="error" hidden=""></div>
            <table><tbody><tr data-scope="r&amp;d &lt;lab&gt;">
            <td class="label">r&amp;d &lt;lab&gt;</td>
            <td data-section="budgets" data-field="level" class="level level-EXHAUSTED" data-scope="r&amp;d &lt;lab&gt;" data-value="EXHAUSTED">EXHAUSTED</td>
            <td data-section="budgets" data-field="dailyLimitUsd" class="num" data-scope="r&amp;d &lt;lab&gt;">—</td>
            </tr></tbody></table>
            <td data-section="tiers" data-field="requests" class="num" data-tier="LOCAL" data-value="7">7</td>
            <span data-section="headline" data-scope="global" data-field="totalUsd" data-value="0.300000000">0.300000000</span>
            </body></html>
            """);
        assertThat(page.loaded()).isTrue();
        assertThat(page.refreshes()).isEqualTo(3);
        assertThat(page.error()).isEmpty();
        assertThat(page.levelOf("r&d <lab>")).isEqualTo("EXHAUSTED");
        assertThat(page.value("budgets", "r&d <lab>", "dailyLimitUsd")).isEmpty();
        assertThat(page.text("budgets", "r&d <lab>", "dailyLimitUsd")).isEqualTo("—");
        assertThat(page.budgetScopes()).containsExactly("r&d <lab>");
        assertThat(page.requestsByTier()).containsExactly(Map.entry("LOCAL", 7L));
        assertThat(page.totalUsd("global"))
                .isEqualTo(new BigDecimal("0.300000000"))
                .isNotEqualTo(new BigDecimal("0.3"));

        DashboardPage failing = DashboardPage.parse(
                "<body data-loaded=\"false\"><div id=\"error-banner\" data-field=\"error\">Ledger API unavailable — GET"
                        + " /ledger/status → 503: not &quot;ready&quot;</div></body>");
        assertThat(failing.error()).contains("Ledger API unavailable — GET /ledger/status → 503: not \"ready\"");
        assertThatThrownBy(failing::requestsByTier).hasMessageContaining("has not loaded");
    }

    // ---------- helpers ----------

    private static void requireChromium() {
        assumeTrue(
                DashboardPage.chromiumAvailable(),
                DashboardPage.CHROMIUM
                        + " is not installed, skipping the headless-Chromium dashboard test (.ci/run installs the chromium package)");
    }

    /**
     * A report as the CLI's {@link WhatIfReport} writes it, over 1,200 rows: the recorded side as the
     * demo's run in docs/calibration.md, the replayed side cheaper, with requests deferred and
     * rejected and its budget levels climbing to EXHAUSTED.
     */
    private static WhatIfReport whatIfReport() {
        Instant at = Instant.parse("2026-12-05T10:00:00Z");
        Replay.Row row = new Replay.Row(
                "r1",
                at,
                at,
                "team-a",
                TaskType.IMPLEMENTATION,
                TaskType.IMPLEMENTATION,
                RoutingAction.ROUTE,
                Tier.CLOUD,
                "anthropic/claude-haiku-4.5",
                BudgetLevel.NORMAL,
                new BigDecimal("0.006000000"),
                true,
                RoutingAction.ROUTE,
                Tier.CLOUD,
                "deepseek/deepseek-chat",
                BudgetLevel.NORMAL,
                new BigDecimal("0.001000000"),
                new BigDecimal("0.001000000"),
                false,
                "TASK_TABLE",
                false);
        List<BudgetLevel> recordedLevels = new ArrayList<>(Collections.nCopies(3, BudgetLevel.CRITICAL_ONLY));
        recordedLevels.addAll(Collections.nCopies(7, BudgetLevel.NORMAL));
        List<BudgetLevel> replayedLevels = new ArrayList<>(List.of(
                BudgetLevel.NORMAL,
                BudgetLevel.CONSERVE,
                BudgetLevel.CONSERVE,
                BudgetLevel.CRITICAL_ONLY,
                BudgetLevel.EXHAUSTED,
                BudgetLevel.EXHAUSTED));
        replayedLevels.addAll(Collections.nCopies(4, BudgetLevel.NORMAL));
        Replay.Totals recorded =
                new Replay.Totals(new BigDecimal("3.582766619"), 409, 791, 0, 0, 1160, 1200, recordedLevels);
        Replay.Totals replayed =
                new Replay.Totals(new BigDecimal("3.274147639"), 350, 820, 20, 10, 1070, 1170, replayedLevels);
        Replay.Result result = new Replay.Result(Collections.nCopies(1200, row), recorded, replayed, 66);
        return new WhatIfReport(
                result,
                "cheap.json (version cheap-implementation)",
                "global daily limit 0.50 USD",
                2,
                1,
                Optional.of(
                        List.of(new ShadowEvidence.Move(TaskType.IMPLEMENTATION, "qwen3:8b", 3, 0, Optional.empty()))));
    }

    /**
     * A script run in the page after dashboard.js: hands {@code text} to the what-if panel as a file
     * named {@code name}, through its file input or as a drop on its drop zone, as a person would.
     */
    private static String chooseFile(String name, String text, boolean drop) {
        try {
            return "(function () {\n"
                    + "  const transfer = new DataTransfer();\n"
                    + "  transfer.items.add(new File([" + JSON.writeValueAsString(text) + "], "
                    + JSON.writeValueAsString(name) + ", { type: 'application/json' }));\n"
                    + (drop
                            ? "  document.getElementById('whatif-drop').dispatchEvent(new DragEvent('drop',"
                                    + " { dataTransfer: transfer, bubbles: true, cancelable: true }));\n"
                            : "  const input = document.getElementById('whatif-file');\n"
                                    + "  input.files = transfer.files;\n"
                                    + "  input.dispatchEvent(new Event('change', { bubbles: true }));\n")
                    + "})();\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BigDecimal money(JsonNode node, String field) {
        return node.get(field).isNull() ? null : new BigDecimal(node.get(field).asText());
    }

    private static String totalsOf(String totalUsd) {
        ObjectNode totals = JSON.createObjectNode();
        totals.put("totalUsd", totalUsd);
        totals.put("costEvents", 1);
        ObjectNode global = totals.putArray("scopes").addObject();
        global.put("scope", "global");
        global.put("spendUsd", totalUsd);
        global.put("budgetSpendUsd", totalUsd);
        global.put("costEvents", 1);
        return totals.toString();
    }

    private static JsonNode fixture(String name) {
        try {
            return JSON.readTree(fixtureText(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fixtureText(String name) {
        try (InputStream in = DashboardPageTest.class.getResourceAsStream("/dashboard-stub/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource dashboard-stub/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    /** {@code record Name(Type a, Type b)} → {Name: [a, b]}, from the source of LedgerViews. */
    private static Map<String, List<String>> recordComponents(String source) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        Matcher record = Pattern.compile("record\\s+(\\w+)\\s*\\(([^)]*)\\)").matcher(source);
        while (record.find()) {
            List<String> components = new ArrayList<>();
            for (String component : record.group(2).replaceAll("<[^>]*>", "").split(",")) {
                String[] words = component.trim().split("\\s+");
                components.add(words[words.length - 1]);
            }
            result.put(record.group(1), components);
        }
        return result;
    }

    /** A reply of the stub: status, content type, body. */
    record Reply(int status, String contentType, String body) {
        static Reply json(String body) {
            return json(200, body);
        }

        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body);
        }

        static Reply text(int status, String body) {
            return new Reply(status, "text/plain", body);
        }
    }

    /** The ledger's HTTP API as canned answers, plus the real dashboard files, on a JDK HttpServer. */
    static final class LedgerStub implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(4);
        private final Map<String, IntFunction<Reply>> answers = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private volatile String pageScript;

        LedgerStub() {
            answers.put("/ledger/status", call -> Reply.json(fixtureText("status.json")));
            answers.put("/ledger/totals", call -> Reply.json(fixtureText("totals.json")));
            answers.put("/ledger/windows", call -> Reply.json(fixtureText("windows.json")));
            answers.put("/ledger/backends", call -> Reply.json(fixtureText("backends.json")));
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/ledger/", this::ledger);
            server.createContext("/dashboard/", this::dashboard);
            server.setExecutor(executor);
            server.start();
        }

        void answer(String path, IntFunction<Reply> reply) {
            answers.put(path, reply);
        }

        /** Serves index.html with {@code script} run after the page's own scripts. */
        void injectIntoPage(String script) {
            pageScript = script;
        }

        URI dashboardUrl() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dashboard/");
        }

        List<String> requests() {
            return List.copyOf(requests);
        }

        private void ledger(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(query == null ? path : path + "?" + query);
            IntFunction<Reply> answer = answers.get(path);
            Reply reply = answer == null
                    ? Reply.json(404, "{\"error\":\"no such endpoint\"}")
                    : answer.apply(calls.computeIfAbsent(path, p -> new AtomicInteger())
                            .incrementAndGet());
            send(exchange, reply.status(), reply.contentType(), reply.body().getBytes(StandardCharsets.UTF_8));
        }

        private void dashboard(HttpExchange exchange) throws IOException {
            String name = exchange.getRequestURI().getPath().substring("/dashboard/".length());
            Path file = DASHBOARD.resolve(name.isEmpty() ? "index.html" : name).normalize();
            if (!file.startsWith(DASHBOARD) || !Files.isRegularFile(file)) {
                send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String type = file.toString().endsWith(".html")
                    ? "text/html; charset=utf-8"
                    : file.toString().endsWith(".js")
                            ? "application/javascript; charset=utf-8"
                            : file.toString().endsWith(".css") ? "text/css; charset=utf-8" : "application/octet-stream";
            byte[] body = Files.readAllBytes(file);
            if (pageScript != null && file.getFileName().toString().equals("index.html")) {
                String page = new String(body, StandardCharsets.UTF_8);
                if (!page.contains("</body>")) {
                    throw new IllegalStateException("index.html has no </body> to put the test's script before");
                }
                body = page.replace("</body>", "<script>\n" + pageScript + "</script>\n</body>")
                        .getBytes(StandardCharsets.UTF_8);
            }
            send(exchange, 200, type, body);
        }

        private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
