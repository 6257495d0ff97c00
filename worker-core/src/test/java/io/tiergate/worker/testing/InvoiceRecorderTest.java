package io.tiergate.worker.testing;

import static io.tiergate.worker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.testkit.invoice.ProviderInvoice;
import io.tiergate.testkit.invoice.ProviderInvoice.Call;
import io.tiergate.worker.testing.FakeModelServer.Ending;
import io.tiergate.worker.testing.FakeModelServer.Reply;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake providers charge what they serve, by the protocol's own usage, and write it as a usage export. */
class InvoiceRecorderTest {

    private static final Instant SERVED = Instant.parse("2026-11-22T10:00:00Z");

    private final InvoiceRecorder recorder = new InvoiceRecorder(
            PriceTable.loadDefault(),
            Map.of(
                    "claude-sonnet-4-6",
                    "anthropic/claude-sonnet-4.6",
                    "claude-haiku-4-5",
                    "anthropic/claude-haiku-4.5"),
            Clock.fixed(SERVED, ZoneOffset.UTC));
    private final FakeModelServer server = new FakeModelServer().invoicing(recorder);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        server.close();
    }

    private void call(String path) {
        try {
            http.send(
                    HttpRequest.newBuilder(server.baseUrl().resolve(path))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // a cut connection: the client sees an error, the provider has served (and charged) the call
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void openRouterRepliesAreChargedTheCostTheyReport() {
        server.on("POST", "/json", Reply.json(200, fixture("openrouter/chat-completion.json")))
                .on("POST", "/sse", Reply.sse(fixture("openrouter/chat-completion-stream.sse")));
        call("/json");
        call("/sse");
        assertThat(recorder.invoice().calls())
                .containsExactly(
                        new Call(SERVED, "anthropic/claude-sonnet-4.6", 5000, 0, 0, 800, new BigDecimal("0.02835")),
                        // prompt_tokens 3000 include 2000 cached reads and 500 cache writes
                        new Call(
                                SERVED,
                                "anthropic/claude-haiku-4.5",
                                500,
                                2000,
                                500,
                                120,
                                new BigDecimal("0.00123456789")));
    }

    @Test
    void anthropicRepliesAreChargedTheirTokensAtThePriceTablesPrices() {
        server.on("POST", "/json", Reply.json(200, fixture("anthropic/message.json")))
                .on("POST", "/sse", Reply.sse(fixture("anthropic/message-stream.sse")));
        call("/json");
        call("/sse");
        assertThat(recorder.invoice().calls())
                .containsExactly(
                        // 2095 × $3 + 503 × $15 + 2051 cache writes × $3.75 per million
                        new Call(SERVED, "claude-sonnet-4-6", 2095, 0, 2051, 503, new BigDecimal("0.021521250")),
                        // 25 × $1 + 4000 cache reads × $0.10 + 15 × $5 per million (message_delta's cumulative output)
                        new Call(SERVED, "claude-haiku-4-5", 25, 4000, 0, 15, new BigDecimal("0.000500000")));
    }

    @Test
    void aReplyCutMidBodyIsChargedAndErrorsAndLocalRepliesAreNot() {
        server.on(
                        "POST",
                        "/cut",
                        Reply.json(200, fixture("openrouter/chat-completion.json"))
                                .endingWith(Ending.CUT_CONNECTION))
                .on("POST", "/429", Reply.json(429, fixture("openrouter/error-429.json")))
                .on("POST", "/ollama", Reply.json(200, fixture("ollama/chat.json")));
        call("/cut");
        call("/429");
        call("/ollama");
        assertThat(recorder.invoice().calls()).extracting(Call::costUsd).containsExactly(new BigDecimal("0.02835"));
        assertThat(recorder.invoice().export(ProviderInvoice.Format.OPENROUTER))
                .isEqualTo(
                        "date,model,model_permaslug,endpoint_id,provider_name,usage,byok_usage_inference,requests,"
                                + "prompt_tokens,completion_tokens,reasoning_tokens\n"
                                + "2026-11-22,anthropic/claude-sonnet-4.6,anthropic/claude-sonnet-4.6,,,0.02835,0,1,5000,800,0\n");
    }

    @Test
    void aServedModelWithoutAPriceIsReportedNotChargedAsZero() {
        server.on("POST", "/json", Reply.json(200, fixture("openai/chat-completion.json")));
        call("/json");
        assertThatThrownBy(recorder::invoice)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no price for served model");
    }
}
