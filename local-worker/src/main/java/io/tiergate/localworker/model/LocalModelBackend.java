package io.tiergate.localworker.model;

import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;

/**
 * A local protocol client ({@link OllamaChatClient}, {@link OpenAiCompatibleChatClient}) behind
 * worker-core's backend SPI: the call and answer are translated, and each failure kind maps onto
 * the SPI's retry classification with a stable error code.
 */
public final class LocalModelBackend implements ModelBackend {

  /** Error code of a failure that says nothing about the server's health (its answer to a bad request). */
  public static final String BAD_REQUEST = "bad_request";

  public static final String MODEL_NOT_FOUND = "model_not_found";

  private final LocalChatBackend client;

  public LocalModelBackend(LocalChatBackend client) {
    this.client = client;
  }

  @Override
  public String provider() {
    return client.provider();
  }

  @Override
  public boolean simulated() {
    return client.simulated();
  }

  public String describe() {
    return client.describe();
  }

  @Override
  public ModelResponse call(ModelCall call) throws ModelCallException {
    LocalChatResponse response;
    try {
      response =
          client.chat(new LocalChatRequest(call.model(), call.systemPrompt(), call.prompt(), call.maxOutputTokens()));
    } catch (LocalModelException e) {
      throw translate(e);
    }
    return ModelResponse.builder(client.provider())
        .output(response.content())
        .usage(TokenUsage.of(response.promptTokens(), response.outputTokens()))
        .latency(response.wallTime())
        .ttft(response.timeToFirstToken().orElse(null))
        .busy(response.serverBusy().orElse(null))
        .simulated(client.simulated())
        .finishReason(response.doneReason().isEmpty() ? null : response.doneReason())
        .build();
  }

  static ModelCallException translate(LocalModelException e) {
    Integer status = e.httpStatus().isPresent() ? e.httpStatus().getAsInt() : null;
    return switch (e.kind()) {
      case MODEL_NOT_FOUND -> ModelCallException.nonRetryable(MODEL_NOT_FOUND, e.getMessage(), status);
      case BAD_REQUEST -> ModelCallException.nonRetryable(BAD_REQUEST, e.getMessage(), status);
      case SERVER_ERROR -> ModelCallException.retryable(status != null && status >= 400 ? "http_" + status : "server_error", e.getMessage(), status, null);
      case UNREACHABLE -> ModelCallException.retryable("unreachable", e.getMessage(), null, null);
      case TIMEOUT -> ModelCallException.timeout(e.getMessage(), e);
      case PROTOCOL -> ModelCallException.malformed(e.getMessage(), e);
    };
  }

  /**
   * Whether a failed call says the local server is unwell (counts towards opening the circuit): all
   * but its refusal of one bad request.
   */
  public static boolean countsAgainstServer(ModelCallException failure) {
    return !(failure.kind() == ModelCallException.Kind.NON_RETRYABLE && BAD_REQUEST.equals(failure.errorCode()));
  }
}
