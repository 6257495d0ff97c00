package io.tiergate.gateway.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.Tier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A request's outcome as OpenAI's chat completion, or as an OpenAI-shaped error (docs/gateway.md,
 * "Responses" and "Errors"). The completion's {@code usage} carries tiergate's extension
 * {@code usage.tiergate}: request id, tier, model, provider, rule, attempts, simulated, and the exact
 * cost as a decimal string ({@code cost_usd}: the result's {@code totalCostUsd}, what the ledger
 * counts for the request). A result with tool calls answers {@code message.tool_calls} (content null
 * when the model wrote no text) and {@code finish_reason: "tool_calls"}.
 */
public final class ChatResponseMapper {

    /** Error codes of {@code InferenceResult.errorCode} that mean "try again later". */
    private static final java.util.Set<String> RETRY_LATER =
            java.util.Set.of("DEFERRAL_EXPIRED", "DEFERRAL_BACKLOG_FULL");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration deferRetryAfter;

    public ChatResponseMapper(Duration deferRetryAfter) {
        this.deferRetryAfter = deferRetryAfter;
    }

    /** The answer to a call: a completion for a COMPLETED result, an error otherwise. */
    public Answer answer(ChatRequest request, Outcome outcome) {
        Optional<String> rule = outcome.decision().map(d -> d.getRule());
        if (outcome.result().isEmpty()) {
            RoutingDecision d = outcome.decision().orElseThrow();
            return Answer.error(
                    ApiError.budget(
                            "budget_deferred",
                            "Cost center '" + d.getCostCenter()
                                    + "' has exhausted its budget and this request was deferred"
                                    + " (request " + d.getRequestId() + "): retry after "
                                    + deferRetryAfter.toSeconds() + " s. " + d.getRationale(),
                            Optional.of(deferRetryAfter)),
                    headers(d.getRequestId(), null, null, rule, null));
        }
        InferenceResult r = outcome.result().get();
        Map<String, String> headers = headers(
                r.getRequestId(),
                r.getTier().name(),
                r.getModel().isEmpty() ? null : r.getModel(),
                rule,
                r.getTotalCostUsd().toPlainString());
        if (r.getStatus() == ResultStatus.COMPLETED) {
            return Answer.completion(completion(request, r, rule), headers);
        }
        return Answer.error(error(r), headers);
    }

