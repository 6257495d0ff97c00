package io.tiergate.localworker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

/**
 * A local server speaking OpenAI chat completions ({@code POST /v1/chat/completions}): llama.cpp
 * server, vLLM, LM Studio, Ollama's own compatibility layer.
 *
 * <ul>
 *   <li>not streamed: {@code {"choices": [{"message": {"content"}, "finish_reason"}], "usage":
 *       {"prompt_tokens", "completion_tokens"}}}; llama.cpp adds {@code "timings": {"prompt_ms",
 *       "predicted_ms"}}, used as the server's busy time;
 *   <li>streamed (server-sent events): {@code data: {"choices": [{"delta": {"content"}}]}} lines,
 *       with {@code stream_options.include_usage} a last chunk with empty {@code choices} and the
 *       {@code usage}, then {@code data: [DONE]}; a stream without {@code [DONE]} was cut off;
 *   <li>errors: {@code {"error": {"message", "type", "code"}}} (vLLM: {@code {"object": "error",
 *       "message"}}), in the body of a non-2xx response or as a {@code data:} event mid-stream.
 * </ul>
 */
public final class OpenAiCompatibleChatClient implements LocalChatBackend {

  private final HttpClient http;
  private final EndpointSettings settings;
  private final URI chatUri;

  public OpenAiCompatibleChatClient(HttpClient http, EndpointSettings settings) {
    this.http = http;
    this.settings = settings;
    this.chatUri = settings.resolve(settings.baseUrl().getPath().endsWith("/v1") || settings.baseUrl().getPath().endsWith("/v1/")
        ? "/chat/completions"
        : "/v1/chat/completions");
  }

  @Override
  public String provider() {
    return "openai-compatible";
  }

  @Override
  public boolean simulated() {
    return false;
  }

  @Override
  public String describe() {
    return "openai-compatible server at " + settings.baseUrl();
  }

  @Override
  public LocalChatResponse chat(LocalChatRequest request) throws LocalModelException {
    String accept = settings.stream() ? "text/event-stream" : "application/json";
    try (HttpLines lines = HttpLines.postJson(http, chatUri, accept, body(request), settings)) {
      return settings.stream() ? readStream(request, lines) : readSingle(request, lines);
    }
  }

  ObjectNode body(LocalChatRequest request) {
    ObjectNode body = WireJson.chatBody(request, settings.stream());
    if (settings.stream()) {
      body.putObject("stream_options").put("include_usage", true);
    }
    if (request.maxOutputTokens() != null) {
      body.put("max_tokens", request.maxOutputTokens());
    }
    return body;
  }

  private LocalChatResponse readSingle(LocalChatRequest request, HttpLines lines) throws LocalModelException {
    String text = lines.remainingBody();
    JsonNode node = WireJson.parse(text, "chat completion", lines.status(), lines.elapsed());
    failOnError(node, lines);
    JsonNode choice = node.path("choices").path(0);
    if (choice.isMissingNode()) {
      throw lines.error(LocalModelException.Kind.PROTOCOL, "chat completion without choices: " + WireJson.abbreviate(text));
    }
    return response(
        request, node, choice.path("message").path("content").asText(""), choice.path("finish_reason").asText(""),
        node.get("usage"), node.get("timings"), lines.elapsed(), Optional.empty());
  }

  private LocalChatResponse readStream(LocalChatRequest request, HttpLines lines) throws LocalModelException {
    StringBuilder content = new StringBuilder();
    Optional<Duration> ttft = Optional.empty();
    JsonNode usage = null;
    JsonNode timings = null;
    JsonNode last = null;
    String finishReason = "";
    for (String line = lines.nextLine(); line != null; line = lines.nextLine()) {
      if (!line.startsWith("data:")) {
        continue; // blank separators, "event:", "id:", ": keep-alive" comments
      }
      String data = line.substring(5).strip();
      if (data.equals("[DONE]")) {
        return response(request, last, content.toString(), finishReason, usage, timings, lines.elapsed(), ttft);
      }
      JsonNode chunk = WireJson.parse(data, "chat completion chunk", lines.status(), lines.elapsed());
      failOnError(chunk, lines);
      last = chunk;
      JsonNode choice = chunk.path("choices").path(0);
      String piece = choice.path("delta").path("content").asText("");
      if (!piece.isEmpty()) {
        content.append(piece);
        if (ttft.isEmpty()) {
          ttft = Optional.of(lines.elapsed());
        }
      }
      if (choice.hasNonNull("finish_reason")) {
        finishReason = choice.get("finish_reason").asText();
      }
      if (chunk.hasNonNull("usage")) {
        usage = chunk.get("usage");
      }
      if (chunk.hasNonNull("timings")) {
        timings = chunk.get("timings");
      }
    }
    throw lines.error(
        LocalModelException.Kind.PROTOCOL,
        "chat completion stream from " + chatUri + " ended without data: [DONE] (after "
            + content.length() + " characters)");
  }

  private static void failOnError(JsonNode node, HttpLines lines) throws LocalModelException {
    if (node.hasNonNull("error") || "error".equals(node.path("object").asText())) {
      throw lines.error(LocalModelException.Kind.SERVER_ERROR, "the server reported an error: " + WireJson.errorMessage(node.toString()));
    }
  }

  private static LocalChatResponse response(
      LocalChatRequest request,
      JsonNode last,
      String content,
      String finishReason,
      JsonNode usage,
      JsonNode timings,
      Duration wall,
      Optional<Duration> ttft) {
    Optional<Duration> serverBusy = Optional.empty();
    if (timings != null && timings.has("prompt_ms") && timings.has("predicted_ms")) {
      double ms = timings.get("prompt_ms").asDouble() + timings.get("predicted_ms").asDouble();
      serverBusy = Optional.of(Duration.ofNanos(Math.round(ms * 1_000_000)));
    }
    String model = last == null ? "" : last.path("model").asText("");
    return new LocalChatResponse(
        WireJson.withoutThinking(content),
        model.isEmpty() ? request.model() : model,
        WireJson.longOr(usage, "prompt_tokens", 0),
        WireJson.longOr(usage, "completion_tokens", 0),
        serverBusy,
        Optional.empty(),
        wall,
        ttft,
        finishReason);
  }
}
