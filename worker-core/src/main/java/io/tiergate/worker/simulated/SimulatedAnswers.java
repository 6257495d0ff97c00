package io.tiergate.worker.simulated;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.worker.simulated.SimulatedQuality.ErrorStyle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The text of a simulated answer, with a planted quality (docs/calibration.md, "Simulated quality").
 * A right answer is derived from the request only — never from the model — so two simulated models
 * that are both right give the same answer and a judge sees them agree:
 *
 * <ul>
 *   <li>CLASSIFICATION: one label of {@code attributes["labels"]} (comma-separated; else {@link
 *       #DEFAULT_LABELS}), picked by the prompt;
 *   <li>EXTRACTION: a JSON object whose fields are taken from the prompt's words;
 *   <li>every other type: a line of text about the prompt.
 * </ul>
 * A wrong answer (decided by {@link SimulatedQuality} from the request id and task type) names another
 * label, lacks one field, or talks about something else; which wrong label or off-topic line depends
 * on the model, so two wrong models do not agree by accident.
 */
public final class SimulatedAnswers {

    /** The labels of a CLASSIFICATION request that names none. */
    public static final List<String> DEFAULT_LABELS = List.of("positive", "negative", "neutral");

    /** Request attribute with the labels of a CLASSIFICATION request (the local worker's output check reads it too). */
    public static final String LABELS_ATTRIBUTE = "labels";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Salt of the right/wrong draw: fixed, so every backend draws the same number for a request. */
    private static final long QUALITY_SALT = 0x5EED_CA1B_0A7EL;

    private static final List<String> OFF_TOPIC = List.of(
            "The recipe calls for two cups of flour, a pinch of salt and an hour of rest before baking.",
            "Migrating birds navigate by the stars, the sun and the earth's magnetic field.",
            "The football match ended in a draw after extra time and a long penalty shoot-out.",
            "Volcanic soil is rich in minerals, which is why vineyards often grow on old lava slopes.",
            "The museum's new wing shows impressionist landscapes from the late nineteenth century.");

    private final SimulatedQuality quality;

    public SimulatedAnswers(SimulatedQuality quality) {
        this.quality = Objects.requireNonNull(quality, "quality");
    }

    public SimulatedQuality quality() {
        return quality;
    }

    /**
     * True when the answer to request {@code requestId} of {@code type} is planted wrong: the request's
     * draw in [0, 1) is below the type's error rate. The same for every model, attempt and backend seed.
     */
    public boolean wrong(String requestId, TaskType type) {
        return draw(requestId, type) < quality.errorRate(type);
    }

    /** The request's uniform draw in [0, 1): a function of request id and task type only. */
    static double draw(String requestId, TaskType type) {
        long h = QUALITY_SALT;
        h = 31 * h + stableHash(requestId);
        h = 31 * h + type.ordinal();
        return new SplittableRandom(h).nextDouble();
    }

    /**
     * The answer {@code model} gives to {@code prompt} of request {@code requestId}.
     *
     * @param attributes the request's attributes ({@code labels} for CLASSIFICATION)
     */
    public String answer(String requestId, String model, TaskType type, String prompt, Map<String, String> attributes) {
        boolean wrong = wrong(requestId, type);
        ErrorStyle style = quality.style(type);
        return switch (type) {
            case CLASSIFICATION ->
                wrong && style == ErrorStyle.OFF_TOPIC
                        ? offTopic(requestId, model)
                        : label(labels(attributes), prompt, wrong ? model : null);
            case EXTRACTION ->
                wrong && style == ErrorStyle.OFF_TOPIC
                        ? offTopic(requestId, model)
                        : extraction(prompt, wrong ? requestId : null);
            default -> wrong ? offTopic(requestId, model) : "[simulated] answering: " + abbreviate(prompt);
        };
    }

    /** The labels of a CLASSIFICATION request: {@code attributes["labels"]}, else {@link #DEFAULT_LABELS}. */
    public static List<String> labels(Map<String, String> attributes) {
        String raw = attributes == null ? null : attributes.get(LABELS_ATTRIBUTE);
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LABELS;
        }
        List<String> labels = Arrays.stream(raw.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        return labels.isEmpty() ? DEFAULT_LABELS : labels;
    }

    /** The right label (by the prompt), or with {@code wrongFor} a model, another one that model picks. */
    private static String label(List<String> labels, String prompt, String wrongFor) {
        int right = Math.floorMod(stableHash(normalized(prompt)), labels.size());
        if (wrongFor == null) {
            return labels.get(right);
        }
        if (labels.size() == 1) {
            return "other";
        }
        int shift = 1 + Math.floorMod(stableHash(wrongFor), labels.size() - 1);
        return labels.get((right + shift) % labels.size());
    }

    /**
     * The fields of the prompt: {@code answer} (the prompt abbreviated), {@code first}, {@code last}
     * and {@code longest} word, {@code words} (their count). With {@code missingFor} a request id, one
     * of the five is left out (which one, by the request).
     */
    private static String extraction(String prompt, String missingFor) {
        String[] words = normalized(prompt).isEmpty()
                ? new String[0]
                : normalized(prompt).split(" ");
        String longest = "";
        for (String w : words) {
            if (w.length() > longest.length()) {
                longest = w;
            }
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("simulated", true);
        json.put("answer", abbreviate(prompt));
        json.put("first", words.length == 0 ? "" : words[0]);
        json.put("last", words.length == 0 ? "" : words[words.length - 1]);
        json.put("longest", longest);
        json.put("words", words.length);
        if (missingFor != null) {
            List<String> droppable = List.of("answer", "first", "last", "longest", "words");
            json.remove(droppable.get(Math.floorMod(stableHash(missingFor), droppable.size())));
        }
        return json.toString();
    }

    private static String offTopic(String requestId, String model) {
        return "[simulated] " + OFF_TOPIC.get(Math.floorMod(stableHash(model + '|' + requestId), OFF_TOPIC.size()));
    }

    private static String normalized(String prompt) {
        return prompt.replaceAll("\\s+", " ").strip();
    }

    static String abbreviate(String prompt) {
        String oneLine = normalized(prompt);
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }

    /** FNV-1a over UTF-8: the same on every JVM, so a planted answer never changes between runs. */
    private static int stableHash(String s) {
        int h = 0x811C9DC5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        return h;
    }
}
