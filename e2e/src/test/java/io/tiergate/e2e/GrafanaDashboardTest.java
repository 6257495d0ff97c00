package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provisioned Grafana dashboard (deploy/grafana/dashboards/tiergate.json) cannot silently point
 * at nothing: every query must name metrics the modules register with Micrometer (found by reading
 * {@code <module>/src/main/java}, converted to the names Prometheus sees) and only labels those meters carry, and
 * must parse as PromQL (promtool, where installed).
 */
class GrafanaDashboardTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DASHBOARD = ROOT.resolve("deploy/grafana/dashboards/tiergate.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Labels Prometheus or Micrometer add to every series (deploy/prometheus.yml adds service). */
    private static final Set<String> STANDARD_LABELS = Set.of("job", "instance", "service", "le", "quantile");

    /** PromQL functions, aggregations and keywords: identifiers in an expression that are not metric names. */
    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "count",
            "stddev",
            "stdvar",
            "topk",
            "bottomk",
            "quantile",
            "count_values",
            "group",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "rate",
            "irate",
            "increase",
            "delta",
            "idelta",
            "deriv",
            "histogram_quantile",
            "sort",
            "sort_desc",
            "vector",
            "scalar",
            "abs",
            "clamp",
            "clamp_min",
            "clamp_max",
            "label_replace",
            "label_join",
            "time",
            "sum_over_time",
            "avg_over_time",
            "max_over_time",
            "min_over_time",
            "count_over_time",
            "last_over_time",
            "quantile_over_time",
            "changes",
            "resets",
            "absent",
            "absent_over_time",
            "round",
            "ceil",
            "floor",
            "ln",
            "exp",
            "sqrt",
            "timestamp",
            "predict_linear");

    private static final Pattern METER_CALL = Pattern.compile("(?i)(counter|timer|gauge|summary)(\\.builder)?\\s*\\(");
    private static final Pattern METER_WITH_VARIABLE_NAME =
            Pattern.compile("(?i)(counter|timer|gauge|summary)(\\.builder)?\\s*\\(\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*[,)]");
    private static final Pattern TIERGATE_LITERAL = Pattern.compile("\"(tiergate\\.[a-zA-Z0-9._-]+)\"");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"([^\"\\\\]*)\"");
    private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"([^\"]+)\"\\s*\\)");

    private static Map<String, Set<String>> series;

    @BeforeAll
    static void scanTheCode() throws IOException {
        series = seriesRegisteredInCode(ROOT);
    }

    @Test
    void everyQueryNamesRegisteredMetricsAndTheirLabels() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        List<String> problems = new ArrayList<>();
        int queries = 0;
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries++;
                String where = "panel " + panel.path("id").asInt() + " '"
                        + panel.path("title").asText() + "' "
                        + target.path("refId").asText();
                problems.addAll(check(
                        where,
                        target.path("expr").asText(),
                        target.path("legendFormat").asText(""),
                        series));
            }
        }
        assertThat(queries).as("queries on the dashboard").isGreaterThanOrEqualTo(20);
        assertThat(problems)
                .as("metrics known from the code: %s", new TreeSet<>(series.keySet()))
                .isEmpty();
    }

    @Test
    void everyPanelUsesTheProvisionedDatasourceAndFitsTheGrid() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        String datasources = Files.readString(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
        Matcher uid = Pattern.compile("(?m)^\\s*uid:\\s*(\\S+)\\s*$").matcher(datasources);
        assertThat(uid.find()).as("uid in the provisioned datasource").isTrue();

        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isEqualTo("tiergate");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : allPanels(dashboard)) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("panel id %s is unique", panel.path("id"))
                    .isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt())
                    .as("panel '%s' within 24 columns", panel.path("title"))
                    .isLessThanOrEqualTo(24);
            assertThat(grid.path("h").asInt()).isPositive();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText())
                    .as("datasource of '%s'", panel.path("title"))
                    .isEqualTo(uid.group(1));
            assertThat(panel.path("targets"))
                    .as("queries of '%s'", panel.path("title"))
                    .isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo(uid.group(1));
                assertThat(target.path("expr").asText()).isNotBlank();
            }
        }
    }

    @Test
    void grafanaFindsTheDashboardWhereComposeMountsIt() throws IOException {
        String provider = Files.readString(ROOT.resolve("deploy/grafana/provisioning/dashboards/tiergate.yml"));
        Matcher path = Pattern.compile("(?m)^\\s*path:\\s*(\\S+)\\s*$").matcher(provider);
        assertThat(path.find()).isTrue();
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(compose).contains("./deploy/grafana/dashboards:" + path.group(1));
        assertThat(compose).contains("./deploy/grafana/provisioning:/etc/grafana/provisioning");
    }

    @Test
    void everyQueryParsesAsPromql() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool), "promtool is not installed (.ci/run installs the prometheus package)");
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        StringBuilder rules = new StringBuilder("groups:\n  - name: grafana-dashboard\n    rules:\n");
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr")
                        .asText()
                        .replace("$__rate_interval", "1m")
                        .replace("$__range", "1h");
                rules.append("      - record: dashboard_panel_")
                        .append(panel.path("id").asInt())
                        .append('_')
                        .append(target.path("refId").asText())
                        .append('\n');
                rules.append("        expr: ")
                        .append(JSON.writeValueAsString(expr))
                        .append('\n');
            }
        }
        Path file = Files.createTempFile("tiergate-dashboard-rules-", ".yml");
        try {
            Files.writeString(file, rules.toString());
            Process process = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ---------- the checker itself can fail ----------

    @Test
    void theScanFindsMetersOfEveryKind() {
        assertThat(series).containsKey("tiergate_dlq_records_total");
        assertThat(series.get("tiergate_dlq_records_total")).contains("topic");
        assertThat(series.keySet())
                .anyMatch(name -> name.endsWith("_seconds_count"))
                .anyMatch(name -> name.endsWith("_total"));
        assertThat(series).hasSizeGreaterThan(20);
    }

    @Test
    void aQueryOnAMisspeltMetricOrAnUnknownLabelIsReported() {
        Map<String, Set<String>> known = Map.of("tiergate_worker_cost_usd_total", Set.of("tier", "model"));
        assertThat(check(
                        "q",
                        "sum by (model) (rate(tiergate_worker_cost_usd_total[$__rate_interval]))",
                        "{{model}}",
                        known))
                .isEmpty();
        assertThat(check("q", "sum(rate(tiergate_worker_cost_total[5m]))", "", known))
                .singleElement()
                .asString()
                .contains("tiergate_worker_cost_total");
        assertThat(check("q", "sum by (cost_center) (tiergate_worker_cost_usd_total)", "", known))
                .singleElement()
                .asString()
                .contains("cost_center");
        assertThat(check("q", "tiergate_worker_cost_usd_total{tier=\"CLOUD\", region=\"eu\"}", "", known))
                .singleElement()
                .asString()
                .contains("region");
        assertThat(check("q", "sum(tiergate_worker_cost_usd_total)", "{{scope}}", known))
                .singleElement()
                .asString()
                .contains("scope");
        assertThat(check("q", "vector(0)", "", known))
                .singleElement()
                .asString()
                .contains("names no metric");
    }

    @Test
    void micrometerNamesBecomePrometheusNames() throws IOException {
        Path dir = Files.createTempDirectory("tiergate-meters-");
        try {
            Path source = dir.resolve("m/src/main/java/Example.java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, """
          class Example {
            void f(MeterRegistry meters, String t) {
              meters.counter("tiergate.local-worker.escalations", "reason", t).increment();
              Timer.builder("tiergate.router.decision.latency").publishPercentiles(0.5).register(meters);
              Gauge.builder("tiergate.router.reservations.outstanding.usd", this, x -> 1.0).baseUnit("usd").register(meters);
              Gauge.builder("tiergate.router.reservations", this, x -> 1.0).baseUnit("usd").tag("scope", t).register(meters);
              int previous = gauge(level, "tiergate.ledger.budget.level", t).getAndSet(1);
              meters.gauge("tiergate.worker.in.flight", List.of(Tag.of("tier", t)), this);
              registry.more().counter("tiergate.router.reservations.expired", List.of(Tag.of("tier", t)), this, x -> 1.0);
            }
            static final String HEADER = "tiergate.error.class";
            AtomicInteger gauge(Map<String, AtomicInteger> gauges, String name, String scope) {
              return gauges.computeIfAbsent(scope, s -> { AtomicInteger v = new AtomicInteger(); Gauge.builder(name, v, AtomicInteger::get).tag("scope", s).register(registry); return v; });
            }
          }
          """);
            Map<String, Set<String>> found = seriesRegisteredInCode(dir);
            assertThat(found.keySet())
                    .contains(
                            "tiergate_local_worker_escalations_total",
                            "tiergate_router_decision_latency_seconds",
                            "tiergate_router_decision_latency_seconds_count",
                            "tiergate_router_decision_latency_seconds_sum",
                            "tiergate_router_decision_latency_seconds_max",
                            "tiergate_router_reservations_outstanding_usd",
                            "tiergate_router_reservations_usd",
                            "tiergate_ledger_budget_level",
                            "tiergate_router_reservations_expired_total")
                    .noneMatch(name -> name.contains("error_class"));
            assertThat(found.get("tiergate_local_worker_escalations_total")).contains("reason");
            assertThat(found.get("tiergate_router_reservations_usd")).contains("scope");
            assertThat(found.get("tiergate_router_reservations_expired_total")).contains("tier");
            assertThat(found.get("tiergate_ledger_budget_level"))
                    .as("tags added by the helper")
                    .contains("scope");
            assertThat(found.get("tiergate_worker_in_flight")).contains("tier").doesNotContain("scope");
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---------- reading the code ----------

    /**
     * Every series name Prometheus will show for the meters registered in {@code root/<module>/src/main/java},
     * with the tag keys (and, as a harmless superset, other identifier-like literals) of their registrations.
     * A registration is a statement with a meter call ({@code counter(}, {@code Timer.builder(}, {@code gauge(} …)
     * before a {@code "tiergate.…"} literal; the nearest call decides the meter type.
     */
    static Map<String, Set<String>> seriesRegisteredInCode(Path root) throws IOException {
        Map<String, Set<String>> result = new TreeMap<>();
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(root)) {
            sources = walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().replace('\\', '/').contains("/src/main/java/"))
                    .toList();
        }
        for (Path source : sources) {
            String code =
                    Files.readString(source).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
            String[] statements = code.split(";");
            // tags added inside a helper that registers a meter under a name it is given (gauge(map, "name", scope))
            Set<String> helperLabels = new LinkedHashSet<>();
            for (String statement : statements) {
                if (METER_WITH_VARIABLE_NAME.matcher(statement).find()) {
                    helperLabels.addAll(labelCandidates(statement));
                }
            }
            for (String statement : statements) {
                Matcher literal = TIERGATE_LITERAL.matcher(statement);
                while (literal.find()) {
                    String kind = null;
                    boolean viaHelper = false;
                    String before = statement.substring(0, literal.start());
                    Matcher call = METER_CALL.matcher(before);
                    while (call.find()) {
                        kind = call.group(1).toLowerCase(Locale.ROOT);
                        viaHelper = call.group(2) == null
                                && (call.start() == 0
                                        || !before.substring(0, call.start()).endsWith("."));
                    }
                    if (kind == null) {
                        continue;
                    }
                    Set<String> labels = labelCandidates(statement);
                    if (viaHelper) {
                        labels.addAll(helperLabels);
                    }
                    Matcher unit = BASE_UNIT.matcher(statement);
                    String baseUnit = unit.find() ? unit.group(1) : null;
                    for (String name : prometheusNames(literal.group(1), kind, baseUnit)) {
                        result.computeIfAbsent(name, n -> new TreeSet<>()).addAll(labels);
                    }
                }
            }
        }
        return result;
    }

    private static Set<String> labelCandidates(String statement) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher strings = STRING_LITERAL.matcher(statement);
        while (strings.find()) {
            String value = strings.group(1);
            if (value.matches("[a-zA-Z_][a-zA-Z0-9_.]*") && !value.startsWith("tiergate.")) {
                labels.add(value.replace('.', '_'));
            }
        }
        return labels;
    }

    /** Micrometer's PrometheusNamingConvention: snake case, base unit on counters/gauges/summaries, _total, _seconds. */
    private static List<String> prometheusNames(String meterName, String kind, String baseUnit) {
        String base = meterName.replaceAll("[^a-zA-Z0-9_:]", "_");
        if (baseUnit != null && !kind.equals("timer") && !base.endsWith("_" + baseUnit)) {
            base = base + "_" + baseUnit;
        }
        return switch (kind) {
            case "counter" -> List.of(base.endsWith("_total") ? base : base + "_total");
            case "timer" -> {
                String seconds = base.endsWith("_seconds") ? base : base + "_seconds";
                yield List.of(seconds, seconds + "_count", seconds + "_sum", seconds + "_max", seconds + "_bucket");
            }
            case "summary" -> List.of(base, base + "_count", base + "_sum", base + "_max", base + "_bucket");
            default -> List.of(base);
        };
    }

    // ---------- reading a query ----------

    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"");
    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** What is wrong with one query: metrics the code does not register, labels those metrics do not carry. */
    static List<String> check(String where, String expr, String legend, Map<String, Set<String>> known) {
        List<String> problems = new ArrayList<>();
        Set<String> labels = new TreeSet<>();
        Matcher matcher = MATCHER.matcher(expr);
        while (matcher.find()) {
            labels.add(matcher.group(1));
        }
        String rest = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        Matcher grouping = GROUPING.matcher(rest);
        while (grouping.find()) {
            for (String label : grouping.group(2).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        rest = GROUPING.matcher(rest).replaceAll(" ");
        rest = rest.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ").replaceAll("\\$[a-zA-Z_]+", " ");
        Set<String> metrics = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String word = identifier.group();
            if (!PROMQL_WORDS.contains(word)) {
                metrics.add(word);
            }
        }
        Matcher legendLabel = LEGEND_LABEL.matcher(legend);
        while (legendLabel.find()) {
            labels.add(legendLabel.group(1));
        }
        if (metrics.isEmpty()) {
            problems.add(where + ": names no metric: " + expr);
        }
        Set<String> carried = new HashSet<>(STANDARD_LABELS);
        for (String metric : metrics) {
            Set<String> metricLabels = known.get(metric);
            if (metricLabels == null) {
                problems.add(where + ": " + metric + " is not registered by any module: " + expr);
            } else {
                carried.addAll(metricLabels);
            }
        }
        for (String label : labels) {
            if (!carried.contains(label)) {
                problems.add(where + ": label " + label + " is not a tag of " + metrics + ": " + expr);
            }
        }
        return problems;
    }

    // ---------- reading the dashboard ----------

    /** Panels with queries (rows' nested panels included). */
    private static List<JsonNode> panels(JsonNode dashboard) {
        return allPanels(dashboard).stream()
                .filter(p -> !p.path("type").asText().equals("row"))
                .toList();
    }

    private static List<JsonNode> allPanels(JsonNode dashboard) {
        List<JsonNode> result = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            result.add(panel);
            panel.path("panels").forEach(result::add);
        }
        return result;
    }
}
