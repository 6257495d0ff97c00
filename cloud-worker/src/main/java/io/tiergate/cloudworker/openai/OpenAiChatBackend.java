package io.tiergate.cloudworker.openai;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.cloudworker.config.ModelEndpoint;
import io.tiergate.cloudworker.http.ModelHttp;
import io.tiergate.cloudworker.http.Redactor;
import io.tiergate.cloudworker.http.SseReader;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * OpenAI-compatible chat completions ({@code POST {base}/chat/completions}) — OpenAI, OpenRouter,
 * and any compatible gateway. Streams with {@code stream_options.include_usage} and prices from the
 * final usage chunk (choices empty, sent before {@code data: [DONE]}); reads
 * {@code usage.prompt_tokens_details.cached_tokens} (a subset of {@code prompt_tokens}) and
 * OpenRouter's {@code cache_write_tokens} and {@code usage.cost} (USD; it wins over the table).
 *
 * <p>Never $0 by omission: an answer without usage is priced from estimated tokens (the
 * classifier's input estimate, output characters / 4) and logged; a stream cut off before
 * {@code [DONE]} is a MALFORMED failure that still bills the estimated consumption.
 */
public final class OpenAiChatBackend implements ModelBackend {

  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpenAiChatBackend.class);

  private final ModelEndpoint endpoint;
  private final ModelHttp http;
  private final Clock clock;

  public OpenAiChatBackend(ModelEndpoint endpoint, ModelHttp http, Clock clock) {
    this.endpoint = endpoint;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public String provider() {
    return endpoint.provider();
  }

  public ModelEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public ModelResponse call(ModelCall call) throws ModelCallException {
    byte[] body = requestBody(call);
    Map<String, String> auth = Map.of("authorization", "Bearer " + endpoint.apiKey().reveal());
    return http.call(
        endpoint, "/chat/completions", auth, body, call.timeout(), clock,
        exchange -> endpoint.stream() ? readStream(call, exchange) : readWhole(call, exchange));
  }

  byte[] requestBody(ModelCall call) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", endpoint.remoteModel());
    ArrayNode messages = root.putArray("messages");
    call.system().ifPresent(s -> messages.addObject().put("role", "system").put("content", s));
    messages.addObject().put("role", "user").put("content", call.prompt());
    if (call.maxOutputTokens() != null) {
      root.put("max_tokens", call.maxOutputTokens());
    }
    if (endpoint.stream()) {
      root.put("stream", true);
      root.putObject("stream_options").put("include_usage", true);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ModelResponse readWhole(ModelCall call, ModelHttp.Exchange exchange) throws IOException, ModelCallException {
    JsonNode root = parse(exchange.readAll());
    if (root.has("error")) {
      throw providerError(root.get("error"));
    }
    JsonNode choice = root.path("choices").path(0);
    if (choice.isMissingNode()) {
      throw ModelCallException.malformed(endpoint.model() + ": answer without choices", null);
    }
    String output = choice.path("message").path("content").asText("");
    Usage usage = Usage.of(root.get("usage"));
    return response(call, output, usage, exchange.elapsed(), null, choice.path("finish_reason").asText(null));
  }

  private ModelResponse readStream(ModelCall call, ModelHttp.Exchange exchange) throws IOException, ModelCallException {
    StringBuilder output = new StringBuilder();
    Duration ttft = null;
    Usage usage = null;
    String finish = null;
    boolean done = false;
    try (SseReader sse = new SseReader(exchange.body())) {
      SseReader.Event event;
      while ((event = sse.next()) != null) {
        if ("[DONE]".equals(event.data().strip())) {
          done = true;
          break;
        }
        JsonNode chunk = parse(event.data().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (chunk.has("error")) {
          // OpenRouter reports mid-stream failures as a chunk carrying an error object
          throw providerError(chunk.get("error")).withConsumed(estimated(call, output, usage));
        }
        for (JsonNode choice : chunk.path("choices")) {
          String piece = choice.path("delta").path("content").asText("");
          if (!piece.isEmpty()) {
            if (ttft == null) {
              ttft = exchange.elapsed();
            }
            output.append(piece);
          }
          if (choice.hasNonNull("finish_reason")) {
            finish = choice.get("finish_reason").asText();
          }
        }
        if (chunk.hasNonNull("usage")) {
          usage = Usage.of(chunk.get("usage"));
        }
      }
    }
    if (!done) {
      throw ModelCallException.malformed(endpoint.model() + ": stream ended before data: [DONE]", null)
          .withConsumed(estimated(call, output, usage));
    }
    return response(call, output.toString(), usage, exchange.elapsed(), ttft, finish);
  }

  private ModelResponse response(ModelCall call, String output, Usage usage, Duration latency, Duration ttft, String finish) {
    TokenUsage tokens;
    BigDecimal cost = null;
    if (usage == null) {
      tokens = estimated(call, new StringBuilder(output), null);
      LOG.warn("{} answered without usage; billing estimated tokens {}", endpoint.model(), tokens);
    } else {
      tokens = usage.tokens();
      cost = usage.costUsd();
    }
    return ModelResponse.builder(endpoint.provider())
        .output(output)
        .usage(tokens)
        .providerCostUsd(cost)
        .latency(latency)
        .ttft(ttft)
        .finishReason(finish)
        .build();
  }

  private static TokenUsage estimated(ModelCall call, CharSequence output, Usage usage) {
    if (usage != null) {
      return usage.tokens();
    }
    return TokenUsage.of(Math.max(0, call.estimatedInputTokens()), (output.length() + 3) / 4);
  }

  private ModelCallException providerError(JsonNode error) {
    String message = Redactor.clean(error.path("message").asText("provider error"), endpoint.apiKey().reveal());
    int code = error.path("code").asInt(0);
    if (code == 429) {
      return ModelCallException.retryable("rate_limited", endpoint.model() + ": " + message, 429, null);
    }
    if (code >= 400 && code < 500) {
      return ModelCallException.nonRetryable("http_" + code, endpoint.model() + ": " + message, code);
    }
    return ModelCallException.retryable("provider_error", endpoint.model() + ": " + message, code == 0 ? null : code, null);
  }

  private JsonNode parse(byte[] bytes) throws ModelCallException {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw ModelCallException.malformed(endpoint.model() + ": answer is not valid JSON", e);
    }
  }

  /** The usage object of chat completions, normalised. */
  record Usage(long prompt, long completion, long cachedRead, long cacheWrite, BigDecimal costUsd) {
    static Usage of(JsonNode u) throws ModelCallException {
      if (u == null || u.isNull()) {
        return null;
      }
      if (!u.path("prompt_tokens").canConvertToLong() || !u.path("completion_tokens").canConvertToLong()) {
        throw ModelCallException.malformed("usage without prompt_tokens / completion_tokens: " + u, null);
      }
      JsonNode details = u.path("prompt_tokens_details");
      BigDecimal cost = u.hasNonNull("cost") && u.get("cost").isNumber() ? u.get("cost").decimalValue() : null;
      return new Usage(
          u.get("prompt_tokens").asLong(),
          u.get("completion_tokens").asLong(),
          details.path("cached_tokens").asLong(0),
          details.path("cache_write_tokens").asLong(0),
          cost);
    }

    /** prompt_tokens includes cached reads (and OpenRouter's cache writes): split them out. */
    TokenUsage tokens() {
      long uncached = Math.max(0, prompt - cachedRead - cacheWrite);
      return new TokenUsage(uncached, completion, cachedRead, cacheWrite);
    }
  }
}