    /** OpenAI's {@code chat.completion} object. */
    public ObjectNode completion(ChatRequest request, InferenceResult r, Optional<String> rule) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("id", "chatcmpl-" + r.getRequestId());
        root.put("object", "chat.completion");
        root.put("created", r.getCompletedAt().getEpochSecond());
        root.put("model", r.getModel().isEmpty() ? request.model() : r.getModel());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        Optional<ArrayNode> toolCalls = toolCalls(r);
        String output = r.getOutput() == null ? "" : r.getOutput();
        if (toolCalls.isPresent() && output.isEmpty()) {
            // OpenAI: an answer that only calls tools has content null
            message.putNull("content");
        } else {
            message.put("content", output);
        }
        message.putNull("refusal");
        toolCalls.ifPresent(calls -> message.set("tool_calls", calls));
        choice.putNull("logprobs");
        choice.put("finish_reason", toolCalls.isPresent() ? "tool_calls" : finishReason(r.getFinishReason()));
        root.set("usage", usage(r, rule));
        return root;
    }

    /** The result's tool calls (OpenAI's {@code tool_calls} array), when it has any. */
    static Optional<ArrayNode> toolCalls(InferenceResult r) {
        if (r.getToolCalls() == null || r.getToolCalls().isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode calls = JSON.readTree(r.getToolCalls());
            return calls instanceof ArrayNode array && !array.isEmpty() ? Optional.of(array) : Optional.empty();
        } catch (JsonProcessingException e) {
            // the workers write it from parsed JSON, so this is a corrupt record: the text answer stands
            return Optional.empty();
        }
    }

    /**
     * A backend's stop reason as OpenAI's {@code finish_reason}: {@code length} for a cut-off answer
     * (OpenAI's and Ollama's {@code length}, Anthropic's {@code max_tokens}), {@code content_filter}
     * as it is, {@code stop} for everything else (and when unknown).
     */
    static String finishReason(String backendReason) {
        if (backendReason == null) {
            return "stop";
        }
        return switch (backendReason) {
            case "length", "max_tokens" -> "length";
            case "content_filter" -> "content_filter";
            default -> "stop";
        };
    }

    /** OpenAI's usage block with tiergate's extension. */
    public ObjectNode usage(InferenceResult r, Optional<String> rule) {
        ObjectNode usage = JsonNodeFactory.instance.objectNode();
        usage.put("prompt_tokens", r.getInputTokens());
        usage.put("completion_tokens", r.getOutputTokens());
        usage.put("total_tokens", r.getInputTokens() + r.getOutputTokens());
        ObjectNode tiergate = usage.putObject("tiergate");
        tiergate.put("request_id", r.getRequestId());
        tiergate.put("tier", r.getTier().name());
        tiergate.put("model", r.getModel());
        tiergate.put("provider", r.getProvider());
        if (rule.isPresent()) {
            tiergate.put("rule", rule.get());
        } else {
            tiergate.putNull("rule");
        }
        tiergate.put("attempts", r.getAttempts());
        tiergate.put("simulated", r.getSimulated());
        tiergate.put("cost_usd", r.getTotalCostUsd().toPlainString());
        return usage;
    }

    /** A result that is not COMPLETED as the OpenAI error a client can act on. */
    public ApiError error(InferenceResult r) {
        String code = r.getErrorCode() == null ? "" : r.getErrorCode();
        String message = (r.getErrorMessage() == null ? "The request was not served" : r.getErrorMessage())
                + " (request " + r.getRequestId() + ")";
        if (r.getStatus() == ResultStatus.REJECTED) {
            if ("BUDGET_EXHAUSTED".equals(code)) {
                return ApiError.budget("budget_exhausted", message, Optional.empty());
            }
            if (RETRY_LATER.contains(code)) {
                return ApiError.budget(code.toLowerCase(java.util.Locale.ROOT), message, Optional.of(deferRetryAfter));
            }
            if ("sovereignty_violation".equals(code)) {
                return ApiError.unavailable("no_local_capacity", message);
            }
            return new ApiError(
                    400, "invalid_request_error", code.isEmpty() ? "rejected" : code, message, null, Optional.empty());
        }
        if (r.getTier() == Tier.LOCAL) {
            // a request served locally that failed there: sovereign work has nowhere else to go
            return ApiError.unavailable(code.isEmpty() ? "local_unavailable" : code, message);
        }
        return ApiError.upstream(code.isEmpty() ? "upstream_failed" : code, message);
    }

    private static Map<String, String> headers(
            String requestId, String tier, String model, Optional<String> rule, String cost) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(TiergateHeaders.REQUEST_ID, requestId);
        if (tier != null) {
            h.put(TiergateHeaders.TIER, tier);
        }
        if (model != null) {
            h.put(TiergateHeaders.MODEL, model);
        }
        rule.ifPresent(v -> h.put(TiergateHeaders.RULE, v));
        if (cost != null) {
            h.put(TiergateHeaders.COST_USD, cost);
        }
        return h;
    }

    /** A completion body or an error, with tiergate's response headers. */
    public record Answer(Optional<ObjectNode> completion, Optional<ApiError> error, Map<String, String> headers) {
        static Answer completion(ObjectNode body, Map<String, String> headers) {
            return new Answer(Optional.of(body), Optional.empty(), headers);
        }

        static Answer error(ApiError error, Map<String, String> headers) {
            return new Answer(Optional.empty(), Optional.of(error), headers);
        }
    }
}
