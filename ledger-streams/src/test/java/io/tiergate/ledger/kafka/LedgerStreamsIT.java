package io.tiergate.ledger.kafka;

import static io.tiergate.ledger.support.CostEvents.cost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tiergate.ledger.api.LedgerViews;
import io.tiergate.ledger.budget.InvalidBudgetConfigException;
import io.tiergate.ledger.cli.BudgetAdmin;
import io.tiergate.ledger.cli.BudgetAdmin.BudgetRequest;
import io.tiergate.ledger.cli.CostWindowsTail;
import io.tiergate.ledger.cli.CostsExport;
import io.tiergate.ledger.support.CommittedReader;
import io.tiergate.ledger.support.CostEventProducer;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.TopicSnapshot;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WindowKind;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The service on the real broker with exactly-once: cost events in → windows and budget.status
 * out, read with read_committed; the Streams app is stopped mid-stream and started again on an
 * empty state directory (state restored from the changelogs), duplicates are re-sent across the
 * restart, and the totals still equal the sum of the inputs to the nano-dollar.
 *
 * <p>This class is the only producer of cost events in this test JVM, so the global scope's total
 * is exactly the sum of what it sent.
 */
class LedgerStreamsIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String REGISTRY = "mock://ledger-it-" + RUN;
    private static final String TEAM_A = "it-" + RUN + "-a";
    private static final String TEAM_B = "it-" + RUN + "-b";

    private static final String API_TOKEN = "ledger-it-token-" + RUN;

    private final String bootstrap = TestBrokers.shared().bootstrapServers();
    private EmbeddedServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.getApplicationContext().close();
        }
    }

    private EmbeddedServer start(String stateDir) {
        Map<String, Object> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", bootstrap);
        props.put("tiergate.schema-registry-url", REGISTRY);
        props.put("micronaut.server.port", -1);
        props.put("tiergate.http.api-token", API_TOKEN);
        props.put("kafka.streams.default.application.id", "ledger-it-" + RUN);
        props.put(
                "kafka.streams.default.state.dir",
                Path.of("target", "it-state", RUN, stateDir).toAbsolutePath().toString());
        props.put("kafka.streams.default.commit.interval.ms", "100");
        props.put("tiergate.ledger.status-interval", "500ms");
        // Streams members do not leave the group on close: the restarted instance would otherwise wait
        // the default 45 s session timeout before it gets the partitions back
        props.put("kafka.streams.default.session.timeout.ms", "6000");
        props.put("kafka.streams.default.heartbeat.interval.ms", "1000");
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    @Test
    void costEventsBecomeWindowsAndStatusExactlyOnceAcrossARestart() throws Exception {
        server = start("first");
        Instant now = Instant.now();
        List<CostEvent> sent = new ArrayList<>();
        try (CostEventProducer producer = new CostEventProducer(bootstrap, REGISTRY)) {
            try (BudgetAdmin admin = new BudgetAdmin(bootstrap, REGISTRY)) {
                // large enough that even the burst's burn rate forecasts no exhaustion today: NORMAL at any time of day
                admin.set(
                        BudgetRequest.of(TEAM_A, new BigDecimal("100000"), null).onExhausted(OnExhausted.DEFER),
                        "ledger test: a roomy budget");
            }
            producer.raw(
                    Topics.BUDGET_CONFIG.name(),
                    TEAM_B.getBytes(StandardCharsets.UTF_8),
                    "{\"daily\": -1}".getBytes(StandardCharsets.UTF_8));

            // first half, with redeliveries
            for (int i = 0; i < 400; i++) {
                CostEvent event = event(i, now);
                producer.send(event);
                sent.add(event);
                if (i % 7 == 0) {
                    producer.send(event);
                }
            }
            producer.flush();
            HttpClient http = HttpClient.create(server.getURL());
            await().atMost(Duration.ofSeconds(60)).until(() -> globalEvents(http) > 0);

            // stop mid-stream: the second half is produced while the ledger is down
            server.getApplicationContext().close();
            http.close();
            for (int i = 400; i < 800; i++) {
                CostEvent event = event(i, now);
                producer.send(event);
                sent.add(event);
            }
            producer.flush();

            // start again on an empty state directory: stores come back from their changelogs
            server = start("second");
            for (int i = 0; i < 800; i += 5) {
                producer.send(sent.get(i)); // redeliveries of both halves after the restart
            }
            producer.flush();
        }

        Map<String, BigDecimal> expected = new HashMap<>();
        for (CostEvent event : sent) {
            expected.merge(event.getCostCenter(), event.getCostUsd(), Money::sum);
            expected.merge(Topics.GLOBAL_SCOPE, event.getCostUsd(), Money::sum);
        }

        try (HttpClient http = HttpClient.create(server.getURL())) {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> globalEvents(http) >= sent.size());
            LedgerViews.Totals totals = http.toBlocking().retrieve(authed("/ledger/totals"), LedgerViews.Totals.class);
            assertThat(totals.costEvents()).isEqualTo(sent.size());
            assertThat(totals.totalUsd())
                    .isEqualTo(expected.get(Topics.GLOBAL_SCOPE).toPlainString());
            Map<String, String> byScope = new HashMap<>();
            totals.scopes().forEach(s -> byScope.put(s.scope(), s.spendUsd()));
            assertThat(byScope.get(TEAM_A)).isEqualTo(expected.get(TEAM_A).toPlainString());
            assertThat(byScope.get(TEAM_B)).isEqualTo(expected.get(TEAM_B).toPlainString());

            // analysts' topic, committed data only: the latest DAY window per key adds up exactly
            try (CommittedReader<CostWindow> windows =
                    new CommittedReader<>(bootstrap, REGISTRY, Topics.COST_WINDOWS.name(), CostWindow.class)) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Map<String, CostWindow> latest = new LinkedHashMap<>();
                    for (ConsumerRecord<String, CostWindow> record : windows.poll()) {
                        latest.put(record.key(), record.value());
                    }
                    for (String scope : List.of(TEAM_A, TEAM_B, Topics.GLOBAL_SCOPE)) {
                        BigDecimal published = latest.values().stream()
                                .filter(w -> w.getWindowKind() == WindowKind.DAY
                                        && w.getScope().equals(scope))
                                .map(CostWindow::getSpendUsd)
                                .reduce(Money.ZERO, Money::sum);
                        assertThat(published).as("DAY windows of " + scope).isEqualTo(expected.get(scope));
                    }
                });
            }

            // the router's topic: TEAM_A's budget status with its spend of the running day
            try (CommittedReader<BudgetStatus> statuses =
                    new CommittedReader<>(bootstrap, REGISTRY, Topics.BUDGET_STATUS.name(), BudgetStatus.class)) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    BudgetStatus last = null;
                    for (ConsumerRecord<String, BudgetStatus> record : statuses.poll()) {
                        if (record.key().equals(TEAM_A)) {
                            last = record.value();
                        }
                    }
                    assertThat(last).isNotNull();
                    assertThat(last.getDailyLimitUsd()).isEqualTo(Money.usd("100000"));
                    assertThat(last.getDailySpendUsd()).isEqualTo(spentOn(sent, TEAM_A, last.getPeriodDayStart()));
                    assertThat(last.getLevel()).isEqualTo(BudgetLevel.NORMAL);
                });
            }

            // the rejected budget went to its dead-letter twin, committed
            assertThat(deadLetterKeys()).contains(TEAM_B);

            // the HTTP API answers
            LedgerViews.Spend spend = http.toBlocking()
                    .retrieve(authed("/ledger/spend?scope=" + TEAM_A + "&period=month"), LedgerViews.Spend.class);
            assertThat(spend.limitUsd()).isNull();
            assertThat(http.toBlocking().retrieve(authed("/ledger/status"), String.class))
                    .contains(TEAM_A);
            assertThat(http.toBlocking()
                            .retrieve(authed("/ledger/windows?scope=" + TEAM_B + "&kind=HOUR"), String.class))
                    .contains("\"scope\":\"" + TEAM_B + "\"");
            assertThat(http.toBlocking().retrieve(authed("/ledger/rework"), String.class))
                    .contains("\"taskType\":\"CODE_REVIEW\"")
                    .contains("reworkSpendUsd");
            assertThat(http.toBlocking().retrieve(authed("/health"), String.class))
                    .contains("\"status\":\"UP\"");
            assertThat(http.toBlocking().retrieve(authed("/dashboard/index.html"), String.class))
                    .containsIgnoringCase("<html");
            assertThat(http.toBlocking().retrieve(authed("/prometheus"), String.class))
                    .contains("tiergate_ledger_status_published_total")
                    .contains("tiergate_ledger_duplicates_total")
                    .contains("tiergate_ledger_budget_level{scope=\"" + TEAM_A + "\"}");

            // the CLI's helpers against the running ledger
            cliHelpersWork(expected);
        }
    }

    private void cliHelpersWork(Map<String, BigDecimal> expected) throws Exception {
        String teamC = "it-" + RUN + "-c";
        try (BudgetAdmin admin = new BudgetAdmin(bootstrap, REGISTRY)) {
            assertThat(admin.show(TEAM_A))
                    .get()
                    .satisfies(c -> assertThat(c.getOnExhausted()).isEqualTo(OnExhausted.DEFER));
            assertThat(admin.show(TEAM_B)).as("its only record was rejected").isEmpty();
            assertThatThrownBy(() -> admin.set(BudgetRequest.of(teamC, new BigDecimal("-1"), null), "negative"))
                    .isInstanceOf(InvalidBudgetConfigException.class)
                    .hasMessageStartingWith("dailyLimitUsd:");

            admin.set(
                    BudgetRequest.of(teamC, new BigDecimal("5"), new BigDecimal("50"))
                            .timezone("Europe/Berlin"),
                    "ledger test: team C starts");
            assertThat(admin.show(teamC))
                    .get()
                    .satisfies(c -> assertThat(c.getTimezone()).isEqualTo("Europe/Berlin"));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(admin.status(teamC))
                            .get()
                            .satisfies(s -> assertThat(s.getDailyLimitUsd()).isEqualTo(Money.usd("5"))));
            assertThat(BudgetAdmin.describe(
                            admin.show(teamC).orElseThrow(), admin.status(teamC).orElseThrow()))
                    .contains("daily limit:    5.000000000 USD")
                    .contains("level:          NORMAL");

            admin.remove(teamC, "ledger test: team C ends");
            assertThat(admin.show(teamC)).isEmpty();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(admin.status(teamC))
                            .get()
                            .satisfies(s -> assertThat(s.getDailyLimitUsd()).isNull()));
            assertThat(admin.list()).containsKey(TEAM_A).doesNotContainKey(teamC);
        }

        try (CostWindowsTail tail = new CostWindowsTail(bootstrap, REGISTRY, true)) {
            List<CostWindow> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                seen.addAll(tail.poll(Duration.ofMillis(200)));
                return seen.stream().anyMatch(w -> w.getScope().equals(TEAM_A));
            });
            CostWindow window = seen.stream()
                    .filter(w -> w.getScope().equals(TEAM_A))
                    .findFirst()
                    .orElseThrow();
            assertThat(CostWindowsTail.format(window)).contains(TEAM_A).contains("spend=");
            assertThat(tail.skipped()).isZero();
        }

        CostsExport export = new CostsExport(server.getURI(), API_TOKEN);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        StringWriter teamA = new StringWriter();
        int rows = export.writeDailyCsv(today.minusDays(1), today, TEAM_A, teamA);
        assertThat(rows).isPositive();
        assertThat(teamA.toString()).startsWith(CostsExport.HEADER + "\n");
        assertThat(csvSpend(teamA.toString())).isEqualTo(expected.get(TEAM_A));
        StringWriter everyone = new StringWriter();
        export.writeDailyCsv(today.minusDays(1), today, null, everyone);
        assertThat(csvSpend(everyone.toString()))
                .as("cost centers only: no double counting")
                .isEqualTo(expected.get(Topics.GLOBAL_SCOPE));
    }

    /** A GET with the ledger API's token. */
    private static MutableHttpRequest<?> authed(String uri) {
        return HttpRequest.GET(uri).bearerAuth(API_TOKEN);
    }

    @Test
    void theApiAnswers401WithoutItsTokenAndTheServerIsNotReachableOnANonLoopbackAddress() throws Exception {
        server = start("http");
        // not waiting for the stores: the token is checked before anything is asked of them
        java.net.http.HttpClient plain = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of(
                "/ledger/totals", "/ledger/status", "/ledger/windows", "/ledger/spend?scope=x", "/ledger/backends")) {
            java.net.http.HttpResponse<String> anonymous = plain.send(
                    java.net.http.HttpRequest.newBuilder(server.getURI().resolve(path))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.body()).contains("send 'Authorization: Bearer <token>'");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tiergate\"");
            java.net.http.HttpResponse<String> wrong = plain.send(
                    java.net.http.HttpRequest.newBuilder(server.getURI().resolve(path))
                            .header("Authorization", "Bearer not-" + API_TOKEN)
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
            assertThat(wrong.body()).contains("the token does not match");
        }
        java.net.http.HttpResponse<String> withToken = plain.send(
                java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/ledger/status"))
                        .header("Authorization", "Bearer " + API_TOKEN)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode())
                .as("with the token: answered (503 while the stores start)")
                .isIn(200, 503);

        // the dashboard's simulated-backends notice: served with the token (the follower runs beside the topology)
        java.net.http.HttpResponse<String> backends = plain.send(
                java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/ledger/backends"))
                        .header("Authorization", "Bearer " + API_TOKEN)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(backends.statusCode()).isEqualTo(200);
        // which calls it has seen depends on what other tests left on the shared broker: only the shape is checked
        assertThat(backends.body()).startsWith("{\"simulated\":");

        // /health: status for anyone, the indicators' details only with the token
        String anonymousHealth = plain.send(
                        java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/health"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(anonymousHealth).contains("\"status\"").doesNotContain("\"details\"");
        String authenticatedHealth = plain.send(
                        java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/health"))
                                .header("Authorization", "Bearer " + API_TOKEN)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(authenticatedHealth).contains("\"details\"");

        // bound to loopback by default: the port is closed on every other address of this machine
        int port = server.getPort();
        assertThat(InetAddress.getByName(server.getHost()).isLoopbackAddress())
                .as("bound to %s", server.getHost())
                .isTrue();
        List<InetAddress> others = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .toList();
        Assumptions.assumeFalse(others.isEmpty(), "this machine has no non-loopback address");
        for (InetAddress address : others) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 2_000))
                        .as("port %d on %s", port, address)
                        .isInstanceOf(ConnectException.class);
            }
        }
        Socket loopback = new Socket();
        loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        loopback.close();
    }

    private static BigDecimal csvSpend(String csv) {
        return csv.lines()
                .skip(1)
                .map(line -> new BigDecimal(line.split(",")[5]))
                .reduce(Money.ZERO, Money::sum);
    }

    private static long globalEvents(HttpClient http) {
        try {
            return http.toBlocking()
                    .retrieve(authed("/ledger/totals"), LedgerViews.Totals.class)
                    .costEvents();
        } catch (RuntimeException notYet) {
            return -1; // 503 while the stores restore
        }
    }

    private List<String> deadLetterKeys() {
        KafkaClientSettings client = new KafkaClientSettings(bootstrap, REGISTRY, "ledger-it");
        List<String> keys = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            keys.clear();
            TopicSnapshot.readAll(
                            client,
                            ReadSpec.of("dlq-" + UUID.randomUUID()).topic(Topics.BUDGET_CONFIG.dlq()),
                            Duration.ofSeconds(30))
                    .forEach(r -> keys.add(r.key()));
            return keys.contains(TEAM_B);
        });
        return keys;
    }

    private static BigDecimal spentOn(List<CostEvent> sent, String scope, Instant dayStart) {
        Instant dayEnd = dayStart.plus(Duration.ofDays(1));
        return sent.stream()
                .filter(e -> e.getCostCenter().equals(scope) && e.getTier() != Tier.LOCAL)
                .filter(e -> !e.getOccurredAt().isBefore(dayStart)
                        && e.getOccurredAt().isBefore(dayEnd))
                .map(CostEvent::getCostUsd)
                .reduce(Money.ZERO, Money::sum);
    }

    /** A varied, deterministic cost event: two teams, cloud and local, some rework, nano-dollar amounts. */
    private static CostEvent event(int i, Instant now) {
        return cost("it-" + RUN + "-" + i)
                .attempt(1 + i % 3)
                .costCenter(i % 3 == 0 ? TEAM_B : TEAM_A)
                .taskType(TaskType.values()[i % 9])
                .tier(i % 4 == 0 ? Tier.LOCAL : Tier.CLOUD)
                .model(i % 4 == 0 ? "qwen3:8b" : "anthropic/claude-haiku-4.5")
                .reason(i % 3 == 0 ? CostReason.PRIMARY : i % 3 == 1 ? CostReason.RETRY : CostReason.ESCALATION)
                .usd(BigDecimal.valueOf(1_000_003L * (i + 1), Money.SCALE))
                .at(now.minusMillis(i * 10L))
                .build();
    }
}
