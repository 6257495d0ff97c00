package io.tiergate.classifier.complexity;

import io.tiergate.classifier.classify.PromptSignals;
import java.util.Locale;

/**
 * Complexity 0..1 of a request, for the router's local-threshold rule: a weighted sum of three parts,
 * each 0..1.
 * <ul>
 *   <li>length (weight 0.45): input tokens on a log scale, 0 at ≤ 20 tokens, 1 at ≥ 4,000;
 *   <li>pasted code and runtime output (0.30): a diff 0.8; code or logs/stack traces 0.6, growing
 *       to 1.0 with the number of lines (60 code lines, 40 log lines); structured data alone 0.3;
 *   <li>multi-step asks (0.25): list items, sequencing words ("then", "finally") and extra questions,
 *       1.0 at five or more.
 * </ul>
 */
public final class ComplexityScorer {

    static final double LENGTH_WEIGHT = 0.45;
    static final double CONTENT_WEIGHT = 0.30;
    static final double STEPS_WEIGHT = 0.25;

    /** The score and its parts, for evidence. */
    public record Complexity(double score, double length, double content, double steps) {
        public String evidence() {
            return String.format(
                    Locale.ROOT,
                    "complexity=%.2f (length %.2f, code/logs %.2f, steps %.2f)",
                    score,
                    length,
                    content,
                    steps);
        }
    }

    public Complexity score(PromptSignals s, int tokens) {
        double length = clamp(Math.log(Math.max(tokens, 1) / 20.0) / Math.log(4000 / 20.0));
        double code = s.hasCode() ? 0.6 + 0.4 * Math.min(1, s.codeLines() / 60.0) : 0;
        double logs = s.hasLogs() ? 0.6 + 0.4 * Math.min(1, (s.logLines() + (s.stackTrace() ? 10 : 0)) / 40.0) : 0;
        double diff = s.diff() ? 0.8 : 0;
        double data = s.structuredLines() >= 3 ? 0.3 : 0;
        double content = Math.max(Math.max(code, logs), Math.max(diff, data));
        double steps = clamp((s.listItems() + s.sequenceWords() + Math.max(0, s.questions() - 1)) / 5.0);
        double score = clamp(LENGTH_WEIGHT * length + CONTENT_WEIGHT * content + STEPS_WEIGHT * steps);
        return new Complexity(round(score), round(length), round(content), round(steps));
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
