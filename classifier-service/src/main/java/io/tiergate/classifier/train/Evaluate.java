package io.tiergate.classifier.train;

import io.tiergate.classifier.classify.EmbeddingCache;
import io.tiergate.classifier.classify.MiniLmEmbedder;
import io.tiergate.classifier.classify.SentenceEmbedder;
import io.tiergate.classifier.classify.TaskClassifier;
import io.tiergate.classifier.classify.TaskModel;
import io.tiergate.classifier.classify.TaskPrediction;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.classifier.sensitive.SensitiveDataDetector;
import io.tiergate.classifier.sensitive.SensitiveKind;
import io.tiergate.classifier.train.ModelTrainer.Example;
import io.tiergate.schemas.events.TaskType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Measures the task classifier on the labelled data and prints a Markdown report: stratified
 * k-fold cross-validation on the training split, then the model trained on the whole training
 * split against the held-out evaluation split, each at several embedding thresholds (how often the
 * cascade embeds, and what that buys), with confusion matrices at the configured threshold.
 *
 * <pre>./mvnw -q -o -pl classifier-service compile exec:java -Dexec.mainClass=io.tiergate.classifier.train.Evaluate</pre>
 *
 * Options: {@code --data DIR} (default src/main/resources/training), {@code --threshold T},
 * {@code --workload FILE} (also score a labelled JSONL workload such as workloads/reference.jsonl,
 * lines with "prompt" and "expectedTaskType"), {@code --grid} (hyperparameter sweep by
 * cross-validation, training split only).
 */
public final class Evaluate {

  /** 0: the fast model alone; above 1: the full model always. */
  static final double[] THRESHOLDS = {0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01};

  private Evaluate() {}

  public static void main(String[] args) {
    Path dir = TrainingData.defaultDirectory();
    double threshold = ClassifierSettings.DEFAULTS.embeddingThreshold();
    boolean grid = false;
    Path workload = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> dir = Path.of(args[++i]);
        case "--workload" -> workload = Path.of(args[++i]);
        case "--threshold" -> threshold = Double.parseDouble(args[++i]);
        case "--grid" -> grid = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    TrainingData data = TrainingData.load(dir);
    System.out.println(dataSummary(data));
    EmbeddingCache embedder = new EmbeddingCache(new MiniLmEmbedder(1), Integer.MAX_VALUE);
    if (grid) {
      grid(data, embedder, threshold);
      return;
    }
    TrainingRecipe recipe = TrainingRecipe.DEFAULT;
    System.out.println("Recipe: `" + recipe + "`, configured embedding threshold " + threshold + "\n");

    long start = System.nanoTime();
    ModelTrainer trainer = new ModelTrainer(recipe, embedder);
    List<Example> train = trainer.prepare(data.train());
    List<Example> eval = trainer.prepare(data.eval());
    System.out.printf(
        Locale.ROOT, "Embedded %d asks in %.1f s (%.2f ms each, one thread)%n%n",
        train.size() + eval.size(), (System.nanoTime() - start) / 1e9, embedder.meanMissMillis());

    System.out.printf(Locale.ROOT, "## %d-fold cross-validation on the training split (%d prompts)%n%n", recipe.folds(), train.size());
    Results cv = crossValidate(train, recipe, embedder, threshold);
    System.out.println(cv.thresholdTable());
    System.out.printf(Locale.ROOT, "Confusion matrix, cascade at threshold %.2f (out-of-fold predictions):%n%n", threshold);
    System.out.println(cv.matrix(threshold).markdown());
    System.out.println(cv.routingImpact(threshold));

    System.out.printf(Locale.ROOT, "## Held-out evaluation split (%d prompts, never trained on)%n%n", eval.size());
    TaskModel model = trainer.train(train, data.trainSha256());
    Results held = new Results();
    predictAll(model, eval, embedder, held, threshold);
    System.out.println(held.thresholdTable());
    System.out.printf(Locale.ROOT, "Confusion matrix, cascade at threshold %.2f:%n%n", threshold);
    System.out.println(held.matrix(threshold).markdown());
    System.out.println(held.routingImpact(threshold));
    System.out.println("Misclassified held-out prompts at the configured threshold:\n");
    System.out.println(held.misclassified(threshold));
    if (workload != null) {
      List<Example> reference = trainer.prepare(ReferenceWorkload.load(workload));
      System.out.printf(
          Locale.ROOT, "## Reference workload %s (%d prompts from another author's generator; hints ignored)%n%n",
          workload.getFileName(), reference.size());
      Results ref = new Results();
      predictAll(model, reference, embedder, ref, threshold);
      System.out.println(ref.thresholdTable());
      System.out.printf(Locale.ROOT, "Confusion matrix, cascade at threshold %.2f:%n%n", threshold);
      System.out.println(ref.matrix(threshold).markdown());
      System.out.println(ref.routingImpact(threshold));
      System.out.println(sensitiveSummary(reference));
    }
    System.out.println("\nMisclassified training prompts in cross-validation (candidates for label review):\n");
    System.out.println(cv.misclassified(threshold));
  }

