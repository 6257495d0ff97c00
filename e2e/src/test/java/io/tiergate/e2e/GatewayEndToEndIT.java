package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tiergate.cli.demo.LedgerClient;
import io.tiergate.cli.demo.PipelineTracker;
import io.tiergate.cli.demo.PipelineTracker.RequestState;
import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.gateway.kafka.KeyAdmin;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of the real system (broker process, registry, the five services and the
 * gateway as their own JVMs, simulated backends), driven by the official OpenAI Java SDK: every
 * call is classified, routed, billed and counted like a producer's request; the ledger's total for
 * the key's cost center equals the sum of the costs the client saw; a sovereign header or sensitive
 * data in an earlier turn keeps a request off the cloud tier topic.
 */
class GatewayEndToEndIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Services on 8291-8295 and the gateway on 8280: apart from a demo and from EndToEndIT. */
    private static final int PORT_OFFSET = 200;

    private static LocalStack stack;

    @BeforeAll
    static void startTheSystem() {
        StackOptions options = new StackOptions(
                ROOT,
                ROOT.resolve("e2e/target/gateway-e2e-data"),
                Optional.empty(),
                Optional.empty(),
                19192,
                18181,
                3,
                true,
                ServiceSpec.ALL,
                PORT_OFFSET);
        stack = LocalStack.start(options, System.out, SimulatedBackends.env());
    }

    @AfterAll
    static void stopTheSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void gatewayCallsAreBilledExactlyAndSovereigntyHolds() throws Exception {
        String costCenter = "gw-e2e-" + UUID.randomUUID().toString().substring(0, 6);
        String gatewayUrl = stack.service("gateway").orElseThrow().spec().baseUrl();
        LedgerClient ledger = new LedgerClient(
                stack.service("ledger-streams").orElseThrow().spec().baseUrl(), stack.apiToken());
        String token;
        try (KeyAdmin keys = new KeyAdmin(stack.bootstrapServers(), stack.registryUrl())) {
            token = keys.create(costCenter, "e2e", null, false).token();
        }
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(gatewayUrl + "/v1")
                .apiKey(token)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(60))
                .build();
        await("the gateway knows the key")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> !client.models().list().data().isEmpty());

        try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), "gw-")) {
            List<String> all = new ArrayList<>();
            List<String> sovereign = new ArrayList<>();
            BigDecimal seen = BigDecimal.ZERO;
            for (int i = 0; i < 12; i++) {
                ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                        .model("tiergate/auto")
                        .addSystemMessage("You are a senior engineer.");
                boolean sensitive = i % 4 == 1;
                params.addUserMessage(
                        sensitive
                                ? "Please wire the refund to DE89 3704 0044 0532 0130 00 today."
                                : "We are planning a billing platform for 40 teams.");
                params.addAssistantMessage("Understood.");
                params.addUserMessage(
                        i % 2 == 0
                                ? "Review this diff for regressions:\n- if (a > b) {\n+ if (a >= b) {\n  charge(a);"
                                : "Design the module boundaries and the event flow for it, with trade-offs.");
                ChatCompletionCreateParams request = params.build();
                OpenAIClient caller =
                        i % 4 == 2 ? client.withOptions(o -> o.putHeader("x-tiergate-sovereign", "true")) : client;
                HttpResponseFor<ChatCompletion> raw =
                        caller.chat().completions().withRawResponse().create(request);
                ChatCompletion completion = raw.parse();
                String id = raw.headers().values("x-tiergate-request-id").get(0);
                all.add(id);
                if (sensitive || i % 4 == 2) {
                    sovereign.add(id);
                    assertThat(raw.headers().values("x-tiergate-tier")).as(id).containsExactly("LOCAL");
                }
                assertThat(completion.choices().get(0).message().content()).isPresent();
                seen = seen.add(
                        new BigDecimal(tiergate(completion).get("cost_usd").toString()));
            }

            await("the pipeline saw every request with one result")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> all.stream().allMatch(id -> {
                        RequestState s = tracker.requests().get(id);
                        return s != null && s.results.size() == 1;
                    }));
            Map<String, RequestState> states = tracker.requests();
            BigDecimal billed = BigDecimal.ZERO;
            for (String id : all) {
                RequestState s = states.get(id);
                assertThat(s.classified.getRequest().getCostCenter()).isEqualTo(costCenter);
                assertThat(s.classified.getRequest().getMessages()).hasSize(4);
                billed = billed.add(s.cost());
            }
            for (String id : sovereign) {
                assertThat(states.get(id).tiersSeen)
                        .as("tier topics of sovereign %s", id)
                        .containsExactly("LOCAL");
            }
            assertThat(billed).as("cost events billed").isEqualByComparingTo(seen);
            BigDecimal clientSaw = seen;
            await("the ledger counts what the client saw, exactly")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> ledger.totalUsd(costCenter)
                            .map(t -> t.compareTo(clientSaw) == 0)
                            .orElse(false));
            System.out.printf(
                    "[gateway-e2e] %d calls, %d sovereign, client saw $%s, ledger $%s%n",
                    all.size(),
                    sovereign.size(),
                    seen.toPlainString(),
                    ledger.totalUsd(costCenter).orElseThrow());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tiergate(ChatCompletion completion) {
        JsonValue ext = completion.usage().orElseThrow()._additionalProperties().get("tiergate");
        return ext.convert(Map.class);
    }
}
