package io.tiergate.classifier.complexity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import io.tiergate.classifier.classify.PromptSignals;
import io.tiergate.classifier.complexity.ComplexityScorer.Complexity;
import io.tiergate.classifier.tokens.TokenEstimator;
import org.junit.jupiter.api.Test;

class ComplexityScorerTest {

    private final ComplexityScorer scorer = new ComplexityScorer();
    private final TokenEstimator tokens = new TokenEstimator("cl100k_base");

    private Complexity score(String prompt) {
        return scorer.score(PromptSignals.scan(prompt), tokens.count(prompt));
    }

    @Test
    void aShortChatQuestionIsSimple() {
        Complexity c = score("what's a good name for a cat?");
        assertThat(c.score()).isLessThan(0.1);
        assertThat(c.content()).isZero();
        assertThat(c.steps()).isZero();
    }

    @Test
    void pastedCodeRaisesTheScore() {
        String ask = "Refactor this to use streams:";
        String code =
                "```java\nfor (int i = 0; i < xs.size(); i++) {\n  if (xs.get(i) > 0) {\n    out.add(xs.get(i));\n  }\n}\n```";
        assertThat(score(ask + "\n" + code).score()).isGreaterThan(score(ask).score() + 0.15);
        assertThat(score(ask + "\n" + code).content()).isGreaterThanOrEqualTo(0.6);
    }

    @Test
    void aStackTraceCountsAsRuntimeOutput() {
        Complexity c = score(
                "Why does this fail?\njava.lang.IllegalStateException: boom\n\tat a.B.c(B.java:12)\n\tat a.B.main(B.java:3)");
        assertThat(c.content()).isGreaterThanOrEqualTo(0.6);
    }

    @Test
    void multiStepAsksScoreOnSteps() {
        Complexity c = score(
                "Do this:\n1. add a column\n2. backfill it\n3. then switch reads\n4. finally drop the old one\n5. write tests");
        assertThat(c.steps()).isEqualTo(1.0);
    }

    @Test
    void aLongMultiStepPromptWithCodeApproachesOne() {
        StringBuilder prompt = new StringBuilder(
                "Port this module to Go, then add tests, then benchmark it:\n1. parse\n2. validate\n3. store\n```python\n");
        for (int i = 0; i < 400; i++) {
            prompt.append("def handler_")
                    .append(i)
                    .append("(event, context):\n    return process(event['body'], retries=")
                    .append(i)
                    .append(")\n");
        }
        prompt.append("```\n");
        assertThat(score(prompt.toString()).score()).isGreaterThan(0.85);
    }

    @Test
    void evidenceNamesTheParts() {
        assertThat(score("hello").evidence())
                .startsWith("complexity=")
                .contains("length")
                .contains("code/logs")
                .contains("steps");
    }

    private static final long SEED = Long.getLong("tiergate.qt.seed", 0x7165_5EEDL);

    @Test
    void alwaysBetweenZeroAndOne() {
        qt().withFixedSeed(SEED)
                .forAll(
                        strings().allPossible().ofLengthBetween(0, 400),
                        integers().between(0, 2_000_000))
                .checkAssert((prompt, tokenCount) -> {
                    Complexity c = scorer.score(PromptSignals.scan(prompt), tokenCount);
                    assertThat(c.score()).isBetween(0.0, 1.0);
                    assertThat(c.length()).isBetween(0.0, 1.0);
                    assertThat(c.content()).isBetween(0.0, 1.0);
                    assertThat(c.steps()).isBetween(0.0, 1.0);
                });
    }

    @Test
    void moreTokensNeverLowerTheScore() {
        PromptSignals s = PromptSignals.scan("Summarize the attached report.");
        qt().withFixedSeed(SEED)
                .forAll(integers().between(0, 100_000), integers().between(1, 10_000))
                .checkAssert((tokenCount, more) -> assertThat(
                                scorer.score(s, tokenCount + more).score())
                        .isGreaterThanOrEqualTo(scorer.score(s, tokenCount).score()));
    }
}
