package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.tiergate.cli.demo.LedgerClient;
import io.tiergate.cli.demo.PipelineTracker;
import io.tiergate.cli.demo.PipelineTracker.RequestState;
import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.gateway.kafka.KeyAdmin;
import io.tiergate.schemas.events.ChatMessage;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.NodeScript;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of the real system (broker process, registry, the five services and the
 * gateway as their own JVMs, simulated backends), driven by the official OpenAI Java SDK: every
 * call is classified, routed, billed and counted like a producer's request; the ledger's total for
 * the key's cost center equals the sum of the costs the client saw; a sovereign header or sensitive
 * data in an earlier turn keeps a request off the cloud tier topic. On the same stack: a tools round
 * trip, a pinned cloud model (served by it, rule PINNED on {@code routing.decisions}; kept local when
 * sovereign), the official {@code openai} npm package (completion, stream with usage, tools
 * round trip, error mapping), and streamed answers relayed word by word with the streamed response's
 * headers (once a stack of its own, GatewayStreamingEndToEndIT; folded in to save a stack start).
 */
class GatewayEndToEndIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Services on 8291-8295 and the gateway on 8280: apart from a demo and from EndToEndIT. */
    private static final int PORT_OFFSET = 200;

    /** A cloud model of the price table, pinned by naming it in {@code model}. */
    private static final String PINNED_MODEL = "anthropic/claude-haiku-4.5";

    /**
     * The simulated backends' speed-up: 10, not the 50 of the other stacks, so a streamed answer
     * still takes long enough (a local answer some 0.7 s, a cloud one about 1 s) for its first
     * words to come visibly before its end (the streaming test); the other calls pay a fraction of
     * a second each for it.
     */
    private static final int SPEED_UP = 10;

    /** The official npm client's script (the gateway module's). */
    private static final NodeScript NPM_CLIENT =
            new NodeScript(ROOT.resolve("gateway/src/test/node"), "openai-client.mjs");

    private static final ObjectMapper JSON = new ObjectMapper();

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
        stack = LocalStack.start(options, System.out, SimulatedBackends.env(SPEED_UP));
    }

    @AfterAll
    static void stopTheSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void gatewayCallsAreBilledExactlyAndSovereigntyHolds() throws Exception {
        String costCenter = costCenter("gw-e2e-");
        LedgerClient ledger = new LedgerClient(
                stack.service("ledger-streams").orElseThrow().spec().baseUrl(), stack.apiToken());
        OpenAIClient client = client(knownKey(costCenter));

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

    @Test
    void aToolRoundTripCrossesTheFiveServicesAndASensitiveToolResultStaysLocal() throws Exception {
        String costCenter = costCenter("gw-tools-");
        OpenAIClient client = client(knownKey(costCenter));
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name("get_weather")
                        .description("Weather of a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty(
                                        "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                .build())
                        .build())
                .build();
        // pinned to a cloud model, so the tool call crosses the cloud worker (the npm test's round trip
        // is routed by the policy)
        ChatCompletionCreateParams.Builder ask = ChatCompletionCreateParams.builder()
                .model(PINNED_MODEL)
                .addUserMessage("What is the weather in Köln today? Use the tool.")
                .addTool(weather);

        try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), "gw-")) {
            HttpResponseFor<ChatCompletion> firstRaw =
                    client.chat().completions().withRawResponse().create(ask.build());
            ChatCompletion first = firstRaw.parse();
            ChatCompletion.Choice choice = first.choices().get(0);
            assertThat(first.model()).isEqualTo(PINNED_MODEL);
            assertThat(firstRaw.headers().values("x-tiergate-tier")).containsExactly("CLOUD");
            assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
            assertThat(choice.message().content()).isEmpty();
            List<ChatCompletionMessageToolCall> calls =
                    choice.message().toolCalls().orElseThrow();
            assertThat(calls).hasSize(1);
            ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
            assertThat(call.function().name()).isEqualTo("get_weather");
            assertThat(JSON.readTree(call.function().arguments()).path("city").isTextual())
                    .as("arguments %s", call.function().arguments())
                    .isTrue();

            // the client runs the tool and sends its result back; the result names an IBAN, so the
            // classifier (which scans every turn) makes the follow-up sovereign: local, pin or not
            HttpResponseFor<ChatCompletion> secondRaw = client.chat()
                    .completions()
                    .withRawResponse()
                    .create(ask.addMessage(choice.message())
                            .addMessage(ChatCompletionToolMessageParam.builder()
                                    .toolCallId(call.id())
                                    .content("12°C, rain. Umbrella ordered, paid from DE89 3704 0044 0532 0130 00.")
                                    .build())
                            .build());
            ChatCompletion second = secondRaw.parse();
            ChatCompletion.Choice answer = second.choices().get(0);
            assertThat(answer.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            assertThat(answer.message().toolCalls()).isEmpty();
            assertThat(answer.message().content())
                    .hasValueSatisfying(t -> assertThat(t).isNotBlank());
            assertThat(secondRaw.headers().values("x-tiergate-tier")).containsExactly("LOCAL");

            String firstId = requestId(firstRaw);
            String secondId = requestId(secondRaw);
            await("the pipeline answered both calls")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> answered(tracker, List.of(firstId, secondId)));
            Map<String, RequestState> states = tracker.requests();
            RequestState called = states.get(firstId);
            assertThat(called.tiersSeen).containsExactly("CLOUD");
            assertThat(called.results.get(0).getToolCalls()).contains(call.id()).contains("get_weather");
            RequestState followUp = states.get(secondId);
            List<ChatMessage> turns = followUp.classified.getRequest().getMessages();
            assertThat(turns).extracting(ChatMessage::getRole).containsExactly("user", "assistant", "tool");
            assertThat(turns.get(1).getToolCalls()).contains(call.id()).contains("get_weather");
            assertThat(turns.get(2).getToolCallId()).isEqualTo(call.id());
            assertThat(followUp.classified.getRequest().getTools()).contains("get_weather");
            assertThat(followUp.tiersSeen)
                    .as("tier topics of the sensitive follow-up")
                    .containsExactly("LOCAL");
            assertThat(followUp.results.get(0).getToolCalls()).isNull();
            // each leg billed what its client saw
            assertThat(called.cost()).isEqualByComparingTo(costSeen(first));
            assertThat(followUp.cost()).isEqualByComparingTo(costSeen(second));
            System.out.printf(
                    "[gateway-e2e] tools: call on %s (%s), answer on %s (%s)%n",
                    called.tiersSeen, called.rule, followUp.tiersSeen, followUp.rule);
        }
    }

    @Test
    void aPinnedCloudModelServesTheCallUnlessTheRequestIsSovereign() throws Exception {
        OpenAIClient client = client(knownKey(costCenter("gw-pin-")));
        // boilerplate: the task table would keep it local; the pin sends it to the named cloud model
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(PINNED_MODEL)
                .addUserMessage("Write a Java getter and setter for a field named total.")
                .build();
        try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), "gw-")) {
            HttpResponseFor<ChatCompletion> pinnedRaw =
                    client.chat().completions().withRawResponse().create(params);
            ChatCompletion pinned = pinnedRaw.parse();
            assertThat(pinned.model()).isEqualTo(PINNED_MODEL);
            assertThat(tiergate(pinned)).containsEntry("tier", "CLOUD").containsEntry("rule", "PINNED");
            assertThat(pinnedRaw.headers().values("x-tiergate-rule")).containsExactly("PINNED");

            HttpResponseFor<ChatCompletion> sovereignRaw = client.withOptions(
                            o -> o.putHeader("x-tiergate-sovereign", "true"))
                    .chat()
                    .completions()
                    .withRawResponse()
                    .create(params);
            ChatCompletion sovereign = sovereignRaw.parse();
            assertThat(sovereign.model()).isNotEqualTo(PINNED_MODEL);
            assertThat(tiergate(sovereign)).containsEntry("tier", "LOCAL").containsEntry("rule", "SOVEREIGNTY");
            assertThat(sovereignRaw.headers().values("x-tiergate-tier")).containsExactly("LOCAL");

            String pinnedId = requestId(pinnedRaw);
            String sovereignId = requestId(sovereignRaw);
            await("the pipeline answered both calls")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> answered(tracker, List.of(pinnedId, sovereignId)));
            Map<String, RequestState> states = tracker.requests();
            assertThat(states.get(pinnedId).tiersSeen).containsExactly("CLOUD");
            assertThat(states.get(sovereignId).tiersSeen)
                    .as("tier topics of the sovereign pinned call")
                    .containsExactly("LOCAL");
            assertThat(states.get(pinnedId).results.get(0).getModel()).isEqualTo(PINNED_MODEL);

            Map<String, RoutingDecision> decisions = await("both decisions on routing.decisions")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> routingDecisions(List.of(pinnedId, sovereignId)), d -> d.size() == 2);
            RoutingDecision honoured = decisions.get(pinnedId);
            assertThat(honoured.getRule()).isEqualTo("PINNED");
            assertThat(honoured.getTier().name()).isEqualTo("CLOUD");
            assertThat(honoured.getModel()).isEqualTo(PINNED_MODEL);
            assertThat(honoured.getSovereign()).isFalse();
            RoutingDecision kept = decisions.get(sovereignId);
            assertThat(kept.getRule()).isEqualTo("SOVEREIGNTY");
            assertThat(kept.getTier().name()).isEqualTo("LOCAL");
            assertThat(kept.getSovereign()).isTrue();
            assertThat(kept.getRationale())
                    .contains("the requested model " + PINNED_MODEL + " is a cloud model and is not used");
        }
    }

    /**
     * The official {@code openai} npm package (gateway/src/test/node, pinned in its package-lock.json;
     * CI installs it, .ci/install.d/20-gateway-node.sh) against the five services: the gateway
     * module's script, without its scripted-pipeline parts (a rejected key, a stream that fails).
     */
    @Test
    void theOfficialNpmClientCompletesStreamsCallsToolsAndGetsOpenAiErrors() throws Exception {
        Optional<String> missing = NPM_CLIENT.missing("openai");
        Assumptions.assumeTrue(missing.isEmpty(), () -> "Skipped: " + missing.orElseThrow());
        String key = knownKey(costCenter("gw-node-"));
        String gatewayUrl = stack.service("gateway").orElseThrow().spec().baseUrl();
        try (PipelineTracker tracker = new PipelineTracker(stack.bootstrapServers(), stack.registryUrl(), "gw-")) {
            // no rejected key, no failing stream: those need a scripted pipeline (GatewayOpenAiNodeIT)
            JsonNode out = JSON.readTree(NPM_CLIENT.run(Duration.ofSeconds(180), Map.of(), gatewayUrl + "/v1", key));
            System.out.println("[gateway-e2e] npm client saw: " + out);

            JsonNode plain = out.get("plain");
            assertThat(plain.get("content").asText()).isNotBlank();
            // the script asks for max_tokens 64: an answer cut there ends with "length", as OpenAI's do
            int plainTokens = plain.at("/usage/completion_tokens").asInt();
            assertThat(plainTokens).isBetween(1, 64);
            assertThat(plain.get("finishReason").asText()).isEqualTo(plainTokens == 64 ? "length" : "stop");
            assertThat(plain.at("/usage/tiergate/cost_usd").asText())
                    .isEqualTo(plain.get("costHeader").asText());

            JsonNode stream = out.get("stream");
            assertThat(stream.get("content").asText()).isNotBlank();
            assertThat(stream.get("contentChunks").asInt())
                    .as("relayed piece by piece")
                    .isGreaterThan(1);
            assertThat(stream.get("lastChoices").asInt()).isZero();
            assertThat(stream.at("/usage/completion_tokens").asInt()).isPositive();
            assertThat(stream.at("/usage/tiergate/cost_usd").isTextual()).isTrue();
            assertThat(stream.get("finishReason").asText()).isEqualTo("stop");

            // the round trip: tool_calls with content null, then the client's assistant + tool turns, then text
            assertThat(out.at("/tools/call/finishReason").asText()).isEqualTo("tool_calls");
            assertThat(out.at("/tools/call/content").isNull()).isTrue();
            assertThat(out.at("/tools/call/type").asText()).isEqualTo("function");
            assertThat(out.at("/tools/call/name").asText()).isEqualTo("get_weather");
            assertThat(out.at("/tools/call/arguments/city").isTextual()).isTrue();
            assertThat(out.at("/tools/content").asText()).isNotBlank();
            assertThat(out.at("/tools/toolCalls").isNull()).isTrue();
            assertThat(out.at("/tools/finishReason").asText()).isEqualTo("stop");
            assertThat(out.at("/toolStream/calls/0/name").asText()).isEqualTo("get_weather");
            assertThat(out.at("/toolStream/calls/0/id").asText()).isNotBlank();
            assertThat(JSON.readTree(out.at("/toolStream/calls/0/arguments").asText())
                            .path("city")
                            .isTextual())
                    .isTrue();
            assertThat(out.at("/toolStream/finishReason").asText()).isEqualTo("tool_calls");

            assertThat(out.at("/unknownKey/status").asInt()).isEqualTo(401);
            assertThat(out.at("/unknownKey/code").asText()).isEqualTo("invalid_api_key");
            assertThat(out.at("/badTemperature/status").asInt()).isEqualTo(400);
            assertThat(out.at("/badTemperature/param").asText()).isEqualTo("temperature");
            assertThat(out.at("/unknownModel/status").asInt()).isEqualTo(404);
            assertThat(out.get("models").toString()).contains("tiergate/auto").contains(PINNED_MODEL);
            assertThat(out.has("rejected")).isFalse();
            assertThat(out.has("streamFailure")).isFalse();

            // what crossed the services: the plain call billed what the client saw; the tool turn sent back
            String plainId = plain.get("requestId").asText();
            String callId = out.at("/tools/call/requestId").asText();
            String answerId = out.at("/tools/requestId").asText();
            await("the pipeline answered the npm client's calls")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> answered(tracker, List.of(plainId, callId, answerId)));
            Map<String, RequestState> states = tracker.requests();
            assertThat(states.get(plainId).classified.getRequest().getMessages())
                    .hasSize(4);
            assertThat(states.get(plainId).cost())
                    .isEqualByComparingTo(
                            new BigDecimal(plain.at("/usage/tiergate/cost_usd").asText()));
            assertThat(states.get(callId).results.get(0).getToolCalls())
                    .contains(out.at("/tools/call/id").asText());
            List<ChatMessage> turns =
                    states.get(answerId).classified.getRequest().getMessages();
            assertThat(turns).extracting(ChatMessage::getRole).containsExactly("user", "assistant", "tool");
            assertThat(turns.get(2).getToolCallId())
                    .isEqualTo(out.at("/tools/call/id").asText());
        }
    }

    /** One streamed call as the client saw it. */
    private record Seen(
            String tier, String model, long firstContentMs, long totalMs, int contentChunks, String costUsd) {}

    /**
     * Streaming through the five services (moved here from its own stack, GatewayStreamingEndToEndIT,
     * to save a stack start): the workers relay each simulated answer on inference.stream as the model
     * profile produces it and the gateway passes it on, so the Java SDK gets the first words long
     * before the answer is complete; the stream ends with the usage chunk carrying the billed cost,
     * and its headers are those of an unstreamed answer known at the first chunk (request id, tier,
     * model, rule; docs/gateway.md, "Streaming"). Prints the first-words and total times.
     */
    @Test
    void streamedAnswersArriveWordsFirstAndEndWithTheBilledUsage() throws Exception {
        String costCenter = costCenter("gw-stream-");
        LedgerClient ledger = new LedgerClient(
                stack.service("ledger-streams").orElseThrow().spec().baseUrl(), stack.apiToken());
        OpenAIClient client = client(knownKey(costCenter));
        List<Seen> seen = new ArrayList<>();
        BigDecimal billed = BigDecimal.ZERO;
        // call 0 warms the path (the stack's first call pays class loading and client connections, which
        // would make a cold call's first words look late); calls 1-4 are measured
        for (int i = 0; i < 5; i++) {
            ChatCompletionCreateParams request = ChatCompletionCreateParams.builder()
                    .model("tiergate/auto")
                    .addUserMessage(
                            i % 2 == 1
                                    ? "Summarise the incident report of last night's checkout outage for the team."
                                    : "Review this diff for regressions:\n- if (a > b) {\n+ if (a >= b) {\n  charge(a);")
                    .streamOptions(ChatCompletionStreamOptions.builder()
                            .includeUsage(true)
                            .build())
                    .build();
            OpenAIClient caller =
                    i == 1 ? client.withOptions(o -> o.putHeader("x-tiergate-sovereign", "true")) : client;
            long start = System.nanoTime();
            long first = -1;
            int contentChunks = 0;
            StringBuilder text = new StringBuilder();
            ChatCompletionChunk last = null;
            HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
                    caller.chat().completions().withRawResponse().createStreaming(request);
            try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
                for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                    for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                        Optional<String> piece = choice.delta().content().filter(t -> !t.isEmpty());
                        if (piece.isPresent()) {
                            if (first < 0) {
                                first = System.nanoTime() - start;
                            }
                            contentChunks++;
                            text.append(piece.get());
                        }
                    }
                    last = chunk;
                }
            }
            long total = System.nanoTime() - start;
            assertThat(last).isNotNull();
            assertThat(last.choices()).isEmpty();
            Map<String, Object> tiergate = tiergate(last);
            assertThat(text.toString()).startsWith("[simulated]");
            // the headers committed at the first chunk: as an unstreamed answer's, but the cost (usage chunk)
            assertThat(raw.headers().values("x-tiergate-request-id"))
                    .containsExactly(String.valueOf(tiergate.get("request_id")));
            assertThat(raw.headers().values("x-tiergate-tier")).containsExactly(String.valueOf(tiergate.get("tier")));
            assertThat(raw.headers().values("x-tiergate-model")).containsExactly(String.valueOf(tiergate.get("model")));
            assertThat(raw.headers().values("x-tiergate-rule")).containsExactly(String.valueOf(tiergate.get("rule")));
            assertThat(raw.headers().values("x-tiergate-cost-usd")).isEmpty();
            billed = billed.add(new BigDecimal(tiergate.get("cost_usd").toString()));
            if (i > 0) {
                seen.add(new Seen(
                        tiergate.get("tier").toString(),
                        tiergate.get("model").toString(),
                        first / 1_000_000,
                        total / 1_000_000,
                        contentChunks,
                        tiergate.get("cost_usd").toString()));
            }
        }
        for (Seen s : seen) {
            System.out.printf(
                    "[gateway-stream-e2e] speed-up %d, %s %s: first words after %d ms, answer complete after %d ms,"
                            + " %d content chunks, cost $%s%n",
                    SPEED_UP, s.tier(), s.model(), s.firstContentMs(), s.totalMs(), s.contentChunks(), s.costUsd());
        }
        assertThat(seen.get(0).tier()).isEqualTo("LOCAL");
        assertThat(seen).allSatisfy(s -> {
            assertThat(s.contentChunks()).as("relayed piece by piece").isGreaterThan(1);
            assertThat(s.firstContentMs()).as("first words well before the end").isLessThan(s.totalMs() / 2);
        });
        // the usage chunks' costs are the bill
        BigDecimal clientSaw = billed;
        await("the ledger counts what the streamed usage said, exactly")
                .atMost(Duration.ofSeconds(60))
                .until(() -> ledger.totalUsd(costCenter)
                        .map(t -> t.compareTo(clientSaw) == 0)
                        .orElse(false));
    }

    private static String costCenter(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 6);
    }

    /** A new key for {@code costCenter}, once the gateway has read it from {@code gateway.keys}. */
    private static String knownKey(String costCenter) {
        String token;
        try (KeyAdmin keys = new KeyAdmin(stack.bootstrapServers(), stack.registryUrl())) {
            token = keys.create(costCenter, "e2e", null, false).token();
        }
        OpenAIClient client = client(token);
        await("the gateway knows the key")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> !client.models().list().data().isEmpty());
        return token;
    }

    private static OpenAIClient client(String token) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(stack.service("gateway").orElseThrow().spec().baseUrl() + "/v1")
                .apiKey(token)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    private static String requestId(HttpResponseFor<?> raw) {
        return raw.headers().values("x-tiergate-request-id").get(0);
    }

    private static boolean answered(PipelineTracker tracker, Collection<String> ids) {
        Map<String, RequestState> states = tracker.requests();
        return ids.stream().allMatch(id -> {
            RequestState s = states.get(id);
            return s != null && s.classified != null && s.results.size() == 1;
        });
    }

    private static BigDecimal costSeen(ChatCompletion completion) {
        return new BigDecimal(tiergate(completion).get("cost_usd").toString());
    }

    /** The decisions for {@code ids} on {@code routing.decisions}, read from its beginning to its end. */
    private static Map<String, RoutingDecision> routingDecisions(Collection<String> ids) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        AvroDeserializer<RoutingDecision> decoder = new AvroDeserializer<>();
        decoder.configure(
                Map.of(
                        SerdeConfig.SCHEMA_REGISTRY_URL,
                        stack.registryUrl(),
                        SerdeConfig.VALUE_TYPE,
                        Topics.ROUTING_DECISIONS.valueType()),
                false);
        Map<String, RoutingDecision> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.ROUTING_DECISIONS.name(), Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (ids.contains(r.key()) && r.value() != null) {
                        found.put(r.key(), decoder.deserialize(r.topic(), r.value()));
                    }
                }
            }
        }
        return found;
    }

    @SuppressWarnings({"unchecked", "deprecation"}) // the SDK's only way to its unknown usage fields
    private static Map<String, Object> tiergate(ChatCompletion completion) {
        JsonValue ext = completion.usage().orElseThrow()._additionalProperties().get("tiergate");
        return ext.convert(Map.class);
    }

    @SuppressWarnings({"unchecked", "deprecation"}) // the SDK's only way to its unknown usage fields
    private static Map<String, Object> tiergate(ChatCompletionChunk chunk) {
        JsonValue ext = chunk.usage().orElseThrow()._additionalProperties().get("tiergate");
        return ext.convert(Map.class);
    }
}
