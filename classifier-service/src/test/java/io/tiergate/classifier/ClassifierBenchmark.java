package io.tiergate.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.classifier.classify.RequestClassifier;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.classifier.train.EvaluationSets;
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
 * Kafka: limits, tokens, signals, sensitive data, complexity, the task model with the sentence
 * embedding), one thread, ONNX Runtime on one intra-op thread (it computes in the calling thread,
 * so the thread's CPU time is the classification's). Requests go through the classifier one at a
 * time ({@code batch 1}) or in batches as the service's listener hands them over a poll
 * ({@code batch 16}, {@code batch 32}: one embedding call per batch). Reports, per request: mean,
 * p50 and p99 CPU time (for a batch, its CPU divided by its size; the batch's own p99 is the
 * latency a request in it waits), GC time (collector time, which the thread's CPU time does not
 * include), wall time (inflated by anything else running on the machine), the share of requests
 * whose prose was embedded, and throughput per core (1 / mean CPU).
 *
 * <pre>./mvnw -q -o -pl classifier-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tiergate.classifier.ClassifierBenchmark [-Dexec.args="--rounds 3 --input FILE.jsonl"]</pre>
 *
 * Input: the frozen evaluation sets' prompts (the model never saw them, so the fast model is as
 * unsure as on live traffic: on its own training prompts it is overconfident and would rarely
 * embed), or a JSONL file of {"prompt": ...} lines. The embedding cache is off: on distinct prompts
 * it could only hit by chance.
 */
public final class ClassifierBenchmark {

    private ClassifierBenchmark() {}

    public static void main(String[] args) throws IOException {
        int rounds = 3;
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
                Locale.ROOT,
                "# classifier-service benchmark%n%n%d prompts (%s), %d measured rounds (configurations interleaved) after one warm-up pass each; "
                        + "%d available processors, load average %.1f at start%n%n",
                prompts.size(),
                input == null ? "frozen evaluation sets" : input,
                rounds,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println(
                "| configuration | batch | mean CPU / req | p50 CPU / req | p99 CPU / req | p99 CPU / batch | GC time / req | mean wall / req | embedded | throughput / core |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        ClassifierSettings cold = ClassifierSettings.DEFAULTS.withEmbeddingCacheSize(0);
        RequestClassifier cascade = RequestClassifier.create(cold);
        RequestClassifier always = RequestClassifier.create(cold.withEmbedding(true, 1.01));
        String threshold = "embedding below p=" + cold.embeddingThreshold();
        List<Config> configs = List.of(
                new Config("default (" + threshold + ")", cascade, 1),
                new Config("default (" + threshold + ")", cascade, 16),
                new Config("default (" + threshold + ")", cascade, 32),
                new Config("embedding always", always, 1),
                new Config("embedding always", always, 32),
                new Config(
                        "fast model only (embedding off)", RequestClassifier.create(cold.withEmbedding(false, 0)), 1));
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
        System.out.printf(
                Locale.ROOT,
                "%nload average %.1f at the end%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** One classifier configuration and batch size, and its measurements. */
    private static final class Config {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        private final String name;
        private final RequestClassifier classifier;
        private final int batch;
        private final List<Long> perRequest = new ArrayList<>();
        private final List<Long> perBatch = new ArrayList<>();
        private long embedded;
        private long wallNanos;
        private long gcMillis;

        Config(String name, RequestClassifier classifier, int batch) {
            this.name = name;
            this.classifier = classifier;
            this.batch = batch;
        }

        void pass(List<String> prompts, boolean measure) {
            long wallStart = System.nanoTime();
            long gcStart = gcMillis();
            for (int from = 0; from < prompts.size(); from += batch) {
                List<String> chunk = prompts.subList(from, Math.min(prompts.size(), from + batch));
                long start = THREADS.getCurrentThreadCpuTime();
                List<RequestClassifier.Result> results = classifier.complete(chunk.stream()
                        .map(p -> classifier.prepare(p, null, null))
                        .toList());
                long used = THREADS.getCurrentThreadCpuTime() - start;
                if (measure) {
                    perBatch.add(used);
                    for (RequestClassifier.Result result : results) {
                        perRequest.add(used / chunk.size());
                        if (result.source() == RequestClassifier.Source.EMBEDDING_MODEL) {
                            embedded++;
                        }
                    }
                }
            }
            if (measure) {
                wallNanos += System.nanoTime() - wallStart;
                gcMillis += gcMillis() - gcStart;
            }
        }

        private static long gcMillis() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(b -> Math.max(0, b.getCollectionTime()))
                    .sum();
        }

        void print() {
            int n = perRequest.size();
            long[] sorted =
                    perRequest.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] batches =
                    perBatch.stream().mapToLong(Long::longValue).sorted().toArray();
            double meanMs = Arrays.stream(sorted).average().orElse(0) / 1e6;
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.0f%% | %,.0f req/s |%n",
                    name,
                    batch,
                    meanMs,
                    sorted[n / 2] / 1e6,
                    sorted[(int) Math.ceil(n * 0.99) - 1] / 1e6,
                    batches[(int) Math.ceil(batches.length * 0.99) - 1] / 1e6,
                    (double) gcMillis / n,
                    wallNanos / 1e6 / n,
                    100.0 * embedded / n,
                    1000 / meanMs);
        }
    }

    private static List<String> labelledPrompts() {
        List<String> prompts = new ArrayList<>();
        EvaluationSets.all(EvaluationSets.load(EvaluationSets.defaultDirectory(), new ArrayList<>()))
                .forEach(p -> prompts.add(p.prompt()));
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
