package io.tiergate.classifier.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.classifier.classify.TaskTypeHint;
import io.tiergate.classifier.train.TrainingData.LabelledPrompt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A labelled workload file (workloads/reference.jsonl): "prompt" and "expectedTaskType" per line. */
final class ReferenceWorkload {

    private ReferenceWorkload() {}

    static List<LabelledPrompt> load(Path file) {
        ObjectMapper json = new ObjectMapper();
        List<LabelledPrompt> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(lines.get(i));
                var type = TaskTypeHint.parse(node.path("expectedTaskType").asText(null));
                if (node.hasNonNull("prompt") && type.isPresent()) {
                    out.add(new LabelledPrompt(
                            node.get("prompt").asText(), type.get(), file.getFileName() + ":" + (i + 1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