  static String dataSummary(TrainingData data) {
    StringBuilder s = new StringBuilder("# Task classifier evaluation\n\n");
    Map<TaskType, int[]> counts = new EnumMap<>(TaskType.class);
    data.train().forEach(p -> counts.computeIfAbsent(p.taskType(), t -> new int[2])[0]++);
    data.eval().forEach(p -> counts.computeIfAbsent(p.taskType(), t -> new int[2])[1]++);
    s.append("| type | train | eval |\n|---|---:|---:|\n");
    counts.forEach((t, c) -> s.append("| ").append(t).append(" | ").append(c[0]).append(" | ").append(c[1]).append(" |\n"));
    s.append("| total | ").append(data.train().size()).append(" | ").append(data.eval().size()).append(" |\n\n");
    s.append("Training data SHA-256: `").append(data.trainSha256()).append("`\n");
    if (!data.problems().isEmpty()) {
      s.append("\nProblems in the data files:\n");
      data.problems().forEach(p -> s.append("- ").append(p).append('\n'));
    }
    List<String> leaks = Leakage.find(data.train(), data.eval());
    if (!leaks.isEmpty()) {
      s.append("\nNear-duplicates across train and eval (held-out numbers are optimistic for these):\n");
      leaks.forEach(l -> s.append("- ").append(l).append('\n'));
    }
    return s.toString();
  }

  /** Lines with sensitive data and findings per kind, to compare with the workload's own count. */
  static String sensitiveSummary(List<Example> examples) {
    SensitiveDataDetector detector = new SensitiveDataDetector();
    Map<SensitiveKind, Integer> kinds = new EnumMap<>(SensitiveKind.class);
    int lines = 0;
    for (Example e : examples) {
      var found = detector.detect(e.source().prompt());
      if (!found.isEmpty()) {
        lines++;
      }
      found.forEach(k -> kinds.merge(k, 1, Integer::sum));
    }
    return String.format(Locale.ROOT, "Sensitive data found in %d of %d prompts; lines per kind: %s%n", lines, examples.size(), kinds);
  }

  /** Out-of-fold predictions of a stratified k-fold split. */
  static Results crossValidate(
      List<Example> examples, TrainingRecipe recipe, SentenceEmbedder embedder, double configured) {
    List<List<Example>> folds = stratifiedFolds(examples, recipe.folds(), recipe.seed());
    Results results = new Results();
    ModelTrainer trainer = new ModelTrainer(recipe, embedder);
    for (int f = 0; f < folds.size(); f++) {
      List<Example> fit = new ArrayList<>();
      for (int g = 0; g < folds.size(); g++) {
        if (g != f) {
          fit.addAll(folds.get(g));
        }
      }
      predictAll(trainer.train(fit, "cv"), folds.get(f), embedder, results, configured);
    }
    return results;
  }

