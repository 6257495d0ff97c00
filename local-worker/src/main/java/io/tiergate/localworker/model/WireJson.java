package io.tiergate.localworker.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** JSON helpers shared by the protocol clients: parsing, error bodies, thinking blocks. */
final class WireJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private static final Pattern THINK_BLOCK = Pattern.compile("(?s)<think>.*?(</think>|\\z)");
  private static final int MAX_ERROR_CHARS = 500;

  private WireJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The part of a chat request both local APIs share: {@code {"model", "messages": [{"role":
   * "system"} if there is a system prompt, {"role": "user"}], "stream"}}.
   */
  static ObjectNode chatBody(LocalChatRequest request, boolean stream) {
    ObjectNode body = object();
    body.put("model", request.model());
    ArrayNode messages = body.putArray("messages");
    if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
      messages.addObject().put("role", "system").put("content", request.systemPrompt());
    }
    messages.addObject().put("role", "user").put("content", request.prompt());
    body.put("stream", stream);
    return body;
  }

  /** Parses one protocol message; anything that is not a JSON object is a protocol error. */
  static JsonNode parse(String text, String what, int status, Duration elapsed) throws LocalModelException {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || !node.isObject()) {
        throw new LocalModelException(
            LocalModelException.Kind.PROTOCOL, status, what + " is not a JSON object: " + abbreviate(text), elapsed, null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new LocalModelException(
          LocalModelException.Kind.PROTOCOL, status, what + " is malformed JSON: " + abbreviate(text), elapsed, e);
    }
  }

  /**
   * The error text of a non-2xx body: Ollama {@code {"error": "..."}}, OpenAI/llama.cpp
   * {@code {"error": {"message": ...}}}, vLLM {@code {"object": "error", "message": ...}}, FastAPI
   * {@code {"detail": ...}}; otherwise the raw body, abbreviated.
   */
  static String errorMessage(String body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node != null && node.isObject()) {
        JsonNode error = node.get("error");
        if (error != null && error.isTextual()) {
          return error.asText();
        }
        if (error != null && error.hasNonNull("message")) {
          return error.get("message").asText();
        }
        if (node.hasNonNull("message")) {
          return node.get("message").asText();
        }
        if (node.hasNonNull("detail")) {
          return node.get("detail").toString();
        }
      }
    } catch (JsonProcessingException e) {
      // not JSON: fall through to the raw text
    }
    return body.isBlank() ? "(empty body)" : abbreviate(body);
  }

  /** The failure for a non-2xx status. */
  static LocalModelException statusError(int status, String body, String url, Duration elapsed) {
    String message = errorMessage(body);
    LocalModelException.Kind kind =
        switch (status) {
          case 404 -> LocalModelException.Kind.MODEL_NOT_FOUND;
          case 400, 413, 422 -> LocalModelException.Kind.BAD_REQUEST;
          case 408, 504 -> LocalModelException.Kind.TIMEOUT;
          default -> LocalModelException.Kind.SERVER_ERROR;
        };
    return new LocalModelException(kind, status, "HTTP " + status + " from " + url + ": " + message, elapsed, null);
  }

  /**
   * Removes {@code <think>…</think>} blocks that some models still emit inline (qwen3 on Ollama
   * versions without the {@code think} field, or templates that ignore it); an unclosed block runs
   * to the end.
   */
  static String withoutThinking(String content) {
    if (content.indexOf("<think>") < 0) {
      return content;
    }
    return THINK_BLOCK.matcher(content).replaceAll("").strip();
  }

  static long longOr(JsonNode node, String field, long fallback) {
    JsonNode n = node == null ? null : node.get(field);
    return n != null && n.canConvertToLong() ? n.asLong() : fallback;
  }

  static Optional<Duration> nanos(JsonNode node, String field) {
    JsonNode n = node.get(field);
    return n != null && n.canConvertToLong() && n.asLong() >= 0 ? Optional.of(Duration.ofNanos(n.asLong())) : Optional.empty();
  }

  static String abbreviate(String text) {
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
  }
}
