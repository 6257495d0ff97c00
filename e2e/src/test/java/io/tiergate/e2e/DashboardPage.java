package io.tiergate.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the live cost dashboard (ledger-streams, {@code /dashboard/}) shows, as read by headless
 * Chromium: {@link #load(URI)} runs {@code chromium --headless --dump-dom} on the page, lets it
 * poll the ledger API for a few seconds of virtual time, and parses the numbers out of the DOM it
 * rendered. The page's DOM contract (data-section / key / data-field / data-value) is documented
 * in ledger-streams/src/main/resources/dashboard/README.md.
 *
 * <pre>{@code
 * DashboardPage page = DashboardPage.load(URI.create("http://127.0.0.1:8095/dashboard/"));
 * page.totalUsd("global");      // the exact global total, as the page shows it
 * page.levelOf("team-search");  // "CONSERVE"
 * page.requestsByTier();        // {LOCAL=812, CLOUD=188}
 * }</pre>
 *
 * Money comes back as {@link BigDecimal} parsed from the exact string on the page, so {@code
 * equals} against {@code new BigDecimal(apiString)} compares value and scale.
 */
public final class DashboardPage {

    /** Debian's launcher; {@code -Dtiergate.chromium=/path} to use another binary. */
    public static final Path CHROMIUM = Path.of(System.getProperty("tiergate.chromium", "/usr/bin/chromium"));

    /** Enough virtual time for the first refresh and three more polls (one every 2 s). */
    public static final Duration DEFAULT_VIRTUAL_TIME = Duration.ofSeconds(8);

    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(90);

    private static final Pattern START_TAG =
            Pattern.compile("<([a-zA-Z][a-zA-Z0-9-]*)((?:\\s+[^\\s=>/\"']+(?:=\"[^\"]*\")?)*)\\s*/?>([^<]*)");
    private static final Pattern ATTRIBUTE = Pattern.compile("([^\\s=>/\"']+)(?:=\"([^\"]*)\")?");
    private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");
    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);");
    private static final List<String> KEY_ATTRIBUTES =
            List.of("data-scope", "data-tier", "data-task-type", "data-model", "data-side");

    private final String dom;
    private final Map<String, String> body;
    private final Optional<String> error;
    private final Optional<String> simulated;
    /** section → key → field → cell. */
    private final Map<String, Map<String, Map<String, Cell>>> cells;

    /** One checked element: its data-value (null when the API said null), its visible text and its CSS classes. */
    public record Cell(String value, String text, String cssClass) {}

    /** One row of the Budgets table ({@code GET /ledger/status}); limits and forecast null when the API has none. */
    public record Budget(
            String scope,
            String level,
            double utilization,
            BigDecimal dailySpendUsd,
            BigDecimal dailyLimitUsd,
            BigDecimal monthlySpendUsd,
            BigDecimal monthlyLimitUsd,
            BigDecimal burnRateUsdPerHour,
            String forecastExhaustionAt,
            String onExhausted,
            boolean anomaly) {}

    private DashboardPage(
            String dom,
            Map<String, String> body,
            Optional<String> error,
            Optional<String> simulated,
            Map<String, Map<String, Map<String, Cell>>> cells) {
        this.dom = dom;
        this.body = body;
        this.error = error;
        this.simulated = simulated;
        this.cells = cells;
    }

    /** True when the Chromium binary is there; tests skip with a message otherwise. */
    public static boolean chromiumAvailable() {
        return Files.isExecutable(CHROMIUM);
    }

    /** Loads the page in headless Chromium with {@link #DEFAULT_VIRTUAL_TIME} and reads what it shows. */
    public static DashboardPage load(URI url) {
        return load(url, DEFAULT_VIRTUAL_TIME);
    }

    /**
     * Loads the page and lets it run for {@code virtualTime} of Chromium's virtual time (timers
     * fast-forward; time stands still while a request is in flight), then parses the DOM.
     */
    public static DashboardPage load(URI url, Duration virtualTime) {
        if (!chromiumAvailable()) {
            throw new IllegalStateException(
                    CHROMIUM + " is not installed (Debian package chromium; .ci/run installs it)");
        }
        Path profile = null;
        Path out = null;
        Path err = null;
        try {
            profile = Files.createTempDirectory("tiergate-chromium-");
            out = Files.createTempFile("tiergate-dashboard-", ".html");
            err = Files.createTempFile("tiergate-chromium-", ".log");
            List<String> command = List.of(
                    CHROMIUM.toString(),
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-extensions",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--user-data-dir=" + profile,
                    "--virtual-time-budget=" + virtualTime.toMillis(),
                    "--dump-dom",
                    url.toString());
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(
                        "chromium did not finish within " + PROCESS_TIMEOUT + " loading " + url + "\n" + tail(err));
            }
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || dom.isBlank()) {
                throw new IllegalStateException("chromium exited with " + process.exitValue() + " and " + dom.length()
                        + " characters of DOM loading " + url + "\n" + tail(err));
            }
            return parse(dom);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + CHROMIUM, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while chromium loaded " + url, e);
        } finally {
            deleteQuietly(profile);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Reads a DOM as Chromium's {@code --dump-dom} serialises it (HTML, attributes in double quotes). */
    public static DashboardPage parse(String dom) {
        Map<String, String> body = Map.of();
        Optional<String> error = Optional.empty();
        Optional<String> simulated = Optional.empty();
        Map<String, Map<String, Map<String, Cell>>> cells = new LinkedHashMap<>();
        Matcher tag = START_TAG.matcher(COMMENT.matcher(dom).replaceAll(""));
        while (tag.find()) {
            Map<String, String> attributes = attributes(tag.group(2));
            String text = unescape(tag.group(3)).strip();
            if (tag.group(1).equalsIgnoreCase("body")) {
                body = attributes;
            }
            String field = attributes.get("data-field");
            if (field == null) {
                continue;
            }
            if (field.equals("error") && !attributes.containsKey("data-section")) {
                if (!attributes.containsKey("hidden") && !text.isEmpty()) {
                    error = Optional.of(text);
                }
                continue;
            }
            if (field.equals("simulated") && !attributes.containsKey("data-section")) {
                if (!attributes.containsKey("hidden") && !text.isEmpty()) {
                    simulated = Optional.of(text);
                }
                continue;
            }
            String section = attributes.get("data-section");
            String key = KEY_ATTRIBUTES.stream()
                    .map(attributes::get)
                    .filter(v -> v != null)
                    .findFirst()
                    .orElse(null);
            if (section == null || key == null) {
                throw new IllegalArgumentException(
                        "a data-field element without data-section or key attribute: " + tag.group());
            }
            Cell previous = cells.computeIfAbsent(section, s -> new LinkedHashMap<>())
                    .computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .put(field, new Cell(attributes.get("data-value"), text, attributes.getOrDefault("class", "")));
            if (previous != null) {
                throw new IllegalArgumentException("the page shows " + section + "/" + key + "/" + field + " twice");
            }
        }
        return new DashboardPage(dom, Map.copyOf(body), error, simulated, cells);
    }

    // ---------- page state ----------

    /** True once the page has rendered one complete answer of the ledger API. */
    public boolean loaded() {
        return "true".equals(body.get("data-loaded"));
    }

    /** Successful refreshes while Chromium ran (one every 2 s of virtual time). */
    public int refreshes() {
        return Integer.parseInt(body.getOrDefault("data-refreshes", "0"));
    }

    /** When the page last rendered a complete answer (Chromium's clock). */
    public Optional<Instant> refreshedAt() {
        return Optional.ofNullable(body.get("data-refreshed-at")).map(Instant::parse);
    }

    /** The error banner's text while it is visible. */
    public Optional<String> error() {
        return error;
    }

    /** The simulated-backends notice's text while it is visible ({@code GET /ledger/backends} simulated). */
    public Optional<String> simulatedNotice() {
        return simulated;
    }

    /** The DOM as Chromium dumped it (for assertion messages). */
    public String dom() {
        return dom;
    }

    // ---------- headline and cost centers (GET /ledger/totals) ----------

    /** {@code global}: the headline total ({@code /ledger/totals} totalUsd); any other scope: its cost-center row. */
    public BigDecimal totalUsd(String scope) {
        return "global".equals(scope) ? money("headline", scope, "totalUsd") : money("cost-centers", scope, "totalUsd");
    }

    /** The part of a scope's lifetime spend that counts against budgets. */
    public BigDecimal budgetSpendUsd(String scope) {
        return money("cost-centers", scope, "budgetSpendUsd");
    }

    /** Cost events counted for a scope ({@code global}: the headline count). */
    public long costEvents(String scope) {
        return Long.parseLong(required("global".equals(scope) ? "headline" : "cost-centers", scope, "costEvents"));
    }

    /** Scopes in the cost-center table (global included), in page order. */
    public List<String> costCenterScopes() {
        return List.copyOf(section("cost-centers").keySet());
    }

    /** Lifetime spend of every scope in the cost-center table. */
    public Map<String, BigDecimal> spendByScope() {
        return collect("cost-centers", "totalUsd", BigDecimal::new);
    }

    // ---------- budgets (GET /ledger/status) ----------

    /** The scope's budget level as shown ({@code NORMAL}, {@code CONSERVE}, {@code CRITICAL_ONLY}, {@code EXHAUSTED}). */
    public String levelOf(String scope) {
        return required("budgets", scope, "level");
    }

    public double utilizationOf(String scope) {
        return Double.parseDouble(required("budgets", scope, "utilization"));
    }

    /** Forecast exhaustion instant as the API gave it; empty when not within the period. */
    public Optional<String> forecastExhaustionAt(String scope) {
        return optional("budgets", scope, "forecastExhaustionAt");
    }

    /** Scopes with a budget row, in page order. */
    public List<String> budgetScopes() {
        return List.copyOf(section("budgets").keySet());
    }

    public Budget budget(String scope) {
        return new Budget(
                scope,
                levelOf(scope),
                utilizationOf(scope),
                money("budgets", scope, "dailySpendUsd"),
                optional("budgets", scope, "dailyLimitUsd").map(BigDecimal::new).orElse(null),
                money("budgets", scope, "monthlySpendUsd"),
                optional("budgets", scope, "monthlyLimitUsd")
                        .map(BigDecimal::new)
                        .orElse(null),
                money("budgets", scope, "burnRateUsdPerHour"),
                forecastExhaustionAt(scope).orElse(null),
                required("budgets", scope, "onExhausted"),
                Boolean.parseBoolean(required("budgets", scope, "anomaly")));
    }

    public Map<String, Budget> budgets() {
        Map<String, Budget> result = new LinkedHashMap<>();
        budgetScopes().forEach(scope -> result.put(scope, budget(scope)));
        return Collections.unmodifiableMap(result);
    }

    // ---------- routing distribution (GET /ledger/windows?scope=global&kind=DAY) ----------

    /**
     * The windows' {@code requestCount} per tier, summed over the global scope's DAY windows (the
     * page's "calls": one per cost event, so an escalated request counts in both tiers).
     */
    public Map<String, Long> requestsByTier() {
        return collect("tiers", "requests", Long::valueOf);
    }

    public Map<String, Long> requestsByTaskType() {
        return collect("task-types", "requests", Long::valueOf);
    }

    public Map<String, Long> requestsByModel() {
        return collect("models", "requests", Long::valueOf);
    }

    public Map<String, BigDecimal> spendByTier() {
        return collect("tiers", "spendUsd", BigDecimal::new);
    }

    public Map<String, BigDecimal> spendByTaskType() {
        return collect("task-types", "spendUsd", BigDecimal::new);
    }

    public Map<String, BigDecimal> spendByModel() {
        return collect("models", "spendUsd", BigDecimal::new);
    }

    // ---------- what-if panel (a ./tiergate whatif --json report loaded from a file) ----------

    /**
     * One number or name of the loaded what-if report: {@code side} is {@code recorded}, {@code replayed}
     * or {@code report} (the report's own fields, and {@code file}, {@code problem}); empty when the
     * panel shows nothing for it.
     */
    public Optional<String> whatIf(String side, String field) {
        Cell cell = section("whatif").getOrDefault(side, Map.of()).get(field);
        return cell == null ? Optional.empty() : Optional.ofNullable(cell.value());
    }

    /** Every field the what-if panel shows for one side, field → data-value, in page order. */
    public Map<String, String> whatIfFields(String side) {
        Map<String, String> result = new LinkedHashMap<>();
        section("whatif").getOrDefault(side, Map.of()).forEach((field, cell) -> {
            if (cell.value() != null) {
                result.put(field, cell.value());
            }
        });
        return Collections.unmodifiableMap(result);
    }

    // ---------- raw access ----------

    /** The data-value of one cell; empty when the cell shows the API's null. Throws when the page has no such cell. */
    public Optional<String> value(String section, String key, String field) {
        return Optional.ofNullable(cell(section, key, field).value());
    }

    /** The visible text of one cell. */
    public String text(String section, String key, String field) {
        return cell(section, key, field).text();
    }

    /** The CSS classes of one cell (the budget level cell carries {@code level-<LEVEL>}, which colours it). */
    public String cssClass(String section, String key, String field) {
        return cell(section, key, field).cssClass();
    }

    private Cell cell(String section, String key, String field) {
        Cell cell = section(section).getOrDefault(key, Map.of()).get(field);
        if (cell == null) {
            throw new NoSuchElementException(
                    "the dashboard shows no " + section + "/" + key + "/" + field + describeState() + "; it shows "
                            + section + ": " + new TreeSet<>(section(section).keySet()));
        }
        return cell;
    }

    private Map<String, Map<String, Cell>> section(String section) {
        return cells.getOrDefault(section, Map.of());
    }

    private String required(String section, String key, String field) {
        return value(section, key, field)
                .orElseThrow(() -> new NoSuchElementException(
                        section + "/" + key + "/" + field + " is empty on the dashboard" + describeState()));
    }

    private Optional<String> optional(String section, String key, String field) {
        return value(section, key, field);
    }

    private BigDecimal money(String section, String key, String field) {
        return new BigDecimal(required(section, key, field));
    }

    private <T> Map<String, T> collect(String section, String field, Function<String, T> parse) {
        Map<String, T> result = new LinkedHashMap<>();
        section(section).forEach((key, row) -> {
            Cell cell = row.get(field);
            if (cell != null && cell.value() != null) {
                result.put(key, parse.apply(cell.value()));
            }
        });
        if (result.isEmpty() && !loaded()) {
            throw new IllegalStateException("the dashboard has not loaded" + describeState());
        }
        return Collections.unmodifiableMap(result);
    }

    private String describeState() {
        return (loaded() ? "" : " (page not loaded)")
                + error.map(e -> " (error banner: " + e + ")").orElse("");
    }

    @Override
    public String toString() {
        return "DashboardPage[loaded=" + loaded() + ", refreshes=" + refreshes() + ", error=" + error.orElse("none")
                + ", sections=" + cells.keySet() + "]";
    }

    // ---------- parsing and process helpers ----------

    private static Map<String, String> attributes(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        Matcher attribute = ATTRIBUTE.matcher(text);
        while (attribute.find()) {
            String value = attribute.group(2);
            result.put(attribute.group(1).toLowerCase(Locale.ROOT), value == null ? "" : unescape(value));
        }
        return result;
    }

    /** The entities Chromium's serializer writes (&amp; &lt; &gt; &quot; &nbsp;) and numeric references. */
    static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher entity = ENTITY.matcher(text);
        StringBuilder result = new StringBuilder();
        while (entity.find()) {
            String name = entity.group(1);
            String replacement = switch (name) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> "\u00a0";
                default ->
                    name.startsWith("#x") || name.startsWith("#X")
                            ? Character.toString(Integer.parseInt(name.substring(2), 16))
                            : name.startsWith("#")
                                    ? Character.toString(Integer.parseInt(name.substring(1)))
                                    : entity.group();
            };
            entity.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        entity.appendTail(result);
        return result.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.contains("dbus") && !line.contains("unexpected operator"))
                    .toList();
            List<String> last = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            return "chromium stderr (last lines, dbus noise removed):\n" + String.join("\n", last);
        } catch (IOException e) {
            return "(no chromium stderr: " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp profile left behind is harmless
        }
    }
}
