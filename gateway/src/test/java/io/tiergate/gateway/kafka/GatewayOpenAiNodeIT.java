package io.tiergate.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.tiergate.gateway.keys.VirtualKeys;
import io.tiergate.gateway.stream.StreamingCalls;
import io.tiergate.schemas.events.ChatMessage;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.testkit.NodeScript;
import io.tiergate.testkit.TestBrokers;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway driven by the official OpenAI npm SDK ({@code openai}, pinned in
 * gateway/src/test/node/package-lock.json): a plain completion, a stream with usage, a tool round
 * trip (tools, an assistant tool call and the tool's result), and the error mapping. Skipped, with
 * a message, only when {@code node} or the package is missing (install with
 * gateway/src/test/node/install.sh; CI does, .ci/install.d/20-gateway-node.sh).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayOpenAiNodeIT implements TestPropertyProvider {

    static final String REGISTRY = "mock://gateway-node-it";

    /** The official npm client's script, shared with e2e's stack tests. */
    private static final NodeScript CLIENT =
            new NodeScript(Path.of(System.getProperty("basedir", ".")).resolve("src/test/node"), "openai-client.mjs");

    @Inject
    EmbeddedServer server;

    @Inject
    VirtualKeys keys;

    @Inject
    StreamingCalls streams;

    private final String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
    private ScriptedPipeline pipeline;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers",
                TestBrokers.shared().bootstrapServers(),
                "tiergate.schema-registry-url",
                REGISTRY,
                "micronaut.server.port",
                "-1");
    }

    @BeforeEach // not @BeforeAll: surefire then reports the test as skipped, with the reason
    void requireNode() {
        Optional<String> missing = CLIENT.missing("openai");
        Assumptions.assumeTrue(missing.isEmpty(), () -> "Skipped: " + missing.orElseThrow());
        if (pipeline == null) {
            pipeline = new ScriptedPipeline(TestBrokers.shared().bootstrapServers(), REGISTRY, suffix);
            pipeline.firstPieceOut = streams::relaying; // the rest follows once the gateway relayed the first piece
            pipeline.lastPieceOut = streams::relayedLastChunk; // and the result once it relayed the last
        }
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void theOfficialNpmClientCompletesStreamsCallsToolsAndGetsOpenAiErrors() throws Exception {
        String key;
        String rejected;
        String streamFail;
        try (KeyAdmin admin = new KeyAdmin(TestBrokers.shared().bootstrapServers(), REGISTRY)) {
            key = admin.create("node" + suffix, "node", null, false).token();
            rejected = admin.create("reject-node" + suffix, "node", null, false).token();
            streamFail = admin.create("streamfail-node" + suffix, "node", null, false)
                    .token();
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> keys.authenticate("Bearer " + rejected).caller().isPresent()
                        && keys.authenticate("Bearer " + streamFail).caller().isPresent());

        JsonNode out = runNode(server.getURL() + "/v1", key, rejected, streamFail);

        JsonNode plain = out.get("plain");
        assertThat(plain.get("content").asText()).isEqualTo("echo(4 turns): What is my name?");
        assertThat(plain.get("finishReason").asText()).isEqualTo("stop");
        assertThat(plain.at("/usage/total_tokens").asInt()).isEqualTo(49);
        assertThat(plain.at("/usage/tiergate/cost_usd").asText()).isEqualTo(ScriptedPipeline.COST.toPlainString());
        assertThat(plain.get("costHeader").asText()).isEqualTo(ScriptedPipeline.COST.toPlainString());
        InferenceRequest sent = pipeline.received.get(plain.get("requestId").asText());
        assertThat(sent.getMaxOutputTokens()).isEqualTo(64);
        assertThat(sent.getMessages()).hasSize(4);

        JsonNode stream = out.get("stream");
        assertThat(stream.get("content").asText()).isEqualTo("echo(4 turns): What is my name?");
        assertThat(stream.get("lastChoices").asInt()).isZero();
        assertThat(stream.at("/usage/completion_tokens").asInt()).isEqualTo(7);
        // relayed from inference.stream word by word (docs/gateway.md, "Streaming"), not in one piece
        assertThat(stream.get("contentChunks").asInt()).isEqualTo(6);
        assertThat(stream.get("finishReason").asText()).isEqualTo("stop");
        // the streamed response's headers: those of an unstreamed answer known at its first chunk
        assertThat(stream.at("/headers/requestId").asText()).startsWith("gw-");
        assertThat(stream.at("/headers/tier").asText()).isEqualTo("CLOUD");
        assertThat(stream.at("/headers/model").asText()).isEqualTo("deepseek/deepseek-chat");
        assertThat(stream.at("/headers/rule").asText()).isEqualTo("TASK_TABLE");
        assertThat(stream.at("/headers/cost").isNull())
                .as("the cost is in the usage chunk")
                .isTrue();
        assertThat(stream.at("/usage/tiergate/cost_usd").asText()).isEqualTo(ScriptedPipeline.COST.toPlainString());
        assertThat(plain.at("/headers/rule").asText()).isEqualTo("TASK_TABLE");
        JsonNode failed = out.get("streamFailure");
        assertThat(failed.get("content").asText()).isEqualTo("echo(4 turns): What is my name?");
        assertThat(failed.get("error").asText()).contains("the provider dropped the stream");

        InferenceRequest tooled =
                pipeline.received.get(out.at("/tools/requestId").asText());
        assertThat(tooled.getTools()).contains("\"get_weather\"");
        assertThat(tooled.getToolChoice()).isEqualTo("\"auto\"");
        assertThat(tooled.getMessages()).extracting(ChatMessage::getRole).containsExactly("user", "assistant", "tool");
        String callId = out.at("/tools/call/id").asText();
        assertThat(tooled.getMessages().get(1).getToolCalls()).contains(callId).contains("Köln");
        assertThat(tooled.getMessages().get(2).getToolCallId()).isEqualTo(callId);
        // first answer: the tool call, content null, finish_reason tool_calls
        assertThat(out.at("/tools/call/content").isNull()).isTrue();
        assertThat(out.at("/tools/call/finishReason").asText()).isEqualTo("tool_calls");
        assertThat(out.at("/tools/call/type").asText()).isEqualTo("function");
        assertThat(out.at("/tools/call/name").asText()).isEqualTo("get_weather");
        assertThat(out.at("/tools/call/arguments/city").asText()).isEqualTo("Köln");
        // second answer: text about the tool's result
        assertThat(out.at("/tools/content").asText()).isEqualTo("echo(3 turns): the tool said 12°C, rain");
        assertThat(out.at("/tools/toolCalls").isNull()).isTrue();
        assertThat(out.at("/tools/finishReason").asText()).isEqualTo("stop");
        // streamed: the call's deltas join into the same call
        assertThat(out.at("/toolStream/calls/0/name").asText()).isEqualTo("get_weather");
        assertThat(out.at("/toolStream/calls/0/id").asText()).startsWith("call_");
        assertThat(out.at("/toolStream/calls/0/arguments").asText()).isEqualTo("{\"city\":\"Köln\"}");
        assertThat(out.at("/toolStream/finishReason").asText()).isEqualTo("tool_calls");
        assertThat(out.at("/toolStream/usage/tiergate/cost_usd").asText())
                .isEqualTo(ScriptedPipeline.COST.toPlainString());

        assertThat(out.at("/unknownKey/status").asInt()).isEqualTo(401);
        assertThat(out.at("/unknownKey/code").asText()).isEqualTo("invalid_api_key");
        assertThat(out.at("/rejected/status").asInt()).isEqualTo(429);
        assertThat(out.at("/rejected/code").asText()).isEqualTo("budget_exhausted");
        assertThat(out.at("/badTemperature/status").asInt()).isEqualTo(400);
        assertThat(out.at("/badTemperature/param").asText()).isEqualTo("temperature");
        assertThat(out.at("/unknownModel/status").asInt()).isEqualTo(404);
        assertThat(out.get("models").toString()).contains("tiergate/auto");
    }

    private static JsonNode runNode(String baseUrl, String key, String rejected, String streamFail) throws Exception {
        return new ObjectMapper()
                .readTree(CLIENT.run(Duration.ofSeconds(120), Map.of(), baseUrl, key, rejected, streamFail));
    }
}
