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
import java.util.ArrayList;
import java.util.List;

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

    /** Lines classified together: one embedding call per chunk. */
    static final int CHUNK = 32;

    /**
     * Classifies every line of {@code in}, writing to {@code out} (flushed at the end, not closed).
     * Lines are read in chunks of {@value #CHUNK}, and each chunk's prompts go through the model in
     * one batch; output stays in input order.
     *
     * @throws UncheckedIOException when reading or writing fails
     */
    public void run(Reader in, Writer out) {
        BufferedReader lines = in instanceof BufferedReader b ? b : new BufferedReader(in);
        try {
            String line;
            int n = 0;
            List<Line> chunk = new ArrayList<>(CHUNK);
            while ((line = lines.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                chunk.add(prepareLine(n, line));
                if (chunk.size() == CHUNK) {
                    writeChunk(chunk, out);
                }
            }
            writeChunk(chunk, out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One input line: its output object so far, and the prepared request when it has one. */
    private record Line(ObjectNode result, RequestClassifier.Prepared prepared) {}

    private void writeChunk(List<Line> chunk, Writer out) throws IOException {
        List<Line> ready = chunk.stream().filter(l -> l.prepared() != null).toList();
        List<RequestClassifier.Result> results = null;
        try {
            results = classifier.complete(ready.stream().map(Line::prepared).toList());
        } catch (RuntimeException | StackOverflowError e) {
            // one line breaks the model: the others are classified alone below
        }
        for (int i = 0; i < ready.size(); i++) {
            Line l = ready.get(i);
            if (results != null) {
                write(l.result(), results.get(i).classification());
            } else {
                try {
                    write(
                            l.result(),
                            classifier.complete(List.of(l.prepared())).get(0).classification());
                } catch (RuntimeException | StackOverflowError e) {
                    l.result().put("error", "classification failed: " + e);
                }
            }
        }
        for (Line l : chunk) {
            out.write(json.writeValueAsString(l.result()));
            out.write('\n');
        }
        chunk.clear();
    }

    /** The output object for one non-blank input line, classified alone. */
    ObjectNode classifyLine(int n, String line) {
        List<Line> one = new ArrayList<>(List.of(prepareLine(n, line)));
        ObjectNode result = one.get(0).result();
        try {
            writeChunk(one, Writer.nullWriter());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    private Line prepareLine(int n, String line) {
        ObjectNode result = json.createObjectNode();
        result.put("line", n);
        JsonNode request;
        try {
            request = json.readTree(line);
        } catch (JsonProcessingException e) {
            return new Line(result.put("error", "not valid JSON: " + e.getOriginalMessage()), null);
        }
        if (request == null || !request.isObject()) {
            return new Line(result.put("error", "not a JSON object"), null);
        }
        JsonNode id = request.hasNonNull("id") ? request.get("id") : request.get("requestId");
        if (id != null && !id.isNull()) {
            result.set("id", id);
        }
        JsonNode prompt = request.get("prompt");
        if (prompt == null || !prompt.isTextual()) {
            return new Line(result.put("error", "no \"prompt\" string"), null);
        }
        try {
            return new Line(
                    result,
                    classifier.prepare(prompt.asText(), text(request, "systemPrompt"), text(request, "taskTypeHint")));
        } catch (InvalidInputException e) {
            return new Line(result.put("error", e.getMessage()), null);
        } catch (RuntimeException | StackOverflowError e) {
            // one line's failure must not end the run: it gets its error line, as a dead letter would
            return new Line(result.put("error", "classification failed: " + e), null);
        }
    }

    private static void write(ObjectNode result, Classification c) {
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
    }

    private static String text(JsonNode request, String field) {
        JsonNode v = request.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
