package io.tiergate.classifier.calibrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.CalibrationJudge;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * EXTRACTION: field-level agreement of two JSON objects. Agreement = the top-level fields both
 * answers have with equal values ÷ the fields either has (a field one answer lacks or adds counts
 * against it). Values are equal when they are the same JSON, texts compared without case and
 * surrounding whitespace, numbers by value. A local answer that is not a JSON object agrees 0; a
 * reference that is not one leaves nothing to compare field by field: the answers agree exactly when
 * their texts do. Agreed at {@code threshold} or above.
 */
public final class FieldsJudge {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final double threshold;

    public FieldsJudge(double threshold) {
        this.threshold = threshold;
    }

    public Verdict judge(String local, String reference) {
        Optional<JsonNode> ref = object(reference);
        if (ref.isEmpty()) {
            return Verdict.of(
                    CalibrationJudge.FIELDS,
                    LabelJudge.normalized(local).equals(LabelJudge.normalized(reference)) ? 1 : 0,
                    threshold);
        }
        Optional<JsonNode> loc = object(local);
        if (loc.isEmpty()) {
            return Verdict.of(CalibrationJudge.FIELDS, 0, threshold);
        }
        Set<String> union = new TreeSet<>();
        ref.get().fieldNames().forEachRemaining(union::add);
        loc.get().fieldNames().forEachRemaining(union::add);
        if (union.isEmpty()) {
            return Verdict.of(CalibrationJudge.FIELDS, 1, threshold);
        }
        long same = union.stream()
                .filter(f -> ref.get().has(f)
                        && loc.get().has(f)
                        && equal(ref.get().get(f), loc.get().get(f)))
                .count();
        return Verdict.of(CalibrationJudge.FIELDS, same / (double) union.size(), threshold);
    }

    /** The answer as a JSON object: the text itself, or inside a ``` fence. */
    static Optional<JsonNode> object(String answer) {
        if (answer == null) {
            return Optional.empty();
        }
        String s = answer.strip();
        if (s.startsWith("```")) {
            int open = s.indexOf('\n');
            int close = s.lastIndexOf("```");
            if (open > 0 && close > open) {
                s = s.substring(open + 1, close).strip();
            }
        }
        try {
            JsonNode node = JSON.readTree(s);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isTextual() && b.isTextual()) {
            return a.asText()
                    .strip()
                    .toLowerCase(Locale.ROOT)
                    .equals(b.asText().strip().toLowerCase(Locale.ROOT));
        }
        return a.equals(b);
    }
}
