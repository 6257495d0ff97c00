package io.tiergate.gateway.stream;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.tiergate.gateway.chat.ApiError;
import io.tiergate.gateway.chat.ChatRequest;
import io.tiergate.gateway.chat.ChatResponseMapper;
import io.tiergate.gateway.chat.Outcome;
import io.tiergate.gateway.chat.TiergateHeaders;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The answer to a call with {@code stream: true} (docs/gateway.md, "Streaming"): at the first relayed
 * chunk, a {@code 200 text/event-stream} response whose body is the relay's events. Its headers are
 * those of an unstreamed answer known before the first byte: request id, tier and model (the first
 * chunk's), and the rule when the call's routing decision has been read (the router writes it before
 * a worker gets the request); the cost is not known until the end, so it is in the usage chunk
 * ({@code usage.tiergate.cost_usd}, with the rule). When the outcome comes first, the answer an
 * unstreamed relay gives ({@code unstreamed}, every header).
 */
public final class StreamedAnswer {

    private StreamedAnswer() {}

    /**
     * @param failureError the OpenAI error for a call that failed without an outcome (timeout, not
     *     published)
     * @param unstreamed the answer when nothing was relayed before the outcome: as without chunks
     * @param rule the router's rule for the call, when its decision has been read (asked at the first
     *     chunk)
     */
    public static CompletableFuture<MutableHttpResponse<?>> answer(
            String requestId,
            ChatRequest request,
            StreamingCalls.Live live,
            CompletableFuture<Outcome> outcome,
            ChatResponseMapper responses,
            Function<Throwable, ApiError> failureError,
            BiFunction<Outcome, Throwable, MutableHttpResponse<?>> unstreamed,
            Supplier<Optional<String>> rule) {
        ChunkRelay relay = live.relay();
        outcome.whenComplete((o, failure) -> {
            if (outcome.isCancelled()) {
                relay.close(); // the client left
            } else if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                relay.finish(Optional.empty(), Optional.of(failureError.apply(cause)));
            } else {
                ChatResponseMapper.Answer answer = responses.answer(request, o);
                relay.finish(answer.completion(), answer.error());
            }
        });
        return relay.started().thenCompose(start -> {
            if (start.isEmpty()) {
                return outcome.handle(unstreamed);
            }
            MutableHttpResponse<?> response = HttpResponse.ok(live.events())
                    .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                    .header(TiergateHeaders.REQUEST_ID, requestId)
                    .header(TiergateHeaders.TIER, start.get().tier().name())
                    .header(TiergateHeaders.MODEL, start.get().model());
            rule.get().ifPresent(r -> response.header(TiergateHeaders.RULE, r));
            return CompletableFuture.completedFuture(response);
        });
    }
}
