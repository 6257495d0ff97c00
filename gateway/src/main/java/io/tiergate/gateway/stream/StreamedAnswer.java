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

/**
 * The answer to a call with {@code stream: true} (docs/gateway.md, "Streaming"): at the first relayed
 * chunk, a {@code 200 text/event-stream} response whose body is the relay's events (headers: request
 * id, tier and model; the cost is in the usage chunk); when the outcome comes first, the answer an
 * unstreamed relay gives ({@code unstreamed}).
 */
public final class StreamedAnswer {

    private StreamedAnswer() {}

    /**
     * @param failureError the OpenAI error for a call that failed without an outcome (timeout, not
     *     published)
     * @param unstreamed the answer when nothing was relayed before the outcome: as without chunks
     */
    public static CompletableFuture<MutableHttpResponse<?>> answer(
            String requestId,
            ChatRequest request,
            StreamingCalls.Live live,
            CompletableFuture<Outcome> outcome,
            ChatResponseMapper responses,
            Function<Throwable, ApiError> failureError,
            BiFunction<Outcome, Throwable, MutableHttpResponse<?>> unstreamed) {
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
                    .header("x-tiergate-tier", start.get().tier().name())
                    .header("x-tiergate-model", start.get().model());
            return CompletableFuture.completedFuture(response);
        });
    }
}
