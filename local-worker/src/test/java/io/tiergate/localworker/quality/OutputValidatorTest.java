package io.tiergate.localworker.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.TaskType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputValidatorTest {

    private final OutputValidator validator = new OutputValidator();

    @Test
    void extractionJsonObjectIsAccepted() {
        OutputCheck check =
                validator.check(TaskType.EXTRACTION, "{\"invoice\": \"INV-2041\", \"total\": 118.40}", Map.of());

        assertThat(check.acceptable()).isTrue();
        assertThat(check.output()).isEqualTo("{\"invoice\": \"INV-2041\", \"total\": 118.40}");
    }

    @Test
    void extractionJsonInsideAFencedBlockIsTakenOut() {
        String answer =
                "Here is the data you asked for:\n```json\n[{\"level\": \"ERROR\"}]\n```\nLet me know if you need more.";

        OutputCheck check = validator.check(TaskType.EXTRACTION, answer, Map.of());

        assertThat(check.acceptable()).isTrue();
        assertThat(check.output()).isEqualTo("[{\"level\": \"ERROR\"}]");
    }

    @Test
    void extractionFenceWithoutLanguageIsTakenOut() {
        assertThat(validator
                        .check(TaskType.EXTRACTION, "```\n{\"a\": 1}\n```", Map.of())
                        .output())
                .isEqualTo("{\"a\": 1}");
    }

    @Test
    void extractionProseIsRejectedWithTheReason() {
        OutputCheck check = validator.check(
                TaskType.EXTRACTION, "The invoice number is INV-2041 and the total is 118.40.", Map.of());

        assertThat(check.acceptable()).isFalse();
        assertThat(check.problem()).get().asString().startsWith("EXTRACTION output is not valid JSON");
    }

    @Test
    void extractionJsonFollowedByTextIsRejected() {
        assertThat(validator
                        .check(TaskType.EXTRACTION, "{\"a\": 1} and that is all", Map.of())
                        .acceptable())
                .isFalse();
    }

    @Test
    void extractionBareScalarIsRejected() {
        assertThat(validator.check(TaskType.EXTRACTION, "42", Map.of()).acceptable())
                .isFalse();
        assertThat(validator.check(TaskType.EXTRACTION, "", Map.of()).acceptable())
                .isFalse();
    }

    @Test
    void extractionBrokenJsonInAFenceIsRejected() {
        assertThat(validator
                        .check(TaskType.EXTRACTION, "```json\n{\"a\": \n```", Map.of())
                        .acceptable())
                .isFalse();
    }

    @Test
    void classificationLabelIsMatchedForgivingCaseQuotesAndPeriod() {
        Map<String, String> labels = Map.of("labels", "Positive, Negative ,Neutral");

        assertThat(validator.check(TaskType.CLASSIFICATION, "negative", labels).output())
                .isEqualTo("Negative");
        assertThat(validator
                        .check(TaskType.CLASSIFICATION, " \"Neutral\".\n", labels)
                        .output())
                .isEqualTo("Neutral");
        assertThat(validator
                        .check(TaskType.CLASSIFICATION, "`POSITIVE`", labels)
                        .acceptable())
                .isTrue();
    }

    @Test
    void classificationOutsideTheLabelsIsRejected() {
        OutputCheck check = validator.check(
                TaskType.CLASSIFICATION, "The sentiment is mostly negative", Map.of("labels", "positive,negative"));

        assertThat(check.acceptable()).isFalse();
        assertThat(check.problem()).get().asString().contains("is not one of the labels [positive, negative]");
    }

    @Test
    void classificationWithoutLabelsAndFreeTextTypesAreNotChecked() {
        assertThat(validator
                        .check(TaskType.CLASSIFICATION, "whatever", Map.of())
                        .acceptable())
                .isTrue();
        assertThat(validator
                        .check(TaskType.SUMMARIZATION, "not json at all", Map.of())
                        .acceptable())
                .isTrue();
        assertThat(validator.checks(TaskType.SUMMARIZATION, Map.of())).isFalse();
        assertThat(validator.checks(TaskType.CLASSIFICATION, Map.of("labels", " , ")))
                .isFalse();
        assertThat(validator.checks(TaskType.EXTRACTION, Map.of())).isTrue();
    }
}
