package io.tiergate.classifier.classify;

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
 * Task type of a prompt, as a two-stage cascade: the fast model (logistic regression over words,
 * stems and structural signals, tens of microseconds) answers when its top probability reaches
 * {@code embeddingThreshold}; otherwise the ask is embedded with MiniLM (milliseconds) and the full
 * model (the same features plus the embedding) decides. The threshold trades accuracy for CPU; its
 * measured effect is in docs/classifier.md. Thread-safe.
 */
public final class TaskClassifier {

  private static final Logger LOG = LoggerFactory.getLogger(TaskClassifier.class);
  private static final int TOP_TERMS = 3;

  private final TaskModel model;
  private final SentenceEmbedder embedder; // null: fast model only
  private final double embeddingThreshold;
  private final FeatureExtractor features = new FeatureExtractor();

  /**
   * @param embedder null to run the fast model alone
   * @param embeddingThreshold the fast model's top probability at or above which it answers alone
   *     (0: never embed; above 1: always embed)
   */
  public TaskClassifier(TaskModel model, SentenceEmbedder embedder, double embeddingThreshold) {
    if (embedder != null && embedder.dimensions() != model.full().denseDim()) {
      throw new IllegalArgumentException(
          "embedder gives " + embedder.dimensions() + " dimensions, the model expects " + model.full().denseDim());
    }
    this.model = model;
    this.embedder = embedder;
    this.embeddingThreshold = embeddingThreshold;
  }

  public TaskModel model() {
    return model;
  }

  public TaskPrediction predict(PromptSignals signals) {
    SparseFeatures x = features.extract(signals);
    double[] fast = model.fast().probabilities(x, null);
    int best = argmax(fast);
    List<String> evidence = new ArrayList<>(4);
    String ask = embeddingText(signals, model.embeddingChars());
    if (embedder == null || fast[best] >= embeddingThreshold || ask.isEmpty()) {
      evidence.add(String.format(Locale.ROOT, "model=ngram-logreg p=%.2f", fast[best]));
      addSignalsAndTerms(evidence, signals, x, model.fast(), best);
      return new TaskPrediction(model.classes()[best], fast[best], false, evidence);
    }
    float[] embedding;
    try {
      embedding = embedder.embed(ask);
    } catch (RuntimeException e) {
      // the embedding only refines; an ONNX failure must not stop classification
      LOG.warn("Embedding failed, answering with the fast model: {}", e.toString());
      evidence.add(String.format(Locale.ROOT, "model=ngram-logreg p=%.2f", fast[best]));
      evidence.add("embedding-failed=" + e.getClass().getSimpleName());
      addSignalsAndTerms(evidence, signals, x, model.fast(), best);
      return new TaskPrediction(model.classes()[best], fast[best], false, evidence);
    }
    double[] full = model.full().probabilities(x, embedding);
    int chosen = argmax(full);
    evidence.add(
        String.format(
            Locale.ROOT, "model=%s+ngram-logreg p=%.2f (fast: %s p=%.2f)",
            embedder.name(), full[chosen], model.classes()[best], fast[best]));
    addSignalsAndTerms(evidence, signals, x, model.full(), chosen);
    return new TaskPrediction(model.classes()[chosen], full[chosen], true, evidence);
  }

  /**
   * What the embedding model reads: the ask (natural-language lines) cut at a word boundary near
   * {@code maxChars}; empty when the prompt has no prose (then the fast model answers). Shared with
   * training.
   */
  public static String embeddingText(PromptSignals signals, int maxChars) {
    String prose = signals.prose();
    int nl = prose.indexOf('\n');
    String text = nl < 0 ? prose : prose.substring(0, nl);
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
      if (name.startsWith("u:") || name.startsWith("b:") || name.startsWith("s:") || name.startsWith("a:")
          || name.startsWith("ab:") || name.startsWith("verb:")) {
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
}
