package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import io.tiergate.testkit.invoice.ProviderInvoice;
import io.tiergate.testkit.invoice.ProviderInvoice.Call;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code costs reconcile} end to end on the real in-JVM broker: cost events published to {@code
 * inference.costs} as workers publish them (with a redelivery, a local call, a simulated call and
 * another provider's call the comparison must leave out), an invoice written by the test providers'
 * {@link ProviderInvoice}, and the command run in-process.
 */
class ReconcileCommandIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String REGISTRY = "mock://reconcile-it-" + RUN;
    /** Every run's events carry their own provider label, so events other tests left on the shared topic stay out. */
    private static final String PROVIDER = "it-openrouter-" + RUN;

    private static final String SONNET = "anthropic/claude-sonnet-4.6";
    private static final String HAIKU = "anthropic/claude-haiku-4.5";
    private static final Instant DAY1 = Instant.parse("2025-01-15T10:00:00Z");
    private static final Instant DAY1_LATE = Instant.parse("2025-01-15T23:59:59.999Z");
    private static final Instant DAY2 = Instant.parse("2025-01-16T00:00:00Z");

    private static String bootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void publishTheLedgersCostEvents() throws Exception {
        bootstrap = TestBrokers.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, topic -> 3, (short) 1).ensureAll();
        }
        List<CostEvent> events = List.of(
                cost("a", 1, SONNET, "0.028350000", 5000, 800, DAY1),
                cost("a", 2, SONNET, "0.010000000", 1000, 100, DAY1_LATE), // a retry the provider did not bill
                cost("a", 1, SONNET, "9.000000000", 1, 1, DAY1), // redelivery of attempt 1: the first copy counts
                cost("b", 1, HAIKU, "0.001234568", 3000, 120, DAY1),
                cost("c", 1, SONNET, "0.050000000", 2000, 3000, DAY2),
                CostEvent.newBuilder(cost("d", 1, "qwen3:8b", "0.000100000", 10, 10, DAY1))
                        .setTier(Tier.LOCAL)
                        .build(),
                CostEvent.newBuilder(cost("e", 1, SONNET, "1.000000000", 10, 10, DAY1))
                        .setSimulated(true)
                        .build(),
                CostEvent.newBuilder(cost("f", 1, SONNET, "2.000000000", 10, 10, DAY1))
                        .setProvider("anthropic")
                        .build());
        try (EventPublisher publisher =
                new EventPublisher(new KafkaClientSettings(bootstrap, REGISTRY, "reconcile-it"))) {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (CostEvent e : events) {
                sends.add(publisher.send(Topics.INFERENCE_COSTS, e.getRequestId(), e));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get();
        }
    }

    /** What the test provider served: the calls the ledger booked, without the unbilled retry. */
    private static ProviderInvoice charged() {
        ProviderInvoice invoice = new ProviderInvoice();
        invoice.record(new Call(DAY1, SONNET, 5000, 0, 0, 800, new BigDecimal("0.02835")));
        invoice.record(new Call(DAY1.plusSeconds(60), HAIKU, 3000, 0, 0, 120, new BigDecimal("0.001234568")));
        invoice.record(new Call(DAY2, SONNET, 2000, 0, 0, 3000, new BigDecimal("0.05")));
        return invoice;
    }

    private Cli.Run reconcile(Path invoice, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "costs",
                "reconcile",
                "--invoice",
                invoice.toString(),
                "--provider",
                PROVIDER,
                "--bootstrap",
                bootstrap,
                "--registry-url",
                REGISTRY));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void aLedgerThatBookedEverythingTheProviderChargedPassesWithTheRetryAsItsDifference() {
        Path invoice = charged().write(ProviderInvoice.Format.OPENROUTER, dir.resolve("activity.csv"));

        Cli.Run run = reconcile(invoice);

        assertThat(run.exitCode()).as("stderr:%n%s", run.err()).isZero();
        assertThat(run.out())
                .has(row(
                        "2025-01-15",
                        HAIKU,
                        "0.001234568",
                        "0.001234568",
                        "0.000000000",
                        "3000/120",
                        "3000/120",
                        "1/1"))
                .has(row(
                        "2025-01-15",
                        SONNET,
                        "0.038350000",
                        "0.028350000",
                        "0.010000000",
                        "6000/900",
                        "5000/800",
                        "2/1"))
                .has(row(
                        "2025-01-16",
                        SONNET,
                        "0.050000000",
                        "0.050000000",
                        "0.000000000",
                        "2000/3000",
                        "2000/3000",
                        "1/1"))
                .has(row("total", "", "0.089584568", "0.079584568", "0.010000000", "11000/4020", "10000/3920", "4/3"))
                .contains("verdict: OK, ledger $0.089584568 >= invoice $0.079584568 (ledger above by $0.010000000)");
        assertThat(run.err())
                .contains("OpenRouter activity export, 3 rows; comparing 2025-01-15 to 2025-01-16, provider '"
                        + PROVIDER + "'")
                .contains("4 cloud cost events counted; left out: 1 duplicates")
                .contains("1 local, 1 simulated, 1 other providers");
    }

    @Test
    void aLedgerBelowTheInvoiceFailsWithExitCodeOneAndTheShortfall() {
        ProviderInvoice invoice = charged();
        // the provider charged a call the ledger never heard of (a worker that died before its transaction committed)
        invoice.record(new Call(DAY2.plusSeconds(5), HAIKU, 400, 0, 0, 50, new BigDecimal("0.07")));
        Path file = invoice.write(ProviderInvoice.Format.OPENROUTER, dir.resolve("activity.csv"));

        Cli.Run run = reconcile(file);

        assertThat(run.exitCode()).as("stderr:%n%s", run.err()).isEqualTo(1);
        assertThat(run.out())
                .has(row("2025-01-16", HAIKU, "0.000000000", "0.070000000", "-0.070000000", "0/0", "400/50", "0/1"))
                .contains("verdict: SHORT, ledger $0.089584568 < invoice $0.149584568 (ledger below by $0.060000000);"
                        + " 1 day(s) x model(s) below the invoice");
    }

    @Test
    void csvOutputHasTheSameNumbersAndTheVerdictOnStderr() {
        Path invoice = charged().write(ProviderInvoice.Format.OPENROUTER, dir.resolve("activity.csv"));

        Cli.Run run = reconcile(invoice, "--csv", "--from", "2025-01-16", "--to", "2025-01-16");

        assertThat(run.exitCode()).as("stderr:%n%s", run.err()).isZero();
        assertThat(run.out())
                .isEqualTo(
                        "day,model,ledger_cost_usd,invoice_cost_usd,difference_usd,invoice_cost_from,ledger_input_tokens,"
                                + "invoice_input_tokens,ledger_output_tokens,invoice_output_tokens,ledger_calls,invoice_requests\n"
                                + "2025-01-16,anthropic/claude-sonnet-4.6,0.050000000,0.050000000,0.000000000,invoice,2000,2000,3000,3000,1,1\n"
                                + "total,,0.050000000,0.050000000,0.000000000,invoice,2000,2000,3000,3000,1,1\n");
        assertThat(run.err()).contains("verdict: OK, ledger $0.050000000 >= invoice $0.050000000");
    }

    @Test
    void anAnthropicExportIsPricedWithThePriceTableAndItsModelNamesMapped() {
        ProviderInvoice invoice = new ProviderInvoice();
        // Anthropic's own name for the model; 2000 input + 3000 output at $3 / $15 per million = $0.051
        invoice.record(new Call(DAY2, "claude-sonnet-4-6-20260217", 2000, 0, 0, 3000, new BigDecimal("0.051")));
        Path file = invoice.write(ProviderInvoice.Format.ANTHROPIC, dir.resolve("anthropic.csv"));

        Cli.Run run = reconcile(file);

        assertThat(run.exitCode())
                .as("stdout:%n%s%nstderr:%n%s", run.out(), run.err())
                .isEqualTo(1);
        assertThat(run.out())
                .has(row(
                        "2025-01-16",
                        SONNET,
                        "0.050000000",
                        "0.051000000*",
                        "-0.001000000",
                        "2000/3000",
                        "2000/3000",
                        "1/0"))
                .contains("* invoice cost priced from the export's tokens with price table")
                .contains("verdict: SHORT, ledger $0.050000000 < invoice $0.051000000 (ledger below by $0.001000000)");
    }

    @Test
    void aMalformedInvoiceIsBadInputBeforeAnyBrokerIsAsked() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "date,model,usage,prompt_tokens,completion_tokens\n2025-01-15,m,0.1,10,twenty\n");

        Cli.run("costs", "reconcile", "--invoice", file.toString(), "--bootstrap", "127.0.0.1:1")
                .failsWith("tiergate: " + file + ":2:21: completion_tokens: 'twenty' is not a whole number");
    }

    /** A line of the table: these cells in order, separated by the table's padding (two spaces or more). */
    private static Condition<String> row(String... cells) {
        String regex =
                String.join(" {2,}", Arrays.stream(cells).map(Pattern::quote).toList());
        Pattern line = Pattern.compile("(?m)^" + regex + "$");
        return new Condition<>(text -> line.matcher(text).find(), "a table line %s", String.join(" | ", cells));
    }

    private static CostEvent cost(
            String request, int attempt, String model, String usd, long input, long output, Instant at) {
        BigDecimal amount = Money.usd(usd);
        return CostEvent.newBuilder()
                .setRequestId("reconcile-it-" + RUN + "-" + request)
                .setAttempt(attempt)
                .setCostCenter("team-a")
                .setTaskType(TaskType.CODE_REVIEW)
                .setTier(Tier.CLOUD)
                .setModel(model)
                .setProvider(PROVIDER)
                .setReason(attempt == 1 ? CostReason.PRIMARY : CostReason.RETRY)
                .setInputTokens(input)
                .setOutputTokens(output)
                .setCostUsd(amount)
                .setBreakdown(CostBreakdown.newBuilder()
                        .setSource(CostSource.PROVIDER_REPORTED)
                        .setInputUsd(amount)
                        .setOutputUsd(Money.ZERO)
                        .setCachedReadUsd(Money.ZERO)
                        .setCacheWriteUsd(Money.ZERO)
                        .setEnergyUsd(Money.ZERO)
                        .setDepreciationUsd(Money.ZERO)
                        .setMaintenanceUsd(Money.ZERO)
                        .build())
                .setLatencyMs(100)
                .setOccurredAt(at)
                .build();
    }
}
