package io.tiergate.classifier.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies bundled prompts once at start-up, before the service takes traffic, so the first
 * requests do not pay for class loading, the JIT's first compilations and ONNX Runtime's first runs
 * (in the demo, the first 25 requests were classified at p50 63 ms against 5 ms later). The prompts
 * are the first lines of a training file shipped in the jar: every code path the traffic takes
 * (code, logs, personal data, the embedding for unsure prompts) appears in them. Results are thrown
 * away; nothing is published.
 */
public final class WarmUp {

    /** A training file on the classpath; its first {@code count} prompts are classified. */
    static final String PROMPTS = "training/train-batch-1.jsonl";

    private static final int BATCH = 16;

    private WarmUp() {}

    /**
     * Classifies up to {@code count} bundled prompts in batches as a poll would bring them.
     *
     * @return how many were classified
     */
    public static int run(RequestClassifier classifier, int count) {
        List<String> prompts = prompts(count);
        for (int from = 0; from < prompts.size(); from += BATCH) {
            List<RequestClassifier.Prepared> batch = new ArrayList<>();
            for (String prompt : prompts.subList(from, Math.min(prompts.size(), from + BATCH))) {
                batch.add(classifier.prepare(prompt, null, null));
            }
            classifier.complete(batch);
        }
        return prompts.size();
    }

    static List<String> prompts(int count) {
        ObjectMapper json = new ObjectMapper();
        List<String> prompts = new ArrayList<>();
        try (InputStream in = WarmUp.class.getClassLoader().getResourceAsStream(PROMPTS)) {
            if (in == null) {
                throw new IllegalStateException(PROMPTS + " is not on the classpath");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while (prompts.size() < count && (line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode prompt = json.readTree(line).get("prompt");
                    if (prompt != null && prompt.isTextual()) {
                        prompts.add(prompt.asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + PROMPTS, e);
        }
        return prompts;
    }
}
