package io.tiergate.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.classifier.classify.RequestClassifier;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.classifier.train.TrainingData;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark, not a test: CPU time per classification (everything the service does per request but
 * Kafka: limits, tokens, signals, model cascade, complexity, sensitive data), one thread, ONNX
 * Runtime on one intra-op thread (it computes in the calling thread, so the thread's CPU time is
 * the classification's). Reports mean, p50 and p99 CPU time of the calling thread, GC time per
 * classification (collector time, which the thread's CPU time does not include), wall time (inflated
 * by anything else running on the machine), the share of requests that consulted MiniLM, and
 * throughput per core (1 / mean CPU).
 *
 * <pre>./mvnw -q -o -pl classifier-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tiergate.classifier.ClassifierBenchmark [-Dexec.args="--rounds 3 --input FILE.jsonl"]</pre>
 *
 * Input: the held-out evaluation prompts of src/main/resources/training (the model never saw them,
 * so the fast model is as unsure as on live traffic: on its own training prompts it is overconfident
 * and would rarely embed), or a JSONL file of {"prompt": ...} lines.
 */
public final class ClassifierBenchmark {

  private ClassifierBenchmark() {}

  public static void main(String[] args) throws IOException {
    int rounds = 5;
    Path input = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--input" -> input = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<String> prompts = input == null ? labelledPrompts() : jsonlPrompts(input);
    System.out.printf(
        Locale.ROOT, "# classifier-service benchmark%n%n%d prompts (%s), %d measured rounds (configurations interleaved) after one warm-up pass each; "
            + "%d available processors, load average %.1f at start%n%n",
        prompts.size(), input == null ? "held-out evaluation split" : input, rounds,
        Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("| configuration | mean CPU | p50 CPU | p99 CPU | GC time / req | mean wall | embedded | throughput / core |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    ClassifierSettings d = ClassifierSettings.DEFAULTS;
    // the cache is off in the first three: on distinct prompts it could only hit by chance
    ClassifierSettings cold = d.withEmbeddingCacheSize(0);
    List<Config> configs =
        List.of(
            new Config("default, embedding cache off (threshold " + d.embeddingThreshold() + ")", RequestClassifier.create(cold)),
            new Config("fast model only (embedding off)", RequestClassifier.create(cold.withEmbedding(false, 0))),
            new Config("embedding always (threshold > 1)", RequestClassifier.create(cold.withEmbedding(true, 1.01))));
    for (Config c : configs) { // warm-up: JIT, ONNX sessions, tokenizer caches
      c.pass(prompts, false);
    }
    // rounds interleave the configurations, so load from other processes spreads evenly over them
    for (int r = 0; r < rounds; r++) {
      for (Config c : configs) {
        c.pass(prompts, true);
      }
    }
    configs.forEach(Config::print);
    // the LRU cache of asks, from empty, one pass: what repeating asks in the input save
    Config cached =
        new Config(
            "default with the embedding cache (" + d.embeddingCacheSize() + "), one pass from empty",
            RequestClassifier.create(d));
    cached.pass(prompts, true);
    cached.print();
  }

  /** One classifier configuration and its measurements. */
  private static final class Config {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String name;
    private final RequestClassifier classifier;
    private final List<Long> cpu = new ArrayList<>();
    private long embedded;
    private long wallNanos;
    private long gcMillis;

    Config(String name, RequestClassifier classifier) {
      this.name = name;
      this.classifier = classifier;
    }

    void pass(List<String> prompts, boolean measure) {
      long wallStart = System.nanoTime();
      long gcStart = gcMillis();
      for (String p : prompts) {
        long start = THREADS.getCurrentThreadCpuTime();
        RequestClassifier.Result result = classifier.classify(p, null, null);
        long used = THREADS.getCurrentThreadCpuTime() - start;
        if (measure) {
          cpu.add(used);
          if (result.source() == RequestClassifier.Source.EMBEDDING_MODEL) {
            embedded++;
          }
        }
      }
      if (measure) {
        wallNanos += System.nanoTime() - wallStart;
        gcMillis += gcMillis() - gcStart;
      }
    }

    private static long gcMillis() {
      return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    void print() {
      int n = cpu.size();
      long[] sorted = cpu.stream().mapToLong(Long::longValue).sorted().toArray();
      double meanMs = Arrays.stream(sorted).average().orElse(0) / 1e6;
      System.out.printf(
          Locale.ROOT, "| %s | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.0f%% | %,.0f req/s |%n",
          name, meanMs, sorted[n / 2] / 1e6, sorted[(int) Math.ceil(n * 0.99) - 1] / 1e6, (double) gcMillis / n,
          wallNanos / 1e6 / n, 100.0 * embedded / n, 1000 / meanMs);
    }
  }

  private static List<String> labelledPrompts() {
    List<String> prompts = new ArrayList<>();
    TrainingData.load(TrainingData.defaultDirectory()).eval().forEach(p -> prompts.add(p.prompt()));
    return prompts;
  }

  private static List<String> jsonlPrompts(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> prompts = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        JsonNode node = json.readTree(line);
        if (node.hasNonNull("prompt")) {
          prompts.add(node.get("prompt").asText());
        }
      }
    }
    return prompts;
  }
}
