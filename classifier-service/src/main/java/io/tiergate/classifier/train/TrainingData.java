package io.tiergate.classifier.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.classifier.classify.TaskTypeHint;
import io.tiergate.schemas.events.TaskType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The labelled prompts in {@code src/main/resources/training}: {@code train-*.jsonl}, all fitted on.
 * One JSON object per line, {@code {"prompt": "...", "taskType": "..."}}. Lines that do not parse
 * or name no task type are collected as problems, not silently dropped. The frozen evaluation sets
 * live elsewhere ({@link EvaluationSets}) and are never trained on.
 *
 * @param problems "file:line: what is wrong", for the report
 */
public record TrainingData(List<LabelledPrompt> train, List<String> problems, String trainSha256) {

    /** The source folder as seen from the project root or from the module. */
    public static Path defaultDirectory() {
        Path fromRoot = Path.of("classifier-service", "src", "main", "resources", "training");
        return Files.isDirectory(fromRoot) ? fromRoot : Path.of("src", "main", "resources", "training");
    }

    /** One labelled prompt and where it came from ("train-part-a.jsonl:12"). */
    public record LabelledPrompt(String prompt, TaskType taskType, String source) {}

    public static TrainingData load(Path dir) {
        List<String> problems = new ArrayList<>();
        List<Path> trainFiles = files(dir, "train");
        return new TrainingData(read(trainFiles, problems), problems, sha256(trainFiles));
    }

    static List<Path> files(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("No data folder at " + dir.toAbsolutePath());
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.startsWith(prefix) && name.endsWith(".jsonl");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<LabelledPrompt> read(List<Path> files, List<String> problems) {
        ObjectMapper json = new ObjectMapper();
        List<LabelledPrompt> out = new ArrayList<>();
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = file.getFileName() + ":" + (i + 1);
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = json.readTree(line);
                    JsonNode prompt = node.get("prompt");
                    JsonNode type = node.get("taskType");
                    if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
                        problems.add(where + ": no prompt");
                        continue;
                    }
                    var taskType =
                            type == null ? java.util.Optional.<TaskType>empty() : TaskTypeHint.parse(type.asText());
                    if (taskType.isEmpty()) {
                        problems.add(where + ": taskType " + (type == null ? "missing" : type.toString())
                                + " is not a task type");
                        continue;
                    }
                    out.add(new LabelledPrompt(prompt.asText(), taskType.get(), where));
                } catch (IOException e) {
                    problems.add(where + ": not JSON ("
                            + e.getMessage().lines().findFirst().orElse("") + ")");
                }
            }
        }
        return out;
    }

    /** SHA-256 over the training files (name and bytes, in name order): identifies what a model saw. */
    static String sha256(List<Path> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The current hash of the training files in {@code dir}. */
    public static String trainSha256(Path dir) {
        return sha256(files(dir, "train"));
    }
}
