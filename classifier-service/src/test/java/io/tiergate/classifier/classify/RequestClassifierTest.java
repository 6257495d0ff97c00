package io.tiergate.classifier.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.classifier.complexity.ComplexityScorer;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.classifier.sensitive.SensitiveDataDetector;
import io.tiergate.classifier.tokens.TokenEstimator;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.TaskType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestClassifierTest {

    private static TaskModel model;

    @BeforeAll
    static void loadShippedModel() {
        model = TaskModel.loadDefault();
    }

    /** Fast model only (no ONNX): these tests are about the rules around the model. */
    private static RequestClassifier classifier(ClassifierSettings settings) {
        return new RequestClassifier(
                settings,
                new TaskClassifier(model, null, settings.embeddingThreshold(), 0),
                new TokenEstimator(settings.tokenEncoding()),
                new SensitiveDataDetector(),
                new ComplexityScorer(),
                false);
    }

    private static final String SUMMARY_ASK =
            "Summarize this thread in two sentences:\nAnna: we ship Friday.\nBen: QA needs two more days.\nAnna: Monday then.";

    private final RequestClassifier classifier = classifier(ClassifierSettings.DEFAULTS);

    @Test
    void aValidHintWinsOverTheModel() {
        RequestClassifier.Result r =
                classifier.classify("Summarize this article in two sentences.", null, "architecture");
        Classification c = r.classification();
        assertThat(c.getTaskType()).isEqualTo(TaskType.ARCHITECTURE);
        assertThat(c.getConfidence()).isEqualTo(1.0);
        assertThat(c.getHintUsed()).isTrue();
        assertThat(c.getEvidence()).first().isEqualTo("hint=ARCHITECTURE");
        assertThat(r.source()).isEqualTo(RequestClassifier.Source.HINT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UNKNOWN", "summarise-please", "CODEREVIEW"})
    void anInvalidHintIsIgnoredAndNoted(String hint) {
        Classification c = classifier.classify(SUMMARY_ASK, null, hint).classification();
        assertThat(c.getHintUsed()).isFalse();
        assertThat(c.getTaskType()).isEqualTo(TaskType.SUMMARIZATION);
        assertThat(c.getEvidence())
                .first()
                .asString()
                .startsWith("hint-ignored='")
                .endsWith("(not a task type)");
    }

    @Test
    void noHintMeansTheModelDecidesWithoutAHintNote() {
        RequestClassifier.Result r = classifier.classify(SUMMARY_ASK, null, "  ");
        assertThat(r.classification().getEvidence()).noneMatch(e -> e.startsWith("hint"));
        assertThat(r.source()).isEqualTo(RequestClassifier.Source.FAST_MODEL);
        assertThat(r.classification().getConfidence()).isBetween(0.0, 1.0);
    }

    @Test
    void reportsTokensOfPromptAndSystemPromptWithTheEncoding() {
        TokenEstimator cl100k = new TokenEstimator("cl100k_base");
        String prompt = "Translate this sentence into French: the invoice is overdue.";
        String system = "You are a careful translator.";
        Classification c = classifier.classify(prompt, system, null).classification();
        assertThat(c.getEstimatedInputTokens()).isEqualTo(cl100k.count(prompt) + cl100k.count(system));
        assertThat(c.getTokenEncoding()).isEqualTo("cl100k_base");

        RequestClassifier o200k =
                classifier(new ClassifierSettings(32_000, 200_000, "o200k_base", false, 0.7, 1, 0, 0.0));
        assertThat(o200k.classify(prompt, null, null).classification().getTokenEncoding())
                .isEqualTo("o200k_base");
    }

    @Test
    void sensitiveDataInTheSystemPromptCountsToo() {
        Classification c = classifier
                .classify("Draft a reply to the customer.", "Customer: ann.berger@gmx.at", null)
                .classification();
        assertThat(c.getContainsSensitiveData()).isTrue();
        assertThat(c.getSensitiveKinds()).containsExactly("EMAIL");
        assertThat(String.join(" ", c.getEvidence())).doesNotContain("ann.berger@gmx.at");
    }

    @Test
    void aCleanPromptHasNoSensitiveKinds() {
        Classification c =
                classifier.classify("Write a haiku about Kafka.", null, null).classification();
        assertThat(c.getContainsSensitiveData()).isFalse();
        assertThat(c.getSensitiveKinds()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t"})
    void aBlankPromptIsRejected(String prompt) {
        assertThatThrownBy(() -> classifier.classify(prompt, null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("prompt is empty");
    }

    @Test
    void aPromptAboveTheTokenLimitIsRejectedWithTheLimitNamed() {
        RequestClassifier small =
                classifier(new ClassifierSettings(100, 200_000, "cl100k_base", false, 0.7, 1, 0, 0.0));
        assertThat(small.classify("word ".repeat(90), null, null)
                        .classification()
                        .getEstimatedInputTokens())
                .isLessThanOrEqualTo(100);
        assertThatThrownBy(() -> small.classify("word ".repeat(60), "word ".repeat(60), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageMatching("prompt too large: 12\\d cl100k_base tokens \\(prompt \\+ system prompt\\).*")
                .hasMessageContaining("tiergate.classifier.max-prompt-tokens=100");
    }

    @Test
    void aPromptAboveTheCharacterLimitIsRejectedBeforeTokenizing() {
        RequestClassifier small =
                classifier(new ClassifierSettings(1_000_000, 1_000, "cl100k_base", false, 0.7, 1, 0, 0.0));
        assertThatThrownBy(() -> small.classify("x".repeat(1_001), null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1001 characters")
                .hasMessageContaining("tiergate.classifier.max-prompt-chars=1000");
    }

    @Test
    void complexityAndVersionAreFilledIn() {
        Classification c =
                classifier.classify("Write a haiku about Kafka.", null, null).classification();
        assertThat(c.getComplexity()).isBetween(0.0, 1.0);
        assertThat(c.getEvidence()).anySatisfy(e -> assertThat(e).startsWith("complexity="));
        assertThat(c.getClassifierVersion()).startsWith("ngram-logreg/" + model.shortId());
    }

    @Test
    void controlCharactersAndInvalidUtf8AreRejectedWithThePosition() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RequestClassifier.rejectUnreadable("prompt", "Summarize:\u0000 the report"))
                .isInstanceOf(io.tiergate.platform.kafka.InvalidInputException.class)
                .hasMessageContaining("U+0000 at index 10");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RequestClassifier.rejectUnreadable("prompt", "caf\uFFFD au lait"))
                .hasMessageContaining("not valid UTF-8");
        // tabs, newlines and carriage returns are ordinary text
        RequestClassifier.rejectUnreadable("prompt", "line one\r\n\tline two");
    }
}