  static List<List<Example>> stratifiedFolds(List<Example> examples, int k, long seed) {
    List<List<Example>> folds = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      folds.add(new ArrayList<>());
    }
    Map<Integer, List<Example>> byLabel = new TreeMap<>();
    examples.forEach(e -> byLabel.computeIfAbsent(e.label(), l -> new ArrayList<>()).add(e));
    Random random = new Random(seed);
    int next = 0;
    for (List<Example> group : byLabel.values()) {
      List<Example> shuffled = new ArrayList<>(group);
      Collections.shuffle(shuffled, random);
      for (Example e : shuffled) {
        folds.get(next++ % k).add(e);
      }
    }
    return folds;
  }

  static void predictAll(
      TaskModel model, List<Example> examples, SentenceEmbedder embedder, Results into, double configured) {
    SortedSet<Double> thresholds = new TreeSet<>();
    for (double t : THRESHOLDS) {
      thresholds.add(t);
    }
    thresholds.add(configured);
    for (double t : thresholds) {
      TaskClassifier classifier = new TaskClassifier(model, embedder, t);
      for (Example e : examples) {
        into.add(t, e, classifier.predict(e.signals()));
      }
    }
  }

  /** One-at-a-time sweep around {@link TrainingRecipe#DEFAULT}, scored by cross-validation only. */
  private static void grid(TrainingData data, SentenceEmbedder embedder, double threshold) {
    System.out.printf(
        Locale.ROOT, "## Hyperparameter sweep around the default (cross-validation, training split only)%n%n"
            + "| recipe | fast only | full always | cascade %.2f | embedded |%n|---|---:|---:|---:|---:|%n", threshold);
    TrainingRecipe d = TrainingRecipe.DEFAULT;
    List<TrainingRecipe> recipes = new ArrayList<>(List.of(d));
    for (int docs : new int[] {1, 2, 4}) {
      recipes.add(d.withMinDocuments(docs));
    }
    for (double l : new double[] {1e-4, 1e-3}) {
      recipes.add(d.withLambdas(l, d.lambdaFull()));
    }
    for (double l : new double[] {3e-4, 3e-3}) {
      recipes.add(d.withLambdas(d.lambdaFast(), l));
    }
    for (float scale : new float[] {2f, 4f, 6f}) {
      recipes.add(d.withDenseScale(scale));
    }
    for (int chars : new int[] {80, 150, 200}) {
      recipes.add(d.withEmbeddingChars(chars));
    }
    for (TrainingRecipe r : recipes) {
      Results cv = crossValidate(new ModelTrainer(r, embedder).prepare(data.train()), r, embedder, threshold);
      System.out.printf(
          Locale.ROOT, "| `%s` | %.1f%% | %.1f%% | %.1f%% | %.0f%% |%n", r, 100 * cv.matrix(0).accuracy(),
          100 * cv.matrix(1.01).accuracy(), 100 * cv.matrix(threshold).accuracy(), 100 * cv.embeddedShare(threshold));
    }
  }

  /** Predictions per threshold. */
  static final class Results {
    private final Map<Double, List<Example>> examples = new TreeMap<>();
    private final Map<Double, List<TaskPrediction>> predictions = new TreeMap<>();

    void add(double threshold, Example e, TaskPrediction p) {
      examples.computeIfAbsent(threshold, t -> new ArrayList<>()).add(e);
      predictions.computeIfAbsent(threshold, t -> new ArrayList<>()).add(p);
    }

    ConfusionMatrix matrix(double threshold) {
      ConfusionMatrix m = new ConfusionMatrix(ModelTrainer.CLASSES);
      List<Example> es = examples.get(threshold);
      List<TaskPrediction> ps = predictions.get(threshold);
      if (es == null) {
        throw new IllegalArgumentException("threshold " + threshold + " was not evaluated; one of " + examples.keySet());
      }
      for (int i = 0; i < es.size(); i++) {
        m.add(es.get(i).label(), ModelTrainer.indexOf(ps.get(i).taskType()));
      }
      return m;
    }

    double embeddedShare(double threshold) {
      List<TaskPrediction> ps = predictions.get(threshold);
      return ps.stream().filter(TaskPrediction::embeddingUsed).count() / (double) ps.size();
    }

    String thresholdTable() {
      StringBuilder s = new StringBuilder("| embedding threshold | accuracy | embedded |\n|---|---:|---:|\n");
      for (double t : examples.keySet()) {
        String label = t == 0 ? "0 (fast model only)" : t > 1 ? "always (full model only)" : String.valueOf(t);
        s.append(String.format(Locale.ROOT, "| %s | %.1f%% | %.0f%% |%n", label, 100 * matrix(t).accuracy(), 100 * embeddedShare(t)));
      }
      return s.toString();
    }

    /**
     * What the errors cost in routing (DESIGN.md's minimum tiers: local types, then IMPLEMENTATION
     * at standard, CODE_REVIEW and DEBUGGING at strong, ARCHITECTURE at frontier).
     */
    String routingImpact(double threshold) {
      List<Example> es = examples.get(threshold);
      List<TaskPrediction> ps = predictions.get(threshold);
      int weaker = 0;
      int stronger = 0;
      for (int i = 0; i < es.size(); i++) {
        int truth = minimumTierRank(es.get(i).source().taskType());
        int predicted = minimumTierRank(ps.get(i).taskType());
        if (predicted < truth) {
          weaker++;
        } else if (predicted > truth) {
          stronger++;
        }
      }
      return String.format(
          Locale.ROOT, "Routing impact at threshold %.2f: %.1f%% of requests would get a weaker minimum tier than "
              + "their true type needs, %.1f%% a stronger (costlier) one; the rest of the errors stay within a tier.%n",
          threshold, 100.0 * weaker / es.size(), 100.0 * stronger / es.size());
    }

    private static int minimumTierRank(TaskType t) {
      return switch (t) {
        case IMPLEMENTATION -> 1;
        case CODE_REVIEW, DEBUGGING -> 2;
        case ARCHITECTURE -> 3;
        default -> 0;
      };
    }

    String misclassified(double threshold) {
      StringBuilder s = new StringBuilder();
      List<Example> es = examples.get(threshold);
      List<TaskPrediction> ps = predictions.get(threshold);
      for (int i = 0; i < es.size(); i++) {
        Example e = es.get(i);
        TaskPrediction p = ps.get(i);
        if (e.source().taskType() != p.taskType()) {
          String prompt = e.source().prompt().replaceAll("\\s+", " ");
          s.append(String.format(
              Locale.ROOT, "- `%s` labelled %s, predicted %s (%.2f%s): %s%n", e.source().source(), e.source().taskType(),
              p.taskType(), p.confidence(), p.embeddingUsed() ? ", embedded" : "",
              prompt.length() > 110 ? prompt.substring(0, 110) + "…" : prompt));
        }
      }
      return s.length() == 0 ? "(none)\n" : s.toString();
    }
  }
}
