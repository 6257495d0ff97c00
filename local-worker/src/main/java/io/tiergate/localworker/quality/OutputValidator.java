package io.tiergate.localworker.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.TaskType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the answers whose shape is known before they are delivered (issue 5, "quality escalation"):
 *
 * <ul>
 *   <li>EXTRACTION must be JSON, an object or an array. A model that wraps it in a Markdown fence
 *       ({@code ```json … ```}) or adds a sentence around the fence is accepted and the JSON inside
 *       is delivered; prose without JSON, or JSON with trailing text, is not.
 *   <li>CLASSIFICATION with a label set in {@code attributes["labels"]} (comma-separated) must be one
 *       of the labels. Case, surrounding quotes/backticks/whitespace and a trailing period are
 *       forgiven; the label is delivered as spelled in the label set.
 * </ul>
 * Other task types, and CLASSIFICATION without labels, are free text and always accepted.
 */
public final class OutputValidator {

    public static final String LABELS_ATTRIBUTE = "labels";

    private static final Pattern FENCE = Pattern.compile("(?s)```[a-zA-Z0-9_-]*[ \\t]*\\R?(.*?)```");
    private static final ObjectMapper STRICT_JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_QUOTED = 80;

    public OutputCheck check(TaskType type, String output, Map<String, String> attributes) {
        String text = output == null ? "" : output;
        if (type == TaskType.EXTRACTION) {
            return checkJson(text);
        }
        if (type == TaskType.CLASSIFICATION) {
            List<String> labels = labels(attributes);
            if (!labels.isEmpty()) {
                return checkLabel(text, labels);
            }
        }
        return OutputCheck.ok(text);
    }

    /** Whether answers of this type (with these attributes) are checked at all. */
    public boolean checks(TaskType type, Map<String, String> attributes) {
        return type == TaskType.EXTRACTION
                || (type == TaskType.CLASSIFICATION && !labels(attributes).isEmpty());
    }

    private static OutputCheck checkJson(String text) {
        String candidate = fenced(text).orElse(text).strip();
        if (candidate.isEmpty()) {
            return OutputCheck.rejected(text, "EXTRACTION output is empty, expected JSON");
        }
        try {
            JsonNode node = STRICT_JSON.readTree(candidate);
            if (node == null || !(node.isObject() || node.isArray())) {
                return OutputCheck.rejected(
                        text,
                        "EXTRACTION output is a bare JSON value, expected an object or array: " + quote(candidate));
            }
            return OutputCheck.ok(candidate);
        } catch (JsonProcessingException e) {
            return OutputCheck.rejected(
                    text, "EXTRACTION output is not valid JSON (" + e.getOriginalMessage() + "): " + quote(candidate));
        }
    }

    private static Optional<String> fenced(String text) {
        Matcher m = FENCE.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static OutputCheck checkLabel(String text, List<String> labels) {
        String answer = text.strip();
        for (String before = null; !answer.equals(before); ) {
            before = answer;
            if (answer.endsWith(".")) {
                answer = answer.substring(0, answer.length() - 1).strip();
            }
            answer = stripAround(stripAround(stripAround(answer, "`"), "\""), "'");
        }
        for (String label : labels) {
            if (label.toLowerCase(Locale.ROOT).equals(answer.toLowerCase(Locale.ROOT))) {
                return OutputCheck.ok(label);
            }
        }
        return OutputCheck.rejected(
                text, "CLASSIFICATION output " + quote(text.strip()) + " is not one of the labels " + labels);
    }

    static List<String> labels(Map<String, String> attributes) {
        String raw = attributes == null ? null : attributes.get(LABELS_ATTRIBUTE);
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        return Arrays.stream(raw.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String stripAround(String s, String mark) {
        if (s.length() >= 2 * mark.length() && s.startsWith(mark) && s.endsWith(mark)) {
            return s.substring(mark.length(), s.length() - mark.length()).strip();
        }
        return s;
    }

    private static String quote(String s) {
        String one = s.replaceAll("\\s+", " ");
        return "\"" + (one.length() <= MAX_QUOTED ? one : one.substring(0, MAX_QUOTED) + "…") + "\"";
    }
}
