package io.tiergate.cloudworker.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.worker.backend.ModelCallException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Turns an HTTP error answer of a model API into a typed {@link ModelCallException}. Bodies follow
 * the providers' documented error shapes — OpenAI {@code {"error":{"message","type","code"}}},
 * OpenRouter {@code {"error":{"code":429,"message","metadata"}}}, Anthropic
 * {@code {"type":"error","error":{"type","message"}}} — and the message is redacted.
 *
 * <p>429, 408, 409, 5xx and Anthropic's 529 are retryable (with the server's Retry-After);
 * other 4xx are not (a 404 is {@code model_not_found}). Anthropic's spend-cap 429
 * ({@code error.details.error_code = enforced_spend_limit_reached}) is not retryable either:
 * waiting does not lift it.
 */
public final class HttpErrors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpErrors() {}

  public static ModelCallException toException(int status, HttpHeaders headers, byte[] body, String apiKey, Clock clock) {
    String raw = new String(body, StandardCharsets.UTF_8);
    String message = raw;
    String providerCode = null;
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode error = root.path("error");
      if (error.isObject()) {
        message = error.path("message").asText(raw);
        providerCode = error.hasNonNull("type") ? error.get("type").asText() : null;
        if (error.path("details").hasNonNull("error_code")) {
          providerCode = error.path("details").get("error_code").asText();
        } else if (error.hasNonNull("code") && error.get("code").isTextual()) {
          providerCode = error.get("code").asText();
        }
      } else if (root.hasNonNull("message")) {
        message = root.get("message").asText();
      }
    } catch (IOException e) {
      // not JSON (a proxy's HTML page): keep the raw text
    }
    String detail = "HTTP " + status + (providerCode != null ? " " + providerCode : "") + ": " + Redactor.clean(message, apiKey);
    Duration retryAfter = RetryAfter.from(headers, clock).orElse(null);
    if (status == 429) {
      if ("enforced_spend_limit_reached".equals(providerCode)) {
        return ModelCallException.nonRetryable("spend_limit_reached", detail, status);
      }
      return ModelCallException.retryable("rate_limited", detail, status, retryAfter);
    }
    if (status == 529) {
      return ModelCallException.retryable("overloaded", detail, status, retryAfter);
    }
    if (status >= 500 || status == 408 || status == 409) {
      return ModelCallException.retryable("http_" + status, detail, status, retryAfter);
    }
    String code =
        switch (status) {
          case 401 -> "unauthorized";
          case 402 -> "payment_required";
          case 403 -> "forbidden";
          case 404 -> "model_not_found";
          default -> "http_" + status;
        };
    return ModelCallException.nonRetryable(code, detail, status);
  }
}
