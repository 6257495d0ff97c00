package io.tiergate.classifier.train;

import io.tiergate.classifier.classify.Embedders;
import io.tiergate.classifier.classify.EmbeddingCache;
import io.tiergate.classifier.classify.OnnxSentenceEmbedder;
import io.tiergate.classifier.classify.SentenceEmbedder;
import io.tiergate.classifier.classify.TaskClassifier;
import io.tiergate.classifier.classify.TaskModel;
import io.tiergate.classifier.classify.TaskPrediction;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.classifier.tokens.TokenEstimator;
import io.tiergate.classifier.train.ModelTrainer.Example;
import io.tiergate.classifier.train.TrainingData.LabelledPrompt;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.MinimumCapability;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.TaskType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Measures the task classifier and prints a Markdown report: k-fold cross-validation on the training
 * data, then the model trained on all of it against the frozen author-disjoint evaluation sets
 * ({@link EvaluationSets}) and, optionally, a labelled workload; at several embedding thresholds and
 * uncertainty margins, with confusion matrices at the configured ones.
 *
 * <pre>./mvnw -q -o -pl classifier-service compile exec:java -Dexec.mainClass=io.tiergate.classifier.train.Evaluate</pre>
 *
 * Options: {@code --data DIR}, {@code --evaluation DIR}, {@code --threshold T}, {@code --margin M},
 * {@code --workload FILE} (also score a labelled JSONL workload such as workloads/reference.jsonl),
 * {@code --compare-embedders} (every supported embedding model: accuracy and CPU), {@code --embedder
 * NAME} and {@code --embedding-chars N} (the whole report with another embedder or embedding text
 * length, e.g. {@code all-minilm-l6-v2-q-static}), {@code --grid}
 * (hyperparameter sweep by cross-validation, training data only). Misclassified prompts are listed
 * for the training data only: the frozen sets' errors are not looked at (docs/classifier.md).
 */
public final class Evaluate {

    /** 0: the fast model alone; above 1: the full model always. */
    static final double[] THRESHOLDS = {0.0, 0.7, 0.9, 1.01};

    static final double[] MARGINS = {0.0, 0.05, 0.1, 0.15, 0.2, 0.3};

    private Evaluate() {}

    /** One way of running the classifier: embedding threshold and uncertainty margin. */
    record Setting(double threshold, double margin) implements Comparable<Setting> {
        @Override
        public int compareTo(Setting o) {
            int c = Double.compare(threshold, o.threshold);
            return c != 0 ? c : Double.compare(margin, o.margin);
        }

        String label() {
            String t = threshold == 0 ? "fast only" : threshold > 1 ? "always" : String.valueOf(threshold);
            return String.format(Locale.ROOT, "embedding %s, margin %.2f", t, margin);
        }
    }

