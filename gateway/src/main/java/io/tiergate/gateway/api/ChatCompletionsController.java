package io.tiergate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.annotation.SingleResult;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.tiergate.gateway.chat.ApiError;
import io.tiergate.gateway.chat.Caller;
import io.tiergate.gateway.chat.ChatRequest;
import io.tiergate.gateway.chat.ChatRequestMapper;
import io.tiergate.gateway.chat.ChatResponseMapper;
import io.tiergate.gateway.chat.InvalidChatRequestException;
import io.tiergate.gateway.chat.ModelCatalog;
import io.tiergate.gateway.chat.Outcome;
import io.tiergate.gateway.chat.SseAnswer;
import io.tiergate.gateway.chat.TiergateHeaders;
import io.tiergate.gateway.chat.UnknownModelException;
import io.tiergate.gateway.config.GatewayConfiguration;
import io.tiergate.gateway.kafka.GatewayTopics;
import io.tiergate.gateway.keys.VirtualKeys;
import io.tiergate.gateway.pending.PendingCalls;
import io.tiergate.gateway.stream.StreamedAnswer;
import io.tiergate.gateway.stream.StreamingCalls;
import io.tiergate.schemas.events.RoutingDecision;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;

/**
 * OpenAI's chat completions and models endpoints (docs/gateway.md):
 *
 * <pre>
 * POST /v1/chat/completions
 *   → caller = keys.authenticate(Authorization)           401 when unknown or revoked
 *   → request = mapper.map(body, caller, x-tiergate-*)     400 naming the field, 404 unknown model
 *   → pending.register(request id); topics.send(request)   503 when too many calls wait
 *   → outcome (result, or a deferral) → completion or OpenAI error; 504 after request-timeout
 *   stream: true → the request's inference.stream chunks as events from the first one on, ended by
 *                  the outcome (StreamedAnswer); none before the outcome: the answer as events
 * </pre>
 */
@Controller
public class ChatCompletionsController {

    private final VirtualKeys keys;
    private final ChatRequestMapper requests;
    private final ChatResponseMapper responses;
    private final ModelCatalog models;
    private final PendingCalls pending;
    private final GatewayTopics topics;
    private final GatewayConfiguration config;
    private final StreamingCalls streams;

    public ChatCompletionsController(
            VirtualKeys keys,
            ChatRequestMapper requests,
            ChatResponseMapper responses,
            ModelCatalog models,
            PendingCalls pending,
            GatewayTopics topics,
            GatewayConfiguration config,
            StreamingCalls streams) {
        this.streams = streams;
        this.keys = keys;
        this.requests = requests;
        this.responses = responses;
        this.models = models;
        this.pending = pending;
        this.topics = topics;
        this.config = config;
    }

