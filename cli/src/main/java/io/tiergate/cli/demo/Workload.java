package io.tiergate.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.TaskType;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a workload file: JSONL with {@code prompt} and optional {@code costCenter},
 * {@code requiresDataSovereignty}, {@code latencyBudgetMs}, {@code taskTypeHint}, and the labels
 * {@code label} (or {@code expectedTaskType}: the true task type) and {@code sensitive} (true/false). A bad line is an error naming the line: a demo on half a workload would
 * report numbers about something else.
 */
public final class Workload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Workload() {}

    public static List<WorkloadItem> read(Path file) throws IOException {
        List<WorkloadItem> items = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                items.add(parse(text, line, file));
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("Workload " + file + " has no requests");
        }
        return items;
    }

    static WorkloadItem parse(String text, int line, Path file) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ":" + line + ": not valid JSON: " + e.getOriginalMessage());
        }
        String prompt = node.path("prompt").asText("");
        if (prompt.isBlank()) {
            throw new IllegalArgumentException(file + ":" + line + ": \"prompt\" is missing or empty");
        }
        Optional<TaskType> expected = Optional.empty();
        for (String field : new String[] {"label", "expectedTaskType"}) {
            if (expected.isEmpty() && node.hasNonNull(field)) {
                String name = node.get(field).asText();
                try {
                    expected = Optional.of(TaskType.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ":" + line + ": unknown " + field + " \"" + name + "\"");
                }
                if (expected.get() == TaskType.UNKNOWN) {
                    throw new IllegalArgumentException(file + ":" + line + ": " + field + " UNKNOWN is not a label");
                }
            }
        }
        Optional<Boolean> sensitive = Optional.empty();
        if (node.hasNonNull("sensitive")) {
            if (!node.get("sensitive").isBoolean()) {
                throw new IllegalArgumentException(file + ":" + line + ": \"sensitive\" must be true or false");
            }
            sensitive = Optional.of(node.get("sensitive").asBoolean());
        }
        return new WorkloadItem(
                line,
                prompt,
                node.path("costCenter").asText("default"),
                node.path("requiresDataSovereignty").asBoolean(false),
                node.hasNonNull("latencyBudgetMs")
                        ? Optional.of(node.get("latencyBudgetMs").asLong())
                        : Optional.empty(),
                node.hasNonNull("taskTypeHint")
                        ? Optional.of(node.get("taskTypeHint").asText())
                        : Optional.empty(),
                expected,
                sensitive);
    }
}