    public static void main(String[] args) {
        Path dir = TrainingData.defaultDirectory();
        Path evaluation = EvaluationSets.defaultDirectory();
        ClassifierSettings defaults = ClassifierSettings.DEFAULTS;
        Setting configured = new Setting(defaults.embeddingThreshold(), defaults.uncertaintyMargin());
        boolean grid = false;
        boolean compare = false;
        Path workload = null;
        String embedderName = null;
        int embeddingChars = TrainingRecipe.DEFAULT.embeddingChars();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> dir = Path.of(args[++i]);
                case "--evaluation" -> evaluation = Path.of(args[++i]);
                case "--workload" -> workload = Path.of(args[++i]);
                case "--threshold" -> configured = new Setting(Double.parseDouble(args[++i]), configured.margin());
                case "--margin" -> configured = new Setting(configured.threshold(), Double.parseDouble(args[++i]));
                case "--grid" -> grid = true;
                case "--compare-embedders" -> compare = true;
                case "--embedder" -> embedderName = args[++i];
                case "--embedding-chars" -> embeddingChars = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        TrainingData data = TrainingData.load(dir);
        List<String> problems = new ArrayList<>(data.problems());
        Map<String, List<LabelledPrompt>> sets = new LinkedHashMap<>(EvaluationSets.load(evaluation, problems));
        if (workload != null) {
            sets.put(workload.getFileName().toString(), ReferenceWorkload.load(workload));
        }
        System.out.println(dataSummary(data, sets, problems));
        TrainingRecipe recipe =
                embedderName == null ? TrainingRecipe.DEFAULT : TrainingRecipe.DEFAULT.withEmbedder(embedderName);
        recipe = recipe.withEmbeddingChars(embeddingChars);
        if (compare) {
            compareEmbedders(data, sets, recipe, configured);
            return;
        }
        SentenceEmbedder uncached = Embedders.named(recipe.embedder(), 1, 128);
        EmbeddingCache embedder = new EmbeddingCache(uncached, Integer.MAX_VALUE);
        if (grid) {
            grid(data, embedder, configured);
            return;
        }
        System.out.println("Recipe: `" + recipe + "`; configured: " + configured.label() + "\n");
        double[] cost = embeddingCost(uncached, data.train(), recipe.embeddingChars());
        System.out.printf(
                Locale.ROOT,
                "Embedding cost (one thread, wall ms per text after a warm-up): single %.3f, batch of 32 %.3f%n%n",
                cost[0],
                cost[1]);
        long start = System.nanoTime();
        ModelTrainer trainer = new ModelTrainer(recipe, embedder);
        List<Example> train = trainer.prepare(data.train());
        System.out.printf(
                Locale.ROOT,
                "Embedded %d training prompts in %.1f s%n%n",
                train.size(),
                (System.nanoTime() - start) / 1e9);
        List<Setting> settings = settings(configured);

        System.out.printf(
                Locale.ROOT,
                "## %d-fold cross-validation on the training data (%d prompts)%n%n",
                recipe.folds(),
                train.size());
        Results cv = crossValidate(train, recipe, embedder, settings);
        System.out.println(cv.settingsTable());
        System.out.printf(Locale.ROOT, "Confusion matrix, %s (out-of-fold predictions):%n%n", configured.label());
        System.out.println(cv.matrix(configured).markdown());

        TaskModel model = trainer.train(train, data.trainSha256());
        for (Map.Entry<String, List<LabelledPrompt>> set : sets.entrySet()) {
            List<Example> examples = trainer.prepare(set.getValue());
            System.out.printf(Locale.ROOT, "## %s (%d prompts, never trained on)%n%n", set.getKey(), examples.size());
            Results r = new Results();
            predictAll(model, examples, embedder, r, settings);
            System.out.println(r.settingsTable());
            System.out.printf(Locale.ROOT, "Confusion matrix, %s:%n%n", configured.label());
            System.out.println(r.matrix(configured).markdown());
        }
        System.out.println("## Misclassified training prompts in cross-validation (candidates for label review)\n");
        System.out.println(cv.misclassified(configured));
    }

    static EmbeddingCache embedder(String name) {
        return new EmbeddingCache(Embedders.named(name, 1, 128), Integer.MAX_VALUE);
    }

    static List<Setting> settings(Setting configured) {
        List<Setting> out = new ArrayList<>();
        for (double t : THRESHOLDS) {
            out.add(new Setting(t, 0));
        }
        for (double m : MARGINS) {
            out.add(new Setting(configured.threshold(), m));
        }
        out.add(configured);
        return out.stream().distinct().sorted().toList();
    }

    static String dataSummary(TrainingData data, Map<String, List<LabelledPrompt>> sets, List<String> problems) {
        StringBuilder s = new StringBuilder("# Task classifier evaluation\n\n| type | training |");
        sets.keySet().forEach(k -> s.append(' ').append(k).append(" |"));
        s.append("\n|---|---:|").append("---:|".repeat(sets.size())).append('\n');
        for (TaskType t : ModelTrainer.CLASSES) {
            s.append("| ")
                    .append(t)
                    .append(" | ")
                    .append(data.train().stream().filter(p -> p.taskType() == t).count())
                    .append(" |");
            sets.values()
                    .forEach(v -> s.append(' ')
                            .append(v.stream().filter(p -> p.taskType() == t).count())
                            .append(" |"));
            s.append('\n');
        }
        s.append("| total | ").append(data.train().size()).append(" |");
        sets.values().forEach(v -> s.append(' ').append(v.size()).append(" |"));
        s.append("\n\nTraining data SHA-256: `").append(data.trainSha256()).append("`\n");
        if (!problems.isEmpty()) {
            s.append("\nProblems in the data files:\n");
            problems.forEach(p -> s.append("- ").append(p).append('\n'));
        }
        s.append(String.format(
                Locale.ROOT,
                "%nNear-duplicate pairs within the training data: %d%n",
                Leakage.find(data.train(), data.train(), true).size()));
        for (Map.Entry<String, List<LabelledPrompt>> set : sets.entrySet()) {
            List<String> leaks = Leakage.find(data.train(), set.getValue());
            s.append(String.format(
                    Locale.ROOT, "%nNear-duplicates of training prompts in %s: %d%n", set.getKey(), leaks.size()));
        }
        return s.toString();
    }