    @Post("/v1/chat/completions")
    @Consumes(MediaType.ALL)
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    @SingleResult
    public Publisher<MutableHttpResponse<?>> chatCompletions(
            HttpRequest<?> http,
            @Nullable @Body String body,
            @Nullable @Header("Authorization") String authorization,
            @Nullable @Header(TiergateHeaders.COST_CENTER) String costCenter,
            @Nullable @Header(TiergateHeaders.TASK_TYPE) String taskType,
            @Nullable @Header(TiergateHeaders.SOVEREIGN) String sovereign,
            @Nullable @Header(TiergateHeaders.LATENCY_BUDGET_MS) String latencyBudgetMs) {
        VirtualKeys.Result who = caller(authorization);
        if (who.refusal().isPresent()) {
            return done(error(who.refusal().get(), Map.of()));
        }
        String requestId = "gw-" + UUID.randomUUID();
        ChatRequest request;
        try {
            JsonNode json = requests.parse(body);
            request = requests.map(
                    json,
                    who.caller().orElseThrow(),
                    new TiergateHeaders(costCenter, taskType, sovereign, latencyBudgetMs),
                    requestId,
                    Instant.now());
        } catch (InvalidChatRequestException e) {
            return done(error(e.toError(), Map.of()));
        } catch (UnknownModelException e) {
            return done(error(e.toError(), Map.of()));
        }
        Optional<CompletableFuture<Outcome>> waiting =
                pending.register(requestId, config.requestTimeout().toMillis());
        if (waiting.isEmpty()) {
            return done(error(
                    ApiError.unavailable(
                            "gateway_busy",
                            "This gateway instance already waits on " + config.maxPending() + " requests ("
                                    + GatewayConfiguration.PREFIX + ".max-pending); retry shortly."),
                    Map.of()));
        }
        CompletableFuture<Outcome> outcome = waiting.get();
        // stream: true: chunks of inference.stream are relayed as they come (docs/gateway.md, "Streaming")
        Optional<StreamingCalls.Live> live = request.stream()
                ? Optional.of(streams.open(requestId, request.includeUsage(), () -> outcome.cancel(false)))
                : Optional.empty();
        ClientDisconnect.cancelOnClose(http, outcome);
        topics.send(request.request()).whenComplete((metadata, failure) -> {
            if (failure != null) {
                outcome.completeExceptionally(new SendFailedException(failure));
            }
        });
        BiFunction<Outcome, Throwable, MutableHttpResponse<?>> unstreamed = (o, failure) -> {
            if (failure == null) {
                return respond(request, o);
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            return error(failureError(requestId, cause), Map.of(TiergateHeaders.REQUEST_ID, requestId));
        };
        CompletableFuture<MutableHttpResponse<?>> answer = live.isPresent()
                ? StreamedAnswer.answer(
                        requestId,
                        request,
                        live.get(),
                        outcome,
                        responses,
                        cause -> failureError(requestId, cause),
                        unstreamed,
                        () -> pending.decision(requestId).map(RoutingDecision::getRule))
                : outcome.handle(unstreamed);
        // the client leaving cancels `answer`; pass it on so the pending call is forgotten
        answer.whenComplete((r, e) -> {
            if (answer.isCancelled()) {
                outcome.cancel(false);
            }
        });
        return new FuturePublisher<>(answer);
    }

    @Get("/v1/models")
    @Produces(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> models(@Nullable @Header("Authorization") String authorization) {
        VirtualKeys.Result who = caller(authorization);
        if (who.refusal().isPresent()) {
            return error(who.refusal().get(), Map.of());
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "list");
        var data = root.putArray("data");
        for (ModelCatalog.Entry entry : models.list()) {
            data.addObject()
                    .put("id", entry.id())
                    .put("object", "model")
                    .put("created", 0)
                    .put("owned_by", entry.ownedBy());
        }
        return HttpResponse.ok(root.toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** The error of a call that ended without an outcome: no result in time, or not published. */
    private ApiError failureError(String requestId, Throwable cause) {
        if (cause instanceof TimeoutException) {
            return ApiError.timeout("No result for request " + requestId + " within "
                    + config.requestTimeout().toSeconds() + " s; it is still being served and billed.");
        }
        return ApiError.unavailable("kafka_unavailable", "The request could not be published: " + cause.getMessage());
    }

    private VirtualKeys.Result caller(String authorization) {
        return authorization == null && !config.requireKey()
                ? new VirtualKeys.Result(Optional.of(Caller.keyless(config.defaultCostCenter())), Optional.empty())
                : keys.authenticate(authorization);
    }

    private MutableHttpResponse<String> respond(ChatRequest request, Outcome outcome) {
        ChatResponseMapper.Answer answer = responses.answer(request, outcome);
        if (answer.error().isPresent()) {
            return error(answer.error().get(), answer.headers());
        }
        MutableHttpResponse<String> response = request.stream()
                ? HttpResponse.ok(SseAnswer.of(request, answer.completion().orElseThrow()))
                        .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                : HttpResponse.ok(answer.completion().orElseThrow().toString())
                        .contentType(MediaType.APPLICATION_JSON_TYPE);
        answer.headers().forEach(response::header);
        return response;
    }

    private static MutableHttpResponse<String> error(ApiError error, Map<String, String> headers) {
        MutableHttpResponse<String> response = HttpResponse.<String>status(HttpStatus.valueOf(error.status()))
                .body(error.toJson().toString())
                .contentType(MediaType.APPLICATION_JSON_TYPE);
        error.retryAfter().ifPresent(d -> response.header("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
        headers.forEach(response::header);
        return response;
    }

    private static Publisher<MutableHttpResponse<?>> done(MutableHttpResponse<?> response) {
        return new FuturePublisher<>(CompletableFuture.completedFuture(response));
    }

    /** The request did not reach Kafka. */
    private static final class SendFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SendFailedException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
