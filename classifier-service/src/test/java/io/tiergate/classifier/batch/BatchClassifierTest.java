package io.tiergate.classifier.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.classifier.classify.RequestClassifier;
import io.tiergate.classifier.classify.TaskClassifier;
import io.tiergate.classifier.classify.TaskModel;
import io.tiergate.classifier.complexity.ComplexityScorer;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.classifier.sensitive.SensitiveDataDetector;
import io.tiergate.classifier.tokens.TokenEstimator;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchClassifierTest {

    private static BatchClassifier batch;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void fastOnly() {
        ClassifierSettings settings = new ClassifierSettings(2_000, 20_000, "cl100k_base", false, 0.7, 1, 0, 0.0);
        batch = new BatchClassifier(new RequestClassifier(
                settings,
                new TaskClassifier(TaskModel.loadDefault(), null, 0.7, 0),
                new TokenEstimator("cl100k_base"),
                new SensitiveDataDetector(),
                new ComplexityScorer(),
                false));
    }

    private List<JsonNode> run(BatchClassifier classifier, String input) throws Exception {
        StringWriter out = new StringWriter();
        classifier.run(new StringReader(input), out);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isEmpty()) {
                lines.add(json.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void writesOneResultPerRequestInInputOrder() throws Exception {
        String input = """
        {"id": "a", "prompt": "Review this diff for bugs:\\n```diff\\n--- a/x.py\\n+++ b/x.py\\n@@ -1 +1 @@\\n-return a\\n+return b\\n```"}
        {"id": "b", "prompt": "Write a haiku about Kafka.", "taskTypeHint": "conversation"}
        {"id": "c", "prompt": "Email me at ann.berger@gmx.at about the IBAN DE89 3704 0044 0532 0130 00"}
        """;
        List<JsonNode> out = run(batch, input);
        assertThat(out).extracting(n -> n.get("id").asText()).containsExactly("a", "b", "c");
        assertThat(out).extracting(n -> n.get("line").asInt()).containsExactly(1, 2, 3);
        JsonNode first = out.get(0);
        for (String field : List.of(
                "taskType",
                "confidence",
                "estimatedInputTokens",
                "tokenEncoding",
                "complexity",
                "containsSensitiveData",
                "sensitiveKinds",
                "hintUsed",
                "evidence",
                "classifierVersion")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        assertThat(first.get("tokenEncoding").asText()).isEqualTo("cl100k_base");
        assertThat(first.get("estimatedInputTokens").asInt()).isPositive();
        assertThat(out.get(1).get("taskType").asText()).isEqualTo("CONVERSATION");
        assertThat(out.get(1).get("hintUsed").asBoolean()).isTrue();
        assertThat(out.get(2).get("containsSensitiveData").asBoolean()).isTrue();
        assertThat(out.get(2).get("sensitiveKinds"))
                .extracting(JsonNode::asText)
                .containsExactly("EMAIL", "IBAN");
    }

    @Test
    void aBadLineYieldsAnErrorLineAndProcessingContinues() throws Exception {
        String input = """
        {"prompt": "Write a haiku about Kafka."}
        this is not json
        {"prompt": 42}
        ["an", "array"]
        {"prompt": "   "}

        {"prompt": "Write a haiku about Zookeeper."}
        """;
        List<JsonNode> out = run(batch, input);
        assertThat(out).hasSize(6);
        assertThat(out.get(0).has("taskType")).isTrue();
        assertThat(out.get(1).get("line").asInt()).isEqualTo(2);
        assertThat(out.get(1).get("error").asText()).startsWith("not valid JSON");
        assertThat(out.get(2).get("error").asText()).isEqualTo("no \"prompt\" string");
        assertThat(out.get(3).get("error").asText()).isEqualTo("not a JSON object");
        assertThat(out.get(4).get("error").asText()).isEqualTo("prompt is empty");
        // the blank line 6 is skipped; numbering stays physical
        assertThat(out.get(5).get("line").asInt()).isEqualTo(7);
        assertThat(out.get(5).has("taskType")).isTrue();
    }

    @Test
    void anOversizePromptIsAnErrorLineNamingTheLimit() throws Exception {
        List<JsonNode> out = run(batch, "{\"id\": 7, \"prompt\": \"" + "word ".repeat(3_000) + "\"}\n");
        assertThat(out.get(0).get("id").asInt()).isEqualTo(7);
        assertThat(out.get(0).get("error").asText()).contains("max-prompt-tokens=2000");
    }

    @Test
    void anInvalidHintIsNotedAndTheModelDecides() throws Exception {
        JsonNode out = run(batch, "{\"prompt\": \"Write a haiku about Kafka.\", \"taskTypeHint\": \"poetry\"}")
                .get(0);
        assertThat(out.get("hintUsed").asBoolean()).isFalse();
        assertThat(out.get("evidence").get(0).asText()).isEqualTo("hint-ignored='poetry' (not a task type)");
    }

    @Test
    void createDefaultLoadsTheFullClassifierWithoutMicronaut() throws Exception {
        BatchClassifier full = BatchClassifier.createDefault();
        JsonNode out =
                run(full, "{\"prompt\": \"hmm, what do you make of this?\"}").get(0);
        assertThat(out.get("classifierVersion").asText()).startsWith("ngram+all-minilm-l6-v2-q-logreg/");
        assertThat(out.get("confidence").asDouble()).isBetween(0.0, 1.0);
    }
}