    /**
     * Every supported embedding model with the default recipe: accuracy where it counts, with every
     * prompt embedded and with the configured cascade, and the embedding's CPU.
     */
    static void compareEmbedders(
            TrainingData data, Map<String, List<LabelledPrompt>> sets, TrainingRecipe base, Setting configured) {
        Setting always = new Setting(1.01, configured.margin());
        List<Setting> settings = List.of(always, configured);
        StringBuilder table = new StringBuilder("| embedding model | setting | CV (training) |");
        sets.keySet().forEach(k -> table.append(' ').append(k).append(" |"));
        table.append(" ms/text single | ms/text batch 32 |\n|---|---|---:|")
                .append("---:|".repeat(sets.size()))
                .append("---:|---:|\n");
        for (OnnxSentenceEmbedder.Spec spec : OnnxSentenceEmbedder.Spec.all()) {
            TrainingRecipe recipe = base.withEmbedder(spec.name());
            OnnxSentenceEmbedder raw = new OnnxSentenceEmbedder(spec, 1, 128);
            double[] cpu = embeddingCost(raw, data.train(), recipe.embeddingChars());
            EmbeddingCache embedder = new EmbeddingCache(raw, Integer.MAX_VALUE);
            ModelTrainer trainer = new ModelTrainer(recipe, embedder);
            List<Example> train = trainer.prepare(data.train());
            Results cv = crossValidate(train, recipe, embedder, settings);
            TaskModel model = trainer.train(train, data.trainSha256());
            List<Results> perSet = new ArrayList<>();
            for (List<LabelledPrompt> set : sets.values()) {
                Results r = new Results();
                predictAll(model, trainer.prepare(set), embedder, r, settings);
                perSet.add(r);
            }
            for (Setting setting : settings) {
                table.append("| ")
                        .append(spec.name())
                        .append(" | ")
                        .append(setting.label())
                        .append(String.format(
                                Locale.ROOT,
                                " | %.1f%% |",
                                100 * cv.matrix(setting).accuracy()));
                for (Results r : perSet) {
                    table.append(String.format(
                            Locale.ROOT,
                            " %.1f%% (min recall %.0f%%) |",
                            100 * r.matrix(setting).accuracy(),
                            100 * r.matrix(setting).minRecall()));
                }
                table.append(String.format(Locale.ROOT, " %.2f | %.2f |%n", cpu[0], cpu[1]));
            }
            System.out.println("measured " + spec.name());
        }
        System.out.printf(Locale.ROOT, "## Embedding models%n%n%s%n", table);
    }

