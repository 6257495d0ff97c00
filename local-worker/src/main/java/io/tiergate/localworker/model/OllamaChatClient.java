package io.tiergate.localworker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

/**
 * Ollama's native chat API ({@code POST /api/chat}, docs/api.md "Generate a chat completion" and
 * docs.ollama.com/api/errors):
 *
 * <ul>
 *   <li>request {@code {"model", "messages": [{"role","content"}], "stream", "think", "keep_alive",
 *       "options": {"num_ctx", "num_predict"}}};
 *   <li>streamed: NDJSON objects {@code {"message": {"content": "…"}, "done": false}}, ending with
 *       {@code "done": true} which carries {@code total_duration}, {@code load_duration},
 *       {@code prompt_eval_count}, {@code eval_count} (durations in nanoseconds); a stream that ends
 *       without it was cut off;
 *   <li>not streamed: one object with the whole {@code message} and the same statistics;
 *   <li>errors: a non-2xx status with {@code {"error": "…"}} (404 {@code model 'x' not found}), or,
 *       once streaming has started, an NDJSON line {@code {"error": "…"}} with status 200.
 * </ul>
 */
public final class OllamaChatClient implements LocalChatBackend {

  private final HttpClient http;
  private final EndpointSettings settings;
  private final URI chatUri;

  public OllamaChatClient(HttpClient http, EndpointSettings settings) {
    this.http = http;
    this.settings = settings;
    this.chatUri = settings.resolve("/api/chat");
  }

  @Override
  public String provider() {
    return "ollama";
  }

  @Override
  public boolean simulated() {
    return false;
  }

  @Override
  public String describe() {
    return "ollama at " + settings.baseUrl();
  }

  @Override
  public LocalChatResponse chat(LocalChatRequest request) throws LocalModelException {
    String accept = settings.stream() ? "application/x-ndjson" : "application/json";
    try (HttpLines lines = HttpLines.postJson(http, chatUri, accept, body(request), settings)) {
      return settings.stream() ? readStream(lines) : readSingle(lines);
    }
  }

  ObjectNode body(LocalChatRequest request) {
    ObjectNode body = WireJson.chatBody(request, settings.stream());
    if (settings.think() != null) {
      body.put("think", settings.think());
    }
    if (settings.keepAlive() != null && !settings.keepAlive().isBlank()) {
      body.put("keep_alive", settings.keepAlive());
    }
    ObjectNode options = WireJson.object();
    if (settings.numCtx() != null) {
      options.put("num_ctx", settings.numCtx());
    }
    if (request.maxOutputTokens() != null) {
      options.put("num_predict", request.maxOutputTokens());
    }
    if (!options.isEmpty()) {
      body.set("options", options);
    }
    return body;
  }

  private LocalChatResponse readSingle(HttpLines lines) throws LocalModelException {
    String text = lines.remainingBody();
    JsonNode node = WireJson.parse(text, "Ollama /api/chat response", lines.status(), lines.elapsed());
    failOnError(node, lines);
    if (!node.path("done").asBoolean(false)) {
      throw lines.error(
          LocalModelException.Kind.PROTOCOL, "Ollama /api/chat response without \"done\": true: " + WireJson.abbreviate(text));
    }
    String content = node.path("message").path("content").asText("");
    return response(node, content, lines.elapsed(), Optional.empty());
  }

  private LocalChatResponse readStream(HttpLines lines) throws LocalModelException {
    StringBuilder content = new StringBuilder();
    Optional<Duration> ttft = Optional.empty();
    for (String line = lines.nextLine(); line != null; line = lines.nextLine()) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode chunk = WireJson.parse(line, "Ollama stream chunk", lines.status(), lines.elapsed());
      failOnError(chunk, lines);
      String piece = chunk.path("message").path("content").asText("");
      if (!piece.isEmpty()) {
        content.append(piece);
        if (ttft.isEmpty()) {
          ttft = Optional.of(lines.elapsed());
        }
      }
      if (chunk.path("done").asBoolean(false)) {
        return response(chunk, content.toString(), lines.elapsed(), ttft);
      }
    }
    throw lines.error(
        LocalModelException.Kind.PROTOCOL,
        "Ollama stream from " + chatUri + " ended before the final \"done\": true chunk (after "
            + content.length() + " characters)");
  }

  private static void failOnError(JsonNode node, HttpLines lines) throws LocalModelException {
    if (node.hasNonNull("error")) {
      throw lines.error(LocalModelException.Kind.SERVER_ERROR, "Ollama reported an error: " + WireJson.errorMessage(node.toString()));
    }
  }

  private static LocalChatResponse response(JsonNode last, String content, Duration wall, Optional<Duration> ttft) {
    return new LocalChatResponse(
        WireJson.withoutThinking(content),
        last.path("model").asText(""),
        WireJson.longOr(last, "prompt_eval_count", 0),
        WireJson.longOr(last, "eval_count", 0),
        WireJson.nanos(last, "total_duration"),
        WireJson.nanos(last, "load_duration"),
        wall,
        ttft,
        last.path("done_reason").asText(""));
  }
}
