package io.tiergate.gateway.kafka;

import static org.awaitility.Awaitility.await;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.ChatMessage;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.results.Rejections;
import io.tiergate.schemas.results.RequestAttributes;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Stands in for classifier, router and workers in the gateway's own tests: reads inference.requests
 * on the real broker and answers each request of its cost centers on routing.decisions and
 * inference.results, as the pipeline would. By cost center: {@code reject-*} is refused
 * (BUDGET_EXHAUSTED), {@code defer-*} is deferred, {@code slow-*} is never answered, anything else
 * is served: the output echoes the latest user turn and the number of turns, cost $0.000123400, the tier
 * LOCAL when the request is sovereign. A request that asked to stream gets its answer on
 * inference.stream first ({@link #stream}), except for {@code nochunks-*} (a worker that does not
 * stream); {@code streamfail-*} streams, then fails. A request that offers tools is answered with a call of the first
 * function (arguments {@code {"city": "Köln"}}) until its last turn is a tool result, which the answer
 * then echoes. The full pipeline is tested in e2e.
 */
final class ScriptedPipeline implements AutoCloseable {

    static final java.math.BigDecimal COST = Money.usd("0.000123400");

    final Map<String, InferenceRequest> received = new ConcurrentHashMap<>();
    /** Per request id: the request record's timestamp (set by the gateway's producer), epoch ms. */
    final Map<String, Long> requestTimestamps = new ConcurrentHashMap<>();
    /** Per request id: the result record's timestamp as the broker acknowledged it, epoch ms. */
    final Map<String, Long> resultTimestamps = new ConcurrentHashMap<>();

    private final EventPublisher publisher;
    private final EventDecoder decoder;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final String costCenterSuffix;

    ScriptedPipeline(String bootstrap, String registry, String costCenterSuffix) {
        KafkaClientSettings settings = new KafkaClientSettings(bootstrap, registry, "gateway-test-pipeline");
        this.publisher = new EventPublisher(settings);
        this.decoder = new EventDecoder(settings);
        this.costCenterSuffix = costCenterSuffix;
        Map<String, Object> config = settings.base();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "gateway-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.INFERENCE_REQUESTS.name()));
        this.thread = new Thread(this::loop, "scripted-pipeline");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                InferenceRequest request;
                try {
                    request = decoder.decode(Topics.INFERENCE_REQUESTS, record);
                } catch (EventDecoder.DecodeException e) {
                    continue; // another test's record, written under another mock registry scope
                }
                if (request == null || !request.getCostCenter().endsWith(costCenterSuffix)) {
                    continue;
                }
                received.put(request.getRequestId(), request);
                requestTimestamps.put(request.getRequestId(), record.timestamp());
                answer(request);
            }
        }
        consumer.close();
    }

    private void answer(InferenceRequest request) {
        String cc = request.getCostCenter();
        String id = request.getRequestId();
        if (cc.startsWith("slow-")) {
            return;
        }
        if (cc.startsWith("defer-")) {
            publisher.send(Topics.ROUTING_DECISIONS, id, decision(request, RoutingAction.DEFER, Tier.NONE, "BUDGET"));
            return;
        }
        if (cc.startsWith("reject-")) {
            publisher.send(Topics.ROUTING_DECISIONS, id, decision(request, RoutingAction.REJECT, Tier.NONE, "BUDGET"));
            publisher.send(
                    Topics.INFERENCE_RESULTS,
                    id,
                    Rejections.rejected(
                            id,
                            cc,
                            TaskType.CONVERSATION,
                            "router",
                            "BUDGET_EXHAUSTED",
                            "budget '" + cc + "' is EXHAUSTED and rejects cloud work",
                            "budget",
                            1,
                            Instant.now()));
            return;
        }
        Tier tier = request.getRequiresDataSovereignty() ? Tier.LOCAL : Tier.CLOUD;
        publisher
                .send(
                        Topics.ROUTING_DECISIONS,
                        id,
                        decision(
                                request,
                                RoutingAction.ROUTE,
                                tier,
                                request.getRequiresDataSovereignty() ? "SOVEREIGNTY" : "TASK_TABLE"))
                .join(); // the router decides before a worker answers: the decision is on the broker first
        List<ChatMessage> turns = request.getMessages();
        ChatMessage last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        String toolCalls =
                request.getTools() != null && (last == null || !last.getRole().equals("tool"))
                        ? toolCall(request)
                        : null;
        String latest = turns.stream()
                .filter(t -> t.getRole().equals("user"))
                .reduce((a, b) -> b)
                .map(ChatMessage::getContent)
                .orElse(request.getPrompt());
        String output = toolCalls != null
                ? ""
                : last != null && last.getRole().equals("tool")
                        ? "echo(" + turns.size() + " turns): the tool said " + last.getContent()
                        : "echo(" + turns.size() + " turns): " + latest;
        if ("true".equals(request.getAttributes().get(RequestAttributes.STREAM)) && !cc.startsWith("nochunks-")) {
            if (!stream(request, tier, output)) {
                return;
            }
        }
        if (cc.startsWith("superseded-")) {
            output = "a different answer from attempt 3";
        }
        if (cc.startsWith("streamfail-")) {
            publisher.send(
                    Topics.INFERENCE_RESULTS,
                    id,
                    InferenceResult.newBuilder()
                            .setRequestId(id)
                            .setCostCenter(cc)
                            .setTaskType(TaskType.CONVERSATION)
                            .setStatus(ResultStatus.FAILED)
                            .setTier(Tier.CLOUD)
                            .setModel("deepseek/deepseek-chat")
                            .setProvider("scripted")
                            .setErrorCode("provider_error")
                            .setErrorMessage("the provider dropped the stream")
                            .setTotalCostUsd(COST)
                            .setCompletedAt(Instant.now())
                            .build());
            return;
        }
        publisher
                .send(
                        Topics.INFERENCE_RESULTS,
                        id,
                        InferenceResult.newBuilder()
                                .setRequestId(id)
                                .setCostCenter(cc)
                                .setTaskType(TaskType.CONVERSATION)
                                .setStatus(ResultStatus.COMPLETED)
                                .setTier(tier)
                                .setModel(tier == Tier.LOCAL ? "qwen3:8b" : "deepseek/deepseek-chat")
                                .setCapabilityClass(CapabilityClass.LOCAL)
                                .setProvider("scripted")
                                .setSimulated(true)
                                .setOutput(output)
                                .setToolCalls(toolCalls)
                                .setFinishReason(toolCalls != null ? "tool_calls" : "stop")
                                .setInputTokens(42)
                                .setOutputTokens(7)
                                .setTotalCostUsd(COST)
                                .setCompletedAt(Instant.now())
                                .build())
                .thenAccept(metadata -> resultTimestamps.put(id, metadata.timestamp()));
    }

    /**
     * As a streaming worker would (docs/gateway.md, "Streaming"): the answer word by word on
     * inference.stream as attempt 2, the first piece alone until {@link #firstPieceOut} says it is out
     * (at most {@link #FIRST_PIECE_WAIT}), then the others, and the result once {@link #lastPieceOut}
     * says the last is out (as long at most), with what a relay must survive: a duplicate of a chunk, a late chunk of attempt 1.
     * {@code hold-*}: the first piece only, never the rest nor a result. {@code superseded-*}: attempt
     * 2 stops after two pieces and attempt 3's pieces follow. Returns false when no result follows.
     */
    private boolean stream(InferenceRequest request, Tier tier, String output) {
        String id = request.getRequestId();
        String cc = request.getCostCenter();
        String model = tier == Tier.LOCAL ? "qwen3:8b" : "deepseek/deepseek-chat";
        List<String> words = new java.util.ArrayList<>();
        for (String w : output.split("(?<= )")) {
            words.add(w);
        }
        chunk(id, 2, 0, words.get(0), null, model, tier);
        if (cc.startsWith("hold-")) {
            return false;
        }
        try {
            await("the first piece of " + id + " out")
                    .atMost(FIRST_PIECE_WAIT)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> firstPieceOut.test(id));
        } catch (ConditionTimeoutException e) {
            // sent on regardless: the test then sees the answer come with the result
        }
        chunk(id, 1, 1, "STALE ", null, model, tier); // a late chunk of an earlier attempt
        int last = cc.startsWith("superseded-") ? Math.min(2, words.size()) : words.size();
        for (int seq = 1; seq < last; seq++) {
            chunk(id, 2, seq, words.get(seq), null, model, tier);
            if (seq == 1) {
                chunk(id, 2, seq, words.get(seq), null, model, tier); // at least once: a duplicate
            }
        }
        if (cc.startsWith("superseded-")) {
            chunk(id, 3, 0, "a different ", null, model, tier);
            chunk(id, 3, 1, "answer", "stop", model, tier);
        } else if (!cc.startsWith("streamfail-")) {
            chunk(id, 2, words.size(), "", "stop", model, tier);
            // the result only once the gateway has the pieces: read in one poll with them, it could end the
            // stream first, and the rest would come as one delta (correct, but not what these tests look at)
            try {
                await("the last piece of " + id + " out")
                        .atMost(FIRST_PIECE_WAIT)
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> lastPieceOut.test(id));
            } catch (ConditionTimeoutException e) {
                // the result follows regardless
            }
        }
        return true;
    }

    /** How long the first piece of a streamed answer waits for {@link #firstPieceOut} at most. */
    static final Duration FIRST_PIECE_WAIT = Duration.ofSeconds(10);

    /**
     * When the first piece of a request's streamed answer is out (set by each test: the gateway
     * relaying it, or the client having read it); the rest and the result follow only then.
     */
    volatile Predicate<String> firstPieceOut = id -> true;

    /** When the gateway has relayed a streamed answer's last piece; its result follows only then. */
    volatile Predicate<String> lastPieceOut = id -> true;

    private void chunk(String id, int attempt, int seq, String delta, String finish, String model, Tier tier) {
        publisher
                .send(
                        Topics.INFERENCE_STREAM,
                        id,
                        StreamChunk.newBuilder()
                                .setRequestId(id)
                                .setAttempt(attempt)
                                .setSeq(seq)
                                .setDelta(delta)
                                .setFinishReason(finish)
                                .setInputTokens(finish == null ? null : 42L)
                                .setOutputTokens(finish == null ? null : 7L)
                                .setModel(model)
                                .setTier(tier)
                                .setProducedAt(Instant.now())
                                .build())
                .join();
    }

    /** A call of the first offered function, with the latest user turn as its {@code city}, as OpenAI's tool_calls. */
    private static String toolCall(InferenceRequest request) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        try {
            String name = json.readTree(request.getTools())
                    .path(0)
                    .path("function")
                    .path("name")
                    .asText();
            var calls = json.createArrayNode();
            var call = calls.addObject();
            call.put("id", "call_" + request.getRequestId());
            call.put("type", "function");
            call.putObject("function")
                    .put("name", name)
                    .put(
                            "arguments",
                            json.createObjectNode().put("city", "Köln").toString());
            return calls.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RoutingDecision decision(InferenceRequest r, RoutingAction action, Tier tier, String rule) {
        return RoutingDecision.newBuilder()
                .setRequestId(r.getRequestId())
                .setCostCenter(r.getCostCenter())
                .setTaskType(TaskType.CONVERSATION)
                .setAction(action)
                .setTier(tier)
                .setModel(tier == Tier.LOCAL ? "qwen3:8b" : "deepseek/deepseek-chat")
                .setEstimatedCostUsd(Money.ZERO)
                .setBudgetLevel(action == RoutingAction.ROUTE ? BudgetLevel.NORMAL : BudgetLevel.EXHAUSTED)
                .setRule(rule)
                .setRationale("scripted " + action)
                .setSovereign(r.getRequiresDataSovereignty())
                .setDecidedAt(Instant.now())
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
        publisher.close();
    }
}
