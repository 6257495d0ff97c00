package io.tiergate.classifier.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.classifier.classify.RequestClassifier;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.schemas.events.Classification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Batch mode without a broker, for {@code ./tiergate classify}: reads JSONL requests and writes one
 * JSONL result per request, in input order.
 *
 * <p>Input line: {@code {"prompt": "...", "taskTypeHint": "CODE_REVIEW", "systemPrompt": "...", "id": "..."}}
 * (only {@code prompt} required; {@code id} or {@code requestId} is echoed back). Output line:
 * {@code {"line": n, "id": ..., "taskType", "confidence", "estimatedInputTokens", "tokenEncoding",
 * "complexity", "containsSensitiveData", "sensitiveKinds", "hintUsed", "evidence", "classifierVersion"}}.
 * A line that is not a JSON object, lacks a string {@code prompt}, is rejected (blank or oversize
 * prompt) or makes the classifier fail yields {@code {"line": n, "error": "..."}} and processing
 * continues. Blank lines are
 * skipped; {@code n} is the 1-based physical line number.
 */
public final class BatchClassifier {

  private final RequestClassifier classifier;
  private final ObjectMapper json = new ObjectMapper();

  public BatchClassifier(RequestClassifier classifier) {
    this.classifier = classifier;
  }

  /** The shipped model with the default settings (embedding on): loads in about a second. */
  public static BatchClassifier createDefault() {
    return new BatchClassifier(RequestClassifier.create(ClassifierSettings.DEFAULTS));
  }

  /**
   * Classifies every line of {@code in}, writing to {@code out} (flushed at the end, not closed).
   *
   * @throws UncheckedIOException when reading or writing fails
   */
  public void run(Reader in, Writer out) {
    BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
    try {
      String line;
      int n = 0;
      while ((line = lines.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        out.write(json.writeValueAsString(classifyLine(n, line)));
        out.write('\n');
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The output object for one non-blank input line. */
  ObjectNode classifyLine(int n, String line) {
    ObjectNode result = json.createObjectNode();
    result.put("line", n);
    JsonNode request;
    try {
      request = json.readTree(line);
    } catch (JsonProcessingException e) {
      return result.put("error", "not valid JSON: " + e.getOriginalMessage());
    }
    if (request == null || !request.isObject()) {
      return result.put("error", "not a JSON object");
    }
    JsonNode id = request.hasNonNull("id") ? request.get("id") : request.get("requestId");
    if (id != null && !id.isNull()) {
      result.set("id", id);
    }
    JsonNode prompt = request.get("prompt");
    if (prompt == null || !prompt.isTextual()) {
      return result.put("error", "no \"prompt\" string");
    }
    try {
      Classification c =
          classifier.classify(prompt.asText(), text(request, "systemPrompt"), text(request, "taskTypeHint"))
              .classification();
      result.put("taskType", c.getTaskType().name());
      result.put("confidence", c.getConfidence());
      result.put("estimatedInputTokens", c.getEstimatedInputTokens());
      result.put("tokenEncoding", c.getTokenEncoding());
      result.put("complexity", c.getComplexity());
      result.put("containsSensitiveData", c.getContainsSensitiveData());
      ArrayNode kinds = result.putArray("sensitiveKinds");
      c.getSensitiveKinds().forEach(kinds::add);
      result.put("hintUsed", c.getHintUsed());
      ArrayNode evidence = result.putArray("evidence");
      c.getEvidence().forEach(evidence::add);
      result.put("classifierVersion", c.getClassifierVersion());
      return result;
    } catch (InvalidInputException e) {
      return result.put("error", e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      // one line's failure must not end the run: it gets its error line, as a dead letter would
      return result.put("error", "classification failed: " + e);
    }
  }

  private static String text(JsonNode request, String field) {
    JsonNode v = request.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
