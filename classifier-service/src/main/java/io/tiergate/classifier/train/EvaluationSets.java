package io.tiergate.classifier.train;

import io.tiergate.classifier.train.TrainingData.LabelledPrompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frozen, author-disjoint task-type evaluation sets in {@code classifier-service/evaluation}
 * ({@code task-type-*.jsonl}, same line format as the training data). Written by authors who had only
 * the task-type definitions, before any model was trained on the current training data; never
 * trained on, and no threshold is tuned on them. {@code FROZEN.sha256} beside them pins their bytes
 * (a test checks). docs/classifier.md says how each was written.
 */
public final class EvaluationSets {

    private EvaluationSets() {}

    /** The folder as seen from the project root or from the module. */
    public static Path defaultDirectory() {
        Path fromRoot = Path.of("classifier-service", "evaluation");
        return Files.isDirectory(fromRoot) ? fromRoot : Path.of("evaluation");
    }

    /** Each set by its name ("task-type-a"), in name order; problems of the files go to {@code problems}. */
    public static Map<String, List<LabelledPrompt>> load(Path dir, List<String> problems) {
        Map<String, List<LabelledPrompt>> sets = new LinkedHashMap<>();
        for (Path file : TrainingData.files(dir, "task-type-")) {
            String name = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
            sets.put(name, TrainingData.read(List.of(file), problems));
        }
        return sets;
    }

    /** All sets together. */
    public static List<LabelledPrompt> all(Map<String, List<LabelledPrompt>> sets) {
        List<LabelledPrompt> out = new ArrayList<>();
        sets.values().forEach(out::addAll);
        return out;
    }
}
