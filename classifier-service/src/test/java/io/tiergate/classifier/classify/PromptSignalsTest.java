package io.tiergate.classifier.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import org.junit.jupiter.api.Test;

class PromptSignalsTest {

    @Test
    void aCodeFenceIsCodeAndNotProse() {
        PromptSignals s =
                PromptSignals.scan("Please review this:\n```python\ndef f(x):\n    return x + 1\n```\nThanks!");
        assertThat(s.codeFence()).isTrue();
        assertThat(s.codeLines()).isEqualTo(2);
        assertThat(s.prose()).isEqualTo("Please review this:\nThanks!");
        assertThat(s.names()).contains("code-fence");
    }

    @Test
    void aUnifiedDiffIsADiff() {
        String diff =
                "LGTM?\ndiff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -1,3 +1,3 @@\n def f():\n-    return 1\n+    return 2\n";
        PromptSignals s = PromptSignals.scan(diff);
        assertThat(s.diff()).isTrue();
        assertThat(s.prose()).isEqualTo("LGTM?");
        assertThat(s.codeLines()).isEqualTo(3);
    }

    @Test
    void aBareHunkIsADiffToo() {
        assertThat(PromptSignals.scan("@@ -10,7 +10,7 @@ class A {\n-  int x;\n+  long x;")
                        .diff())
                .isTrue();
    }

    @Test
    void stackTracesOfSeveralRuntimesAreRecognised() {
        assertThat(PromptSignals.scan("java.lang.NullPointerException: x\n\tat com.acme.A.run(A.java:10)")
                        .stackTrace())
                .isTrue();
        assertThat(PromptSignals.scan("Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>")
                        .stackTrace())
                .isTrue();
        assertThat(PromptSignals.scan("TypeError: x is undefined\n    at render (app.js:10:5)")
                        .stackTrace())
                .isTrue();
        assertThat(PromptSignals.scan("panic: runtime error: index out of range\n\ngoroutine 1 [running]:")
                        .stackTrace())
                .isTrue();
        assertThat(PromptSignals.scan("thread 'main' panicked at src/main.rs:4:5")
                        .stackTrace())
                .isTrue();
    }

    @Test
    void proseMentioningAnErrorIsNotAStackTrace() {
        PromptSignals s = PromptSignals.scan("What is the difference between an Error and an Exception in Java?");
        assertThat(s.stackTrace()).isFalse();
        assertThat(s.startsWithQuestion()).isTrue();
    }

    @Test
    void logLinesAreCounted() {
        PromptSignals s = PromptSignals.scan(
                "Extract the errors:\n2024-05-01T10:00:01Z INFO started\n2024-05-01 10:00:02 ERROR db down\n[WARN] retrying\nMar 14 03:22:17 host sshd[1]: Failed password");
        assertThat(s.logLines()).isEqualTo(4);
        assertThat(s.hasLogs()).isTrue();
        assertThat(s.prose()).isEqualTo("Extract the errors:");
    }

    @Test
    void theAskIsReadForFormAndVerb() {
        PromptSignals imperative = PromptSignals.scan("Please summarize the thread below");
        assertThat(imperative.startsWithImperative()).isTrue();
        assertThat(imperative.firstWord()).isEqualTo("summarize");
        assertThat(imperative.leadVerb()).isEqualTo("summarize");

        PromptSignals polite = PromptSignals.scan("hey, can you review my PR?");
        assertThat(polite.startsWithQuestion()).isTrue();
        assertThat(polite.startsWithImperative()).isFalse();
        assertThat(polite.leadVerb()).isEqualTo("review");
        assertThat(polite.questions()).isEqualTo(1);
    }

    @Test
    void listsAndSequencingMakeAMultiStepAsk() {
        PromptSignals s = PromptSignals.scan(
                "Set up the project:\n1. create the repo\n2. add CI\n- then configure alerts\nFinally, write docs.");
        assertThat(s.listItems()).isEqualTo(3);
        assertThat(s.sequenceWords()).isGreaterThanOrEqualTo(2);
        assertThat(s.names()).contains("multi-step");
    }

    @Test
    void answerOptionsAndConversionArrowsInTheAsk() {
        assertThat(PromptSignals.scan("Is this SPAM or HAM?").labelOptions()).isTrue();
        assertThat(PromptSignals.scan("severity: blocker / major / minor").labelOptions())
                .isTrue();
        assertThat(PromptSignals.scan("answer yes/no").labelOptions()).isTrue();
        assertThat(PromptSignals.scan("Tell me about the history of Rome").labelOptions())
                .isFalse();
        assertThat(PromptSignals.scan("toml -> yaml\n[package]\nname = \"x\"").formatArrow())
                .isTrue();
    }

    @Test
    void structuredDataIsNotProse() {
        PromptSignals s = PromptSignals.scan(
                "Convert to JSON:\nid,name,email,city\n1,Ann,a@x.io,Oslo\n2,Bo,b@x.io,Rome\nservice:\n  port: 80");
        assertThat(s.structuredLines()).isEqualTo(5);
        assertThat(s.prose()).isEqualTo("Convert to JSON:");
        assertThat(s.pastedChars()).isEqualTo(s.chars() - "Convert to JSON:".length());
    }

    @Test
    void aSentenceWithAColonStaysProse() {
        PromptSignals s = PromptSignals.scan(
                "Note: the customer says the invoice total is wrong, can you check why it happened?");
        assertThat(s.structuredLines()).isZero();
        assertThat(s.prose()).startsWith("Note:");
    }

    @Test
    void aHugePasteIsScannedOnlyUpToTheLineCap() {
        String log = "2024-05-01T10:00:01Z INFO tick\n".repeat(PromptSignals.MAX_LINES * 3);
        PromptSignals s = PromptSignals.scan("Summarize:\n" + log);
        assertThat(s.lines()).isEqualTo(PromptSignals.MAX_LINES);
        assertThat(s.chars()).isEqualTo(("Summarize:\n" + log).length());
    }

    @Test
    void pathologicalLinesAreScannedInBoundedTime() {
        // one long line of word/separator runs, a 40k-level dotted "identifier" before "Error", answer-option
        // look-alikes: each made a backtracking pattern quadratic or recursive before the line and ask caps
        String[] prompts = {
            "a-".repeat(50_000),
            "a.".repeat(50_000) + "b Error",
            "A/".repeat(50_000),
            "A, ".repeat(40_000),
            ("a.".repeat(499) + " Error\n").repeat(100)
        };
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            for (String p : prompts) {
                PromptSignals.scan(p);
            }
        });
    }

    @Test
    void aLongLineOfSentencesIsStillProse() {
        String article = "The quarterly report shows that revenue grew in every region this year. ".repeat(40);
        PromptSignals s = PromptSignals.scan("Summarize this:\n" + article);
        assertThat(s.prose()).startsWith("Summarize this:\nThe quarterly report");
        assertThat(s.structuredLines()).isZero();
    }

    @Test
    void anEmptyPromptHasNoSignals() {
        PromptSignals s = PromptSignals.scan("");
        assertThat(s.names()).isEmpty();
        assertThat(s.prose()).isEmpty();
        assertThat(s.firstWord()).isEmpty();
    }
}
