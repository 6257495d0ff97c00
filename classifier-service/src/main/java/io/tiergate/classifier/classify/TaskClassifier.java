package io.tiergate.classifier.classify;

import io.tiergate.schemas.cost.MinimumCapability;
import io.tiergate.schemas.events.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task type of a prompt. The fast model (logistic regression over words, stems and structural
 * signals, tens of microseconds) answers alone when its top probability reaches
 * {@code embeddingThreshold}; otherwise the prose of the prompt is embedded (one ONNX call for all
 * such prompts of a batch) and the full model (the same features plus the embedding) decides. A
 * threshold above 1 embeds every prompt. Then quality first: when the top two types are within
 * {@code uncertaintyMargin} of each other, the request is served as the one with the higher minimum
 * tier, and the evidence says so ({@code uncertain=…}). Measured effects of both knobs:
 * docs/classifier.md. Thread-safe.
 */
public final class TaskClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(TaskClassifier.class);
    private static final int TOP_TERMS = 3;

    private final TaskModel model;
    private final SentenceEmbedder embedder; // null: fast model only
    private final double embeddingThreshold;
    private final double uncertaintyMargin;
    private final FeatureExtractor features = new FeatureExtractor();

    /**
     * @param embedder null to run the fast model alone
     * @param embeddingThreshold the fast model's top probability at or above which it answers alone
     *     (0: never embed; above 1: always embed)
     * @param uncertaintyMargin top-two probability gap below which the higher minimum tier wins (0: never)
     */
    public TaskClassifier(
            TaskModel model, SentenceEmbedder embedder, double embeddingThreshold, double uncertaintyMargin) {
        if (embedder != null && embedder.dimensions() != model.full().denseDim()) {
            throw new IllegalArgumentException("embedder gives " + embedder.dimensions()
                    + " dimensions, the model expects " + model.full().denseDim());
        }
        if (embedder != null && !embedder.name().equals(model.embedderName())) {
            throw new IllegalArgumentException(
                    "the model was trained on " + model.embedderName() + " embeddings, not " + embedder.name());
        }
        this.model = model;
        this.embedder = embedder;
        this.embeddingThreshold = embeddingThreshold;
        this.uncertaintyMargin = uncertaintyMargin;
    }

    /** The sentence model this classifier embeds with; empty when it runs the fast model alone. */
    public java.util.Optional<SentenceEmbedder> embedder() {
        return java.util.Optional.ofNullable(embedder);
    }

    public TaskModel model() {
        return model;
    }

    public TaskPrediction predict(PromptSignals signals) {
        return predictAll(List.of(signals)).get(0);
    }

    /** Predictions in input order; the prompts that need the embedding are embedded in one call. */
    public List<TaskPrediction> predictAll(List<PromptSignals> batch) {
        int n = batch.size();
        SparseFeatures[] xs = new SparseFeatures[n];
        double[][] fast = new double[n][];
        boolean[] wanted = new boolean[n];
        List<Integer> toEmbed = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            xs[i] = features.extract(batch.get(i));
            fast[i] = model.fast().probabilities(xs[i], null);
            String text = embeddingText(batch.get(i), model.embeddingChars());
            if (embedder != null && fast[i][argmax(fast[i])] < embeddingThreshold && !text.isEmpty()) {
                wanted[i] = true;
                toEmbed.add(i);
                texts.add(text);
            }
        }
        float[][] embeddings = new float[n][];
        String embeddingFailure = null;
        if (!texts.isEmpty()) {
            try {
                List<float[]> vectors = embedder.embedAll(texts);
                for (int j = 0; j < toEmbed.size(); j++) {
                    embeddings[toEmbed.get(j)] = vectors.get(j);
                }
            } catch (RuntimeException e) {
                // the embedding only refines; an ONNX failure must not stop classification
                LOG.warn(
                        "Embedding failed, answering {} prompt(s) with the fast model: {}", texts.size(), e.toString());
                embeddingFailure = e.getClass().getSimpleName();
            }
        }
        List<TaskPrediction> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(decide(batch.get(i), xs[i], fast[i], embeddings[i], wanted[i] ? embeddingFailure : null));
        }
        return out;
    }

    private TaskPrediction decide(
            PromptSignals signals, SparseFeatures x, double[] fast, float[] embedding, String embeddingFailure) {
        List<String> evidence = new ArrayList<>(5);
        int fastBest = argmax(fast);
        double[] p;
        SoftmaxModel used;
        if (embedding == null) {
            p = fast;
            used = model.fast();
            evidence.add(String.format(Locale.ROOT, "model=ngram-logreg p=%.2f", fast[fastBest]));
            if (embeddingFailure != null) {
                evidence.add("embedding-failed=" + embeddingFailure);
            }
        } else {
            p = model.full().probabilities(x, embedding);
            used = model.full();
            evidence.add(String.format(
                    Locale.ROOT,
                    "model=%s+ngram-logreg p=%.2f (fast: %s p=%.2f)",
                    model.embedderName(),
                    p[argmax(p)],
                    model.classes()[fastBest],
                    fast[fastBest]));
        }
        int best = argmax(p);
        int second = secondBest(p, best);
        TaskType mostLikely = model.classes()[best];
        TaskType runnerUp = model.classes()[second];
        int chosen = best;
        boolean uncertain = false;
        if (p[best] - p[second] < uncertaintyMargin
                && MinimumCapability.of(runnerUp).ordinal()
                        > MinimumCapability.of(mostLikely).ordinal()) {
            chosen = second;
            uncertain = true;
            evidence.add(String.format(
                    Locale.ROOT,
                    "uncertain=%s p=%.2f vs %s p=%.2f: served as %s (higher minimum tier)",
                    mostLikely,
                    p[best],
                    runnerUp,
                    p[second],
                    runnerUp));
        }
        addSignalsAndTerms(evidence, signals, x, used, chosen);
        return new TaskPrediction(
                model.classes()[chosen], p[chosen], mostLikely, uncertain, embedding != null, evidence);
    }

    /**
     * What the embedding model reads: the natural-language lines of the prompt (pasted code, logs and
     * data left out), joined, cut at a word boundary near {@code maxChars}; empty when the prompt has
     * no prose (then the fast model answers). Shared with training.
     */
    public static String embeddingText(PromptSignals signals, int maxChars) {
        String prose = signals.prose();
        String text = prose.length() <= maxChars + 1 ? prose : prose.substring(0, maxChars + 1);
        text = text.replace('\n', ' ').strip();
        if (text.length() <= maxChars) {
            return text;
        }
        int cut = text.lastIndexOf(' ', maxChars);
        return text.substring(0, cut > maxChars / 2 ? cut : maxChars);
    }

    private static void addSignalsAndTerms(
            List<String> evidence, PromptSignals signals, SparseFeatures x, SoftmaxModel m, int k) {
        List<String> names = signals.names();
        if (!names.isEmpty()) {
            evidence.add("signals=" + String.join(",", names));
        }
        // the strongest word features for the chosen class, distinct as read
        List<Map.Entry<String, Double>> terms = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            String name = x.name(i);
            if (name.startsWith("u:")
                    || name.startsWith("b:")
                    || name.startsWith("s:")
                    || name.startsWith("a:")
                    || name.startsWith("ab:")
                    || name.startsWith("verb:")) {
                double c = m.contribution(x, i, k);
                if (c > 0) {
                    terms.add(Map.entry(readable(name), c));
                }
            }
        }
        terms.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        Set<String> top = new LinkedHashSet<>();
        for (Map.Entry<String, Double> t : terms) {
            if (top.size() == TOP_TERMS) {
                break;
            }
            top.add(t.getKey());
        }
        if (!top.isEmpty()) {
            evidence.add("terms=" + String.join(",", top));
        }
    }

    private static String readable(String feature) {
        if (feature.startsWith("b:") || feature.startsWith("ab:")) {
            return feature.substring(feature.indexOf(':') + 1).replace('_', ' ');
        }
        if (feature.startsWith("s:")) {
            return feature.substring(2) + "*";
        }
        return feature.substring(feature.indexOf(':') + 1);
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    private static int secondBest(double[] p, int best) {
        int second = best == 0 ? 1 : 0;
        for (int k = 0; k < p.length; k++) {
            if (k != best && p[k] > p[second]) {
                second = k;
            }
        }
        return second;
    }
}
