package io.tiergate.classifier.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.classifier.classify.RequestClassifier;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.classifier.train.TrainingData.LabelledPrompt;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.TaskType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The acceptance numbers of the classifier, on the frozen author-disjoint evaluation sets in
 * {@code evaluation/} (never trained on, no threshold tuned on them): the shipped model with the
 * default settings (embedding included), as the service runs it. Accuracy tests on fixed data, not
 * timing tests. docs/classifier.md reports the same numbers.
 */
class FrozenEvaluationTest {

    private static final Path DIR = EvaluationSets.defaultDirectory();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RequestClassifier classifier;

    @BeforeAll
    static void shippedModelWithDefaults() {
        // the cache is off: every prompt is embedded (or not) on its own merits
        classifier = RequestClassifier.create(ClassifierSettings.DEFAULTS.withEmbeddingCacheSize(0));
    }

    @Test
    void theFrozenSetsAreExactlyTheRecordedBytes() throws Exception {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIR.resolve("FROZEN.sha256"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                String[] parts = line.trim().split("\\s+");
                recorded.put(parts[1], parts[0]);
            }
        }
        List<String> present;
        try (Stream<Path> files = Files.list(DIR)) {
            present = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jsonl"))
                    .sorted()
                    .toList();
        }
        assertThat(recorded.keySet())
                .as("every evaluation file is frozen")
                .containsExactlyInAnyOrderElementsOf(present);
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            byte[] bytes = Files.readAllBytes(DIR.resolve(e.getKey()));
            String sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(sha).as(e.getKey() + " changed after it was frozen").isEqualTo(e.getValue());
        }
    }

    /** The target: accuracy and lowest recall per type, on each set and on all sets together. */
    private static final double[] TARGET = {0.90, 0.80};

    /**
     * Sets on which the shipped model does not reach the target: what it measured there, as a floor
     * against regressions, never a target. Set D (written after session 8's model was final) measures
     * 90.0% accuracy, lowest recall 82% in {@code Evaluate}; run as the service runs it, here, 89.6%
     * with IMPLEMENTATION at 39 of 50 (78%) (docs/classifier.md, "Results"): below the recall target.
     * Sets E and F meet the target and have no floor.
     */
    private static final Map<String, double[]> FLOORS = Map.of("task-type-d", new double[] {0.88, 0.74});

    @Test
    void taskTypeAccuracyIsAtLeast90PercentWithEveryTypeAt80OnEachSetAndAllTogether() {
        List<String> problems = new ArrayList<>();
        Map<String, List<LabelledPrompt>> sets = EvaluationSets.load(DIR, problems);
        assertThat(problems).isEmpty();
        assertThat(sets).isNotEmpty();
        Map<TaskType, int[]> all = new EnumMap<>(TaskType.class);
        for (Map.Entry<String, List<LabelledPrompt>> set : sets.entrySet()) {
            Map<TaskType, int[]> perSet = new EnumMap<>(TaskType.class);
            List<LabelledPrompt> prompts = set.getValue();
            for (int from = 0; from < prompts.size(); from += 32) {
                List<LabelledPrompt> chunk = prompts.subList(from, Math.min(prompts.size(), from + 32));
                List<RequestClassifier.Result> results = classifier.complete(chunk.stream()
                        .map(p -> classifier.prepare(p.prompt(), null, null))
                        .toList());
                for (int i = 0; i < chunk.size(); i++) {
                    TaskType truth = chunk.get(i).taskType();
                    boolean right = results.get(i).classification().getTaskType() == truth;
                    for (Map<TaskType, int[]> counts : List.of(perSet, all)) {
                        int[] c = counts.computeIfAbsent(truth, t -> new int[2]);
                        c[0]++;
                        c[1] += right ? 1 : 0;
                    }
                }
            }
            System.out.println(set.getKey() + ": " + summary(perSet));
            double[] floor = FLOORS.getOrDefault(set.getKey(), TARGET);
            assertThat(accuracy(perSet)).as("accuracy on " + set.getKey()).isGreaterThanOrEqualTo(floor[0]);
            perSet.forEach((type, c) -> assertThat((double) c[1] / c[0])
                    .as("recall of " + type + " on " + set.getKey())
                    .isGreaterThanOrEqualTo(floor[1]));
        }
        System.out.println("all frozen task-type sets: " + summary(all));
        assertThat(all).hasSize(9);
        assertThat(accuracy(all)).as("accuracy on the frozen sets").isGreaterThanOrEqualTo(TARGET[0]);
        all.forEach((type, c) ->
                assertThat((double) c[1] / c[0]).as("recall of " + type).isGreaterThanOrEqualTo(TARGET[1]));
    }

    /**
     * The target of issue 12: recall ≥ 99% with ≤ 3% of look-alikes flagged, on the frozen set J
     * (measured once: 99.0%, 297/300, with 1.0%, 3/300, flagged; docs/classifier.md). Its errors have not
     * been looked at.
     */
    @Test
    void sensitiveRecallIsAtLeast99PercentWithAtMost3PercentOfLookAlikesFlagged() throws IOException {
        int sensitive = 0;
        int found = 0;
        int benign = 0;
        int flagged = 0;
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.getFileName().toString().matches("sensitive-.*\\.jsonl"))
                    .sorted()
                    .toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                Classification c = classifier
                        .classify(node.get("prompt").asText(), null, null)
                        .classification();
                if (node.get("sensitive").asBoolean()) {
                    sensitive++;
                    found += c.getContainsSensitiveData() ? 1 : 0;
                } else {
                    benign++;
                    flagged += c.getContainsSensitiveData() ? 1 : 0;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "sensitive: recall %d/%d (%.1f%%), look-alikes flagged %d/%d (%.1f%%)%n",
                found,
                sensitive,
                100.0 * found / sensitive,
                flagged,
                benign,
                100.0 * flagged / benign);
        assertThat((double) found / sensitive).as("sensitive recall").isGreaterThanOrEqualTo(0.99);
        assertThat((double) flagged / benign).as("look-alikes flagged").isLessThanOrEqualTo(0.03);
    }

    private static double accuracy(Map<TaskType, int[]> counts) {
        int n = counts.values().stream().mapToInt(c -> c[0]).sum();
        int right = counts.values().stream().mapToInt(c -> c[1]).sum();
        return (double) right / n;
    }

    private static String summary(Map<TaskType, int[]> counts) {
        StringBuilder s =
                new StringBuilder(String.format(Locale.ROOT, "accuracy %.1f%%; recall", 100 * accuracy(counts)));
        counts.forEach((t, c) -> s.append(String.format(Locale.ROOT, " %s %d/%d", t, c[1], c[0])));
        return s.toString();
    }
}
