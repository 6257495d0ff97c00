package io.tiergate.classifier.calibrate;

import io.tiergate.classifier.classify.SentenceEmbedder;
import io.tiergate.schemas.events.CalibrationJudge;

/**
 * Prose (and, as no LLM judge is built, code and design answers): cosine similarity of the two
 * answers' sentence embeddings, by the classifier's own sentence model. A negative cosine counts as 0.
 * Agreed at {@code threshold} or above. The model reads an answer's first tokens only (the
 * classifier's embedding limit), so long answers are compared by their openings.
 */
public final class EmbeddingJudge {

    private final SentenceEmbedder embedder;
    private final double threshold;

    public EmbeddingJudge(SentenceEmbedder embedder, double threshold) {
        this.embedder = embedder;
        this.threshold = threshold;
    }

    public Verdict judge(String local, String reference) {
        String a = local == null ? "" : local.strip();
        String b = reference == null ? "" : reference.strip();
        if (a.equals(b)) {
            return Verdict.of(CalibrationJudge.EMBEDDING, 1, threshold);
        }
        if (a.isEmpty() || b.isEmpty()) {
            return Verdict.of(CalibrationJudge.EMBEDDING, 0, threshold);
        }
        var vectors = embedder.embedAll(java.util.List.of(a, b));
        return Verdict.of(CalibrationJudge.EMBEDDING, Math.max(0, cosine(vectors.get(0), vectors.get(1))), threshold);
    }

    static double cosine(float[] x, float[] y) {
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += (double) x[i] * y[i];
            nx += (double) x[i] * x[i];
            ny += (double) y[i] * y[i];
        }
        return nx == 0 || ny == 0 ? 0 : dot / Math.sqrt(nx * ny);
    }

    public String model() {
        return embedder.name();
    }
}