    /**
     * Mean wall ms per text (one thread), embedded one at a time and in batches of 32, after embedding
     * every text once.
     */
    static double[] embeddingCost(SentenceEmbedder embedder, List<LabelledPrompt> prompts, int chars) {
        List<String> texts = new ArrayList<>();
        for (LabelledPrompt p : prompts.subList(0, Math.min(prompts.size(), 640))) {
            String t =
                    TaskClassifier.embeddingText(io.tiergate.classifier.classify.PromptSignals.scan(p.prompt()), chars);
            if (!t.isEmpty()) {
                texts.add(t);
            }
        }
        embedder.embedAll(texts); // warm-up: JIT, and a static embedder's token vectors
        long start = System.nanoTime();
        for (String t : texts) {
            embedder.embed(t);
        }
        double single = (System.nanoTime() - start) / 1e6 / texts.size();
        start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += 32) {
            embedder.embedAll(texts.subList(from, Math.min(texts.size(), from + 32)));
        }
        double batched = (System.nanoTime() - start) / 1e6 / texts.size();
        return new double[] {single, batched};
    }

    /** Out-of-fold predictions of a stratified k-fold split. */
    static Results crossValidate(
            List<Example> examples, TrainingRecipe recipe, SentenceEmbedder embedder, List<Setting> settings) {
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
            predictAll(trainer.train(fit, "cv"), folds.get(f), embedder, results, settings);
        }
        return results;
    }

    static List<List<Example>> stratifiedFolds(List<Example> examples, int k, long seed) {
        List<List<Example>> folds = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            folds.add(new ArrayList<>());
        }
        Map<Integer, List<Example>> byLabel = new TreeMap<>();
        examples.forEach(
                e -> byLabel.computeIfAbsent(e.label(), l -> new ArrayList<>()).add(e));
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
            TaskModel model, List<Example> examples, SentenceEmbedder embedder, Results into, List<Setting> settings) {
        for (Setting s : settings) {
            TaskClassifier classifier = new TaskClassifier(model, embedder, s.threshold(), s.margin());
            List<TaskPrediction> predictions = classifier.predictAll(
                    examples.stream().map(Example::signals).toList());
            for (int i = 0; i < examples.size(); i++) {
                into.add(s, examples.get(i), predictions.get(i));
            }
        }
    }

    /** One-at-a-time sweep around {@link TrainingRecipe#DEFAULT}, scored by cross-validation only. */
    private static void grid(TrainingData data, SentenceEmbedder embedder, Setting configured) {
        System.out.printf(
                Locale.ROOT,
                "## Hyperparameter sweep around the default (cross-validation, training data only)%n%n"
                        + "| recipe | fast only | full always | %s | embedded |%n|---|---:|---:|---:|---:|%n",
                configured.label());
        TrainingRecipe d = TrainingRecipe.DEFAULT;
        List<TrainingRecipe> recipes = new ArrayList<>(List.of(d));
        for (int docs : new int[] {2, 4}) {
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
        for (int chars : new int[] {120, 300}) {
            recipes.add(d.withEmbeddingChars(chars));
        }
        Setting fast = new Setting(0, 0);
        Setting always = new Setting(1.01, 0);
        Setting cascade = new Setting(configured.threshold(), 0);
        for (TrainingRecipe r : recipes) {
            Results cv = crossValidate(
                    new ModelTrainer(r, embedder).prepare(data.train()), r, embedder, List.of(fast, always, cascade));
            System.out.printf(
                    Locale.ROOT,
                    "| `%s` | %.1f%% | %.1f%% | %.1f%% | %.0f%% |%n",
                    r,
                    100 * cv.matrix(fast).accuracy(),
                    100 * cv.matrix(always).accuracy(),
                    100 * cv.matrix(cascade).accuracy(),
                    100 * cv.embeddedShare(cascade));
        }
    }

    /**
     * What serving {@code truth}'s request as {@code served} is expected to cost: the price table's
     * first model of {@code served}'s minimum capability class (local types: the local model's TCO),
     * at the true type's expected output length. A proxy for the routing cost of errors, from the
     * default routing table's shape (local types local; IMPLEMENTATION standard; review and debugging
     * strong; architecture frontier).
     */
    static BigDecimal expectedCost(TaskType served, TaskType truth, long inputTokens) {
        CapabilityClass wanted = MinimumCapability.of(served);
        ModelPrice model = COSTS.prices().models().stream()
                .filter(m -> m.capabilityClass() == wanted)
                .findFirst()
                .orElseThrow();
        return COSTS.estimate(model, truth, inputTokens);
    }

    private static final CostCalculator COSTS = new CostCalculator(PriceTable.loadDefault());
    private static final TokenEstimator TOKENS = new TokenEstimator("cl100k_base");

    /** Predictions per setting. */
    static final class Results {
        private final Map<Setting, List<Example>> examples = new TreeMap<>();
        private final Map<Setting, List<TaskPrediction>> predictions = new TreeMap<>();

        void add(Setting setting, Example e, TaskPrediction p) {
            examples.computeIfAbsent(setting, t -> new ArrayList<>()).add(e);
            predictions.computeIfAbsent(setting, t -> new ArrayList<>()).add(p);
        }

        ConfusionMatrix matrix(Setting setting) {
            ConfusionMatrix m = new ConfusionMatrix(ModelTrainer.CLASSES);
            List<Example> es = examples.get(setting);
            List<TaskPrediction> ps = predictions.get(setting);
            if (es == null) {
                throw new IllegalArgumentException(setting + " was not evaluated; one of " + examples.keySet());
            }
            for (int i = 0; i < es.size(); i++) {
                m.add(es.get(i).label(), ModelTrainer.indexOf(ps.get(i).taskType()));
            }
            return m;
        }

        double embeddedShare(Setting setting) {
            List<TaskPrediction> ps = predictions.get(setting);
            return ps.stream().filter(TaskPrediction::embeddingUsed).count() / (double) ps.size();
        }

        /**
         * Accuracy, the lowest per-type recall, how often the cascade embedded, and what the errors mean
         * for routing: served at or above the true type's minimum tier, below it, and requests moved up
         * by the uncertainty rule.
         */
        String settingsTable() {
            StringBuilder s = new StringBuilder(
                    "| setting | accuracy | min recall | embedded | at or above minimum tier | below | moved up (uncertain) | expected cost vs true types |\n"
                            + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Setting setting : examples.keySet()) {
                ConfusionMatrix m = matrix(setting);
                List<Example> es = examples.get(setting);
                List<TaskPrediction> ps = predictions.get(setting);
                int atOrAbove = 0;
                int uncertain = 0;
                BigDecimal cost = BigDecimal.ZERO;
                BigDecimal oracle = BigDecimal.ZERO;
                for (int i = 0; i < es.size(); i++) {
                    TaskType truth = es.get(i).source().taskType();
                    long tokens = TOKENS.count(es.get(i).source().prompt());
                    cost = cost.add(expectedCost(ps.get(i).taskType(), truth, tokens));
                    oracle = oracle.add(expectedCost(truth, truth, tokens));
                    if (MinimumCapability.of(ps.get(i).taskType()).ordinal()
                            >= MinimumCapability.of(truth).ordinal()) {
                        atOrAbove++;
                    }
                    if (ps.get(i).uncertain()) {
                        uncertain++;
                    }
                }
                s.append(String.format(
                        Locale.ROOT,
                        "| %s | %.1f%% | %.0f%% | %.0f%% | %.1f%% | %.1f%% | %.1f%% | x%.3f |%n",
                        setting.label(),
                        100 * m.accuracy(),
                        100 * m.minRecall(),
                        100 * embeddedShare(setting),
                        100.0 * atOrAbove / es.size(),
                        100.0 * (es.size() - atOrAbove) / es.size(),
                        100.0 * uncertain / es.size(),
                        cost.divide(oracle, 6, RoundingMode.HALF_EVEN).doubleValue()));
            }
            return s.toString();
        }

        String misclassified(Setting setting) {
            StringBuilder s = new StringBuilder();
            List<Example> es = examples.get(setting);
            List<TaskPrediction> ps = predictions.get(setting);
            for (int i = 0; i < es.size(); i++) {
                Example e = es.get(i);
                TaskPrediction p = ps.get(i);
                if (e.source().taskType() != p.taskType()) {
                    String prompt = e.source().prompt().replaceAll("\\s+", " ");
                    s.append(String.format(
                            Locale.ROOT,
                            "- `%s` labelled %s, predicted %s (%.2f%s): %s%n",
                            e.source().source(),
                            e.source().taskType(),
                            p.taskType(),
                            p.confidence(),
                            p.uncertain() ? ", uncertain" : "",
                            prompt.length() > 110 ? prompt.substring(0, 110) + "…" : prompt));
                }
            }
            return s.length() == 0 ? "(none)\n" : s.toString();
        }
    }
}
