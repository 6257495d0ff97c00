package io.tiergate.worker.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.worker.simulated.SimulatedQuality.ErrorStyle;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> LABELS = Map.of("labels", "billing, bug, feature, other");
    private static final SimulatedAnswers RIGHT = new SimulatedAnswers(SimulatedQuality.NONE);

    private static SimulatedAnswers wrongOn(TaskType type, double rate) {
        return new SimulatedAnswers(new SimulatedQuality(Map.of(type, rate), Map.of()));
    }

    @Test
    void rightAnswersOfTwoModelsAreTheSameSoAJudgeSeesThemAgree() {
        for (TaskType type : TaskType.values()) {
            String prompt = "Sort this ticket: the invoice of " + type + " was charged twice";
            assertThat(RIGHT.answer("r-" + type, "qwen3:8b", type, prompt, LABELS))
                    .as(type.name())
                    .isEqualTo(RIGHT.answer("r-" + type, "anthropic/claude-sonnet-4.5", type, prompt, LABELS));
        }
    }

    @Test
    void aClassificationAnswerIsOneOfTheRequestsLabelsPickedByThePrompt() {
        String a = RIGHT.answer("r1", "m", TaskType.CLASSIFICATION, "the app crashes on start", LABELS);
        assertThat(a).isIn("billing", "bug", "feature", "other");
        assertThat(RIGHT.answer("other-id", "m2", TaskType.CLASSIFICATION, "the app crashes on start", LABELS))
                .isEqualTo(a);
        assertThat(RIGHT.answer("r1", "m", TaskType.CLASSIFICATION, "x", Map.of()))
                .isIn(SimulatedAnswers.DEFAULT_LABELS);
    }

    @Test
    void theErrorRateIsTheShareOfRequestsPlantedWrongTheSameForEveryModel() {
        SimulatedAnswers local = wrongOn(TaskType.EXTRACTION, 0.3);
        int wrong = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String id = "req-" + i;
            boolean isWrong = local.wrong(id, TaskType.EXTRACTION);
            wrong += isWrong ? 1 : 0;
            String prompt = "Extract the customer and amount from order " + i + " of Jörg Müller";
            String answer = local.answer(id, "qwen3:8b", TaskType.EXTRACTION, prompt, Map.of());
            String reference = RIGHT.answer(id, "anthropic/claude-sonnet-4.5", TaskType.EXTRACTION, prompt, Map.of());
            assertThat(answer.equals(reference)).as(id).isEqualTo(!isWrong);
            assertThat(local.wrong(id, TaskType.CLASSIFICATION)).isFalse(); // other types stay right
        }
        assertThat(wrong / (double) n).isBetween(0.29, 0.31);
    }

    @Test
    void aWrongExtractionLacksOneFieldOfTheRightOne() throws Exception {
        SimulatedAnswers local = wrongOn(TaskType.EXTRACTION, 1.0);
        String prompt = "Extract the name and city: Jörg lives in Köln";
        JsonNode wrong = JSON.readTree(local.answer("r7", "qwen3:8b", TaskType.EXTRACTION, prompt, Map.of()));
        JsonNode right = JSON.readTree(RIGHT.answer("r7", "qwen3:8b", TaskType.EXTRACTION, prompt, Map.of()));
        assertThat(right.get("first").asText()).isEqualTo("Extract");
        assertThat(right.get("last").asText()).isEqualTo("Köln");
        assertThat(right.get("words").asInt()).isEqualTo(9);
        assertThat(wrong.size()).isEqualTo(right.size() - 1);
        wrong.fieldNames().forEachRemaining(f -> assertThat(wrong.get(f)).isEqualTo(right.get(f)));
    }

    @Test
    void aWrongLabelIsAnotherLabelAndAWrongProseAnswerIsAboutSomethingElse() {
        SimulatedAnswers wrong = new SimulatedAnswers(
                new SimulatedQuality(Map.of(TaskType.CLASSIFICATION, 1.0, TaskType.SUMMARIZATION, 1.0), Map.of()));
        String prompt = "the app crashes on start";
        String right = RIGHT.answer("r1", "m", TaskType.CLASSIFICATION, prompt, LABELS);
        String planted = wrong.answer("r1", "m", TaskType.CLASSIFICATION, prompt, LABELS);
        assertThat(planted).isIn("billing", "bug", "feature", "other").isNotEqualTo(right);
        String summary = wrong.answer("r1", "m", TaskType.SUMMARIZATION, "Summarise the quarterly report", Map.of());
        assertThat(summary).startsWith("[simulated]").doesNotContain("quarterly");
        assertThat(RIGHT.answer("r1", "m", TaskType.SUMMARIZATION, "Summarise the quarterly report", Map.of()))
                .contains("quarterly");
    }

    @Test
    void anOffTopicStyleTurnsAClassificationIntoProse() {
        SimulatedAnswers offTopic = new SimulatedAnswers(new SimulatedQuality(
                Map.of(TaskType.CLASSIFICATION, 1.0), Map.of(TaskType.CLASSIFICATION, ErrorStyle.OFF_TOPIC)));
        assertThat(offTopic.answer("r1", "m", TaskType.CLASSIFICATION, "crash", LABELS))
                .startsWith("[simulated]");
    }

    @Test
    void configurationNamesTheBadProperty() {
        SimulatedQuality q = SimulatedQuality.parse(
                "tiergate.local-worker.simulation",
                Map.of("extraction", "0.3", "code-review", 0.1),
                Map.of("EXTRACTION", "off-topic"));
        assertThat(q.errorRate(TaskType.EXTRACTION)).isEqualTo(0.3);
        assertThat(q.errorRate(TaskType.CODE_REVIEW)).isEqualTo(0.1);
        assertThat(q.errorRate(TaskType.CLASSIFICATION)).isZero();
        assertThat(q.style(TaskType.EXTRACTION)).isEqualTo(ErrorStyle.OFF_TOPIC);
        assertThat(q.style(TaskType.CLASSIFICATION)).isEqualTo(ErrorStyle.WRONG_LABEL);
        assertThatThrownBy(() -> SimulatedQuality.parse("p", Map.of("extraction", "1.5"), Map.of()))
                .hasMessageContaining("p.errors.extraction");
        assertThatThrownBy(() -> SimulatedQuality.parse("p", Map.of("poetry", "0.1"), Map.of()))
                .hasMessageContaining("not a task type");
        assertThatThrownBy(() -> SimulatedQuality.parse("p", Map.of(), Map.of("extraction", "typo")))
                .hasMessageContaining("p.error-styles.extraction");
    }
}
