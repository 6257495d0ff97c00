package io.tiergate.classifier.sensitive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark, not a test: CPU time of {@link SensitiveDataDetector#detect} per prompt on the
 * development corpus (src/test/resources/sensitive), one thread, after a warm-up. Prints mean, p50,
 * p99 and max per prompt for the sensitive prompts, the look-alikes, both, and a "1-2 KB" set (each
 * prompt padded with ordinary prose to about 1.5 KB, the typical request size), plus one 200 KB
 * worst case. No timing assertion: numbers depend on the machine.
 *
 * <pre>./mvnw -q -o -pl classifier-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tiergate.classifier.sensitive.SensitiveDetectorBenchmark [-Dexec.args="--rounds 20"]</pre>
 */
public final class SensitiveDetectorBenchmark {

    private SensitiveDetectorBenchmark() {}

    /** Ordinary prose (no digits, no key words) to pad prompts to a typical size. */
    private static final String PROSE =
            " Please keep the answer short and friendly, use plain language, and explain any step that a new colleague"
                    + " might find confusing. If something in the text above is unclear, say what you would need to know before"
                    + " going further, and list your assumptions at the end as bullet points so the team can check them quickly.";

    public static void main(String[] args) throws IOException {
        int rounds = 20;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> sensitive = prompts("dev-sensitive.jsonl");
        List<String> lookalikes = prompts("dev-lookalikes.jsonl");
        List<String> all = new ArrayList<>(sensitive);
        all.addAll(lookalikes);
        List<String> padded = new ArrayList<>();
        for (String p : all) {
            StringBuilder b = new StringBuilder(p);
            while (b.length() < 1500) {
                b.append(PROSE);
            }
            padded.add(b.toString());
        }
        SensitiveDataDetector detector = new SensitiveDataDetector();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int w = 0; w < 5; w++) { // warm-up: JIT, libphonenumber metadata
            all.forEach(detector::detect);
            padded.forEach(detector::detect);
        }
        System.out.printf(
                Locale.ROOT,
                "# SensitiveDataDetector.detect, CPU time per prompt (%d rounds, %d processors)%n%n",
                rounds,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| prompts | n | mean chars | mean µs | p50 µs | p99 µs | max µs |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        report("sensitive (dev corpus)", sensitive, detector, cpu, rounds);
        report("look-alikes (dev corpus)", lookalikes, detector, cpu, rounds);
        report("all (dev corpus)", all, detector, cpu, rounds);
        report("all, padded to ~1.5 KB", padded, detector, cpu, rounds);
        String worst = "call 0612 345 67 ".repeat(12_000);
        report("200 KB of phone-shaped groups", List.of(worst), detector, cpu, 5);
    }

    private static void report(
            String name, List<String> prompts, SensitiveDataDetector detector, ThreadMXBean cpu, int rounds) {
        long[] micros = new long[prompts.size() * rounds];
        int k = 0;
        long chars = 0;
        for (int r = 0; r < rounds; r++) {
            for (String p : prompts) {
                long start = cpu.getCurrentThreadCpuTime();
                detector.detect(p);
                micros[k++] = (cpu.getCurrentThreadCpuTime() - start) / 1_000;
                chars += p.length();
            }
        }
        Arrays.sort(micros);
        double mean = Arrays.stream(micros).average().orElse(0);
        System.out.printf(
                Locale.ROOT,
                "| %s | %d | %d | %.0f | %d | %d | %d |%n",
                name,
                prompts.size(),
                chars / micros.length,
                mean,
                micros[micros.length / 2],
                micros[(int) Math.min(micros.length - 1, Math.ceil(micros.length * 0.99) - 1)],
                micros[micros.length - 1]);
    }

    private static List<String> prompts(String resource) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        try (InputStream in = SensitiveDetectorBenchmark.class.getResourceAsStream("/sensitive/" + resource)) {
            if (in == null) {
                throw new IOException("missing resource /sensitive/" + resource);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode node = json.readTree(line);
                    out.add(node.get("prompt").asText());
                }
            }
        }
        return out;
    }
}
