package io.tiergate.classifier.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.cost.MinimumCapability;
import io.tiergate.schemas.events.TaskType;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskClassifierTest {

    private static TaskModel model;

    @BeforeAll
    static void loadShippedModel() {
        model = TaskModel.loadDefault();
    }

    private static final String SHIPPED_EMBEDDER = TaskModel.loadDefault().embedderName();

    /** Stands in for MiniLM: counts calls, returns a fixed unit vector or fails on demand. */
    static final class FakeEmbedder implements SentenceEmbedder {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger batches = new AtomicInteger();
        boolean fail;

        @Override
        public List<float[]> embedAll(List<String> texts) {
            batches.incrementAndGet();
            return SentenceEmbedder.super.embedAll(texts);
        }

        @Override
        public int dimensions() {
            return 384;
        }

        @Override
        public float[] embed(String text) {
            calls.incrementAndGet();
            if (fail) {
                throw new IllegalStateException("onnx runtime gone");
            }
            float[] v = new float[384];
            v[0] = 1;
            return v;
        }

        /** The shipped model's embedder name: the classifier refuses vectors of another model. */
        @Override
        public String name() {
            return SHIPPED_EMBEDDER;
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "SUMMARIZATION | Summarize this meeting transcript in 3 bullet points:\\nAnna: we ship on Friday.\\nBen: QA needs two more days.\\nAnna: fine, Monday then.",
                "CODE_REVIEW | Please review this diff for bugs and regressions before I merge:\\n```diff\\n--- a/app.py\\n+++ b/app.py\\n@@ -1,2 +1,2 @@\\n-    return total\\n+    return total * 2\\n```",
                "DEBUGGING | The service crashes on startup since yesterday's deploy, what's going on?\\njava.lang.NullPointerException: config is null\\n\\tat com.acme.App.start(App.java:42)\\n\\tat com.acme.App.main(App.java:10)",
                "CLASSIFICATION | Is this email spam or not spam? Answer SPAM or NOT_SPAM.\\n\\\"You won a free cruise, click here to claim\\\"",
                "EXTRACTION | Extract every invoice number, date and total from the text below as a JSON array.\\nInvoice INV-2041 dated 2024-03-01, total 1,200.00 EUR. Invoice INV-2042 dated 2024-03-05, total 80.50 EUR.",
                "BOILERPLATE | Generate a Spring Boot REST controller skeleton with the usual CRUD endpoints for a Customer entity",
                "ARCHITECTURE | Should we split our monolith into microservices or keep a modular monolith? 4 teams, 30 engineers, one Postgres database, deploys are painful.",
            })
    void theShippedFastModelGetsClearCasesRight(TaskType expected, String prompt) {
        TaskClassifier fastOnly = new TaskClassifier(model, null, 0, 0);
        TaskPrediction p = fastOnly.predict(PromptSignals.scan(prompt.replace("\\n", "\n")));
        assertThat(p.taskType()).isEqualTo(expected);
        assertThat(p.embeddingUsed()).isFalse();
        assertThat(p.evidence().get(0)).startsWith("model=ngram-logreg p=");
    }

    @Test
    void aConfidentFastAnswerSkipsTheEmbedding() {
        FakeEmbedder embedder = new FakeEmbedder();
        TaskClassifier never = new TaskClassifier(model, embedder, 0.0, 0);
        never.predict(PromptSignals.scan("Summarize this article in two sentences."));
        assertThat(embedder.calls).hasValue(0);
    }

    @Test
    void anUnsureFastAnswerConsultsTheEmbedding() {
        FakeEmbedder embedder = new FakeEmbedder();
        TaskClassifier always = new TaskClassifier(model, embedder, 1.01, 0);
        TaskPrediction p = always.predict(PromptSignals.scan("hmm, thoughts on this?"));
        assertThat(embedder.calls).hasValue(1);
        assertThat(p.embeddingUsed()).isTrue();
        assertThat(p.evidence().get(0))
                .startsWith("model=" + SHIPPED_EMBEDDER + "+ngram-logreg p=")
                .contains("(fast: ");
        assertThat(p.confidence()).isBetween(0.0, 1.0);
    }

    @Test
    void aPromptWithoutProseIsNeverEmbedded() {
        FakeEmbedder embedder = new FakeEmbedder();
        TaskClassifier always = new TaskClassifier(model, embedder, 1.01, 0);
        TaskPrediction p = always.predict(PromptSignals.scan("```diff\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n```"));
        assertThat(embedder.calls).hasValue(0);
        assertThat(p.embeddingUsed()).isFalse();
    }

    @Test
    void anEmbeddingFailureFallsBackToTheFastAnswer() {
        FakeEmbedder embedder = new FakeEmbedder();
        embedder.fail = true;
        TaskClassifier always = new TaskClassifier(model, embedder, 1.01, 0);
        TaskPrediction p = always.predict(PromptSignals.scan("Summarize this article in two sentences."));
        assertThat(p.embeddingUsed()).isFalse();
        assertThat(p.evidence()).contains("embedding-failed=IllegalStateException");
        assertThat(p.taskType())
                .isEqualTo(new TaskClassifier(model, null, 0, 0)
                        .predict(PromptSignals.scan("Summarize this article in two sentences."))
                        .taskType());
    }

    @Test
    void evidenceNamesSignalsAndTheStrongestTerms() {
        TaskPrediction p = new TaskClassifier(model, null, 0, 0)
                .predict(PromptSignals.scan(
                        "Please review this PR:\n```java\nint x = 1;\nint y = 2;\nreturn x + y;\n```"));
        assertThat(p.evidence())
                .anySatisfy(e -> assertThat(e).startsWith("signals=").contains("code-fence"));
        assertThat(p.evidence()).anySatisfy(e -> assertThat(e).startsWith("terms="));
    }

    private static final List<String> MIXED = List.of(
            "Summarize this meeting transcript in 3 bullet points:\nAnna: we ship on Friday.",
            "why does this fail? summarize the cause\njava.lang.NullPointerException\n\tat a.B.c(B.java:1)",
            "tag this ticket and tell me how to fix the null check",
            "hmm, thoughts on this?",
            "Write a DTO for Customer and review whether the fields make sense",
            "Should this module live in core or in its own service?",
            "extract the failing test names and explain the root cause");

    @Test
    void aWideUncertaintyMarginServesTheHigherMinimumTierAndSaysSo() {
        TaskClassifier sure = new TaskClassifier(model, null, 0, 0);
        TaskClassifier unsure = new TaskClassifier(model, null, 0, 1.0);
        int moved = 0;
        for (String prompt : MIXED) {
            PromptSignals signals = PromptSignals.scan(prompt);
            TaskPrediction plain = sure.predict(signals);
            TaskPrediction careful = unsure.predict(signals);
            assertThat(plain.uncertain()).isFalse();
            assertThat(plain.taskType()).isEqualTo(plain.mostLikely());
            assertThat(careful.mostLikely()).isEqualTo(plain.taskType());
            assertThat(MinimumCapability.of(careful.taskType()).ordinal())
                    .isGreaterThanOrEqualTo(
                            MinimumCapability.of(careful.mostLikely()).ordinal());
            if (careful.uncertain()) {
                moved++;
                assertThat(careful.taskType()).isNotEqualTo(careful.mostLikely());
                assertThat(careful.evidence())
                        .anySatisfy(e -> assertThat(e)
                                .startsWith("uncertain=" + careful.mostLikely())
                                .contains("served as " + careful.taskType()));
            } else {
                assertThat(careful.taskType()).isEqualTo(careful.mostLikely());
            }
        }
        assertThat(moved)
                .as("a margin of 1 moves every prompt whose runner-up needs a higher tier")
                .isPositive();
    }

    @Test
    void aBatchGivesTheSameAnswersAsOneAtATimeWithOneEmbeddingCall() {
        FakeEmbedder embedder = new FakeEmbedder();
        TaskClassifier always = new TaskClassifier(model, embedder, 1.01, 0.2);
        List<TaskPrediction> batch =
                always.predictAll(MIXED.stream().map(PromptSignals::scan).toList());
        assertThat(embedder.batches).hasValue(1);
        for (int i = 0; i < MIXED.size(); i++) {
            TaskPrediction alone = always.predict(PromptSignals.scan(MIXED.get(i)));
            assertThat(batch.get(i).taskType()).isEqualTo(alone.taskType());
            assertThat(batch.get(i).confidence()).isEqualTo(alone.confidence());
        }
    }

    @Test
    void theEmbeddedTextIsTheProseJoinedAndCutAtAWord() {
        PromptSignals s = PromptSignals.scan("Summarize the following report for the board in plain words\nline two");
        assertThat(TaskClassifier.embeddingText(s, 200))
                .isEqualTo("Summarize the following report for the board in plain words line two");
        assertThat(TaskClassifier.embeddingText(s, 20)).isEqualTo("Summarize the");
        assertThat(TaskClassifier.embeddingText(PromptSignals.scan("```\ncode\n```"), 200))
                .isEmpty();
    }
}
