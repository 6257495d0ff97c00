package io.tiergate.cloudworker.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Anthropic Messages API ({@code POST {base}/v1/messages}, {@code x-api-key},
 * {@code anthropic-version: 2023-06-01}). Usage: {@code input_tokens} (uncached),
 * {@code cache_read_input_tokens}, {@code cache_creation_input_tokens}, {@code output_tokens}.
 * Streaming: {@code message_start} carries the input-side usage, {@code content_block_delta}
 * ({@code text_delta}) the text, {@code message_delta} the cumulative usage and stop reason,
 * {@code message_stop} ends it; {@code ping} is ignored; an {@code error} event fails the call
 * (an {@code overloaded_error} is retryable). A stream without {@code message_stop} is MALFORMED and
 * bills what {@code message_start}/{@code message_delta} reported.
 */
public final class AnthropicMessagesBackend implements ModelBackend {

  public static final String API_VERSION = "2023-06-01";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelEndpoint endpoint;
  private final ModelHttp http;
  private final Clock clock;

  public AnthropicMessagesBackend(ModelEndpoint endpoint, ModelHttp http, Clock clock) {
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
    Map<String, String> auth = Map.of("x-api-key", endpoint.apiKey().reveal(), "anthropic-version", API_VERSION);
    return http.call(
        endpoint, "/v1/messages", auth, requestBody(call), call.timeout(), clock,
        exchange -> endpoint.stream() ? readStream(exchange) : readWhole(exchange));
  }

  byte[] requestBody(ModelCall call) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", endpoint.remoteModel());
    root.put("max_tokens", call.maxOutputTokens() != null ? call.maxOutputTokens() : endpoint.defaultMaxOutputTokens());
    call.system().ifPresent(s -> root.put("system", s));
    root.putArray("messages").addObject().put("role", "user").put("content", call.prompt());
    if (endpoint.stream()) {
      root.put("stream", true);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ModelResponse readWhole(ModelHttp.Exchange exchange) throws IOException, ModelCallException {
    JsonNode root = parse(exchange.readAll());
    if ("error".equals(root.path("type").asText())) {
      throw eventError(root.path("error"));
    }
    if (!root.path("usage").isObject()) {
      throw ModelCallException.malformed(endpoint.model() + ": message without usage", null);
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : root.path("content")) {
      if ("text".equals(block.path("type").asText())) {
        text.append(block.path("text").asText(""));
      }
    }
    Counts counts = new Counts();
    counts.update(root.get("usage"));
    return ModelResponse.builder(endpoint.provider())
        .output(text.toString())
        .usage(counts.tokens())
        .latency(exchange.elapsed())
        .finishReason(root.path("stop_reason").asText(null))
        .build();
  }

  private ModelResponse readStream(ModelHttp.Exchange exchange) throws IOException, ModelCallException {
    StringBuilder text = new StringBuilder();
    Counts counts = new Counts();
    Duration ttft = null;
    String stopReason = null;
    boolean stopped = false;
    boolean started = false;
    try (SseReader sse = new SseReader(exchange.body())) {
      SseReader.Event event;
      while ((event = sse.next()) != null) {
        JsonNode data = parse(event.data().getBytes(StandardCharsets.UTF_8));
        String type = data.path("type").asText(event.name());
        switch (type) {
          case "message_start" -> {
            started = true;
            counts.update(data.path("message").path("usage"));
          }
          case "content_block_delta" -> {
            JsonNode delta = data.path("delta");
            if ("text_delta".equals(delta.path("type").asText())) {
              if (ttft == null) {
                ttft = exchange.elapsed();
              }
              text.append(delta.path("text").asText(""));
            }
          }
          case "message_delta" -> {
            counts.update(data.path("usage"));
            if (data.path("delta").hasNonNull("stop_reason")) {
              stopReason = data.path("delta").get("stop_reason").asText();
            }
          }
          case "message_stop" -> stopped = true;
          case "error" -> throw eventError(data.path("error")).withConsumed(counts.tokens());
          default -> {
            // ping, content_block_start/stop and event types added later carry no usage
          }
        }
        if (stopped) {
          break;
        }
      }
    }
    if (!stopped) {
      ModelCallException truncated = ModelCallException.malformed(endpoint.model() + ": stream ended before message_stop", null);
      throw started ? truncated.withConsumed(counts.tokensOrEstimate(text)) : truncated;
    }
    return ModelResponse.builder(endpoint.provider())
        .output(text.toString())
        .usage(counts.tokens())
        .latency(exchange.elapsed())
        .ttft(ttft)
        .finishReason(stopReason)
        .build();
  }

  private ModelCallException eventError(JsonNode error) {
    String type = error.path("type").asText("api_error");
    String message = endpoint.model() + ": " + type + ": " + Redactor.clean(error.path("message").asText(""), endpoint.apiKey().reveal());
    return switch (type) {
      case "overloaded_error" -> ModelCallException.retryable("overloaded", message, 529, null);
      case "rate_limit_error" -> ModelCallException.retryable("rate_limited", message, 429, null);
      case "api_error", "timeout_error" -> ModelCallException.retryable("provider_error", message, 500, null);
      case "not_found_error" -> ModelCallException.nonRetryable("model_not_found", message, 404);
      case "authentication_error" -> ModelCallException.nonRetryable("unauthorized", message, 401);
      default -> ModelCallException.nonRetryable(type, message, 400);
    };
  }

  private JsonNode parse(byte[] bytes) throws ModelCallException {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw ModelCallException.malformed(endpoint.model() + ": answer is not valid JSON", e);
    }
  }

  /** Usage as the events report it; later (cumulative) figures replace earlier ones. */
  private static final class Counts {
    long input;
    long output;
    long cacheRead;
    long cacheWrite;
    boolean outputReported;

    void update(JsonNode usage) {
      if (usage == null || !usage.isObject()) {
        return;
      }
      if (usage.hasNonNull("input_tokens")) {
        input = usage.get("input_tokens").asLong();
      }
      if (usage.hasNonNull("output_tokens")) {
        output = usage.get("output_tokens").asLong();
        outputReported = true;
      }
      if (usage.hasNonNull("cache_read_input_tokens")) {
        cacheRead = usage.get("cache_read_input_tokens").asLong();
      }
      if (usage.hasNonNull("cache_creation_input_tokens")) {
        cacheWrite = usage.get("cache_creation_input_tokens").asLong();
      }
    }

    TokenUsage tokens() {
      return new TokenUsage(input, output, cacheRead, cacheWrite);
    }

    /** For a cut-off stream: the output count so far, at least the text received / 4. */
    TokenUsage tokensOrEstimate(CharSequence text) {
      long estimate = (text.length() + 3) / 4;
      return new TokenUsage(input, outputReported ? Math.max(output, estimate) : estimate, cacheRead, cacheWrite);
    }
  }
}
