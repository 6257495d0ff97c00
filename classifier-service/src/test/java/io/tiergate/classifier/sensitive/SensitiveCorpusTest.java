package io.tiergate.classifier.sensitive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The development corpus (src/test/resources/sensitive, written by hand, see write_dev_corpus.py):
 * every sensitive prompt must be flagged (recall at least 99 %, per prompt and per labelled kind)
 * and at most 3 % of the benign look-alikes may be. Development-set numbers: the rules were tuned on
 * these prompts, so they overstate what an unseen set will show. Prints the numbers per kind and per
 * look-alike category, and the line numbers (never the text) of misses and false alarms.
 */
class SensitiveCorpusTest {

    private record Line(int number, String prompt, Set<SensitiveKind> kinds, String lookalike) {}

    private static List<Line> sensitive;
    private static List<Line> lookalikes;
    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    @BeforeAll
    static void load() throws IOException {
        sensitive = read("dev-sensitive.jsonl");
        lookalikes = read("dev-lookalikes.jsonl");
    }

    @Test
    void theCorpusIsLargeEnoughAndLabelled() {
        assertThat(sensitive)
                .hasSizeGreaterThanOrEqualTo(200)
                .allSatisfy(l -> assertThat(l.kinds()).isNotEmpty());
        assertThat(lookalikes).hasSizeGreaterThanOrEqualTo(200).allSatisfy(l -> {
            assertThat(l.kinds()).isEmpty();
            assertThat(l.lookalike()).isNotBlank();
        });
        // every kind is represented among the sensitive prompts
        EnumSet<SensitiveKind> labelled = EnumSet.noneOf(SensitiveKind.class);
        sensitive.forEach(l -> labelled.addAll(l.kinds()));
        assertThat(labelled).containsExactlyInAnyOrder(SensitiveKind.values());
    }

    @Test
    void recallOnSensitivePromptsIsAtLeast99Percent() {
        Map<SensitiveKind, int[]> perKind = new EnumMap<>(SensitiveKind.class); // labelled, found, extra
        int flagged = 0;
        int labelledPairs = 0;
        int foundPairs = 0;
        List<String> misses = new ArrayList<>();
        for (Line l : sensitive) {
            Set<SensitiveKind> found = detector.detect(l.prompt());
            if (!found.isEmpty()) {
                flagged++;
            }
            for (SensitiveKind k : l.kinds()) {
                int[] c = perKind.computeIfAbsent(k, x -> new int[3]);
                c[0]++;
                labelledPairs++;
                if (found.contains(k)) {
                    c[1]++;
                    foundPairs++;
                } else {
                    misses.add("line " + l.number() + " " + k);
                }
            }
            for (SensitiveKind k : found) {
                if (!l.kinds().contains(k)) {
                    perKind.computeIfAbsent(k, x -> new int[3])[2]++;
                }
            }
        }
        double promptRecall = (double) flagged / sensitive.size();
        double kindRecall = (double) foundPairs / labelledPairs;
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%nDevelopment corpus, sensitive prompts: %d of %d flagged (recall %.1f %%); "
                        + "labelled kinds found %d of %d (%.1f %%)%n",
                flagged,
                sensitive.size(),
                100 * promptRecall,
                foundPairs,
                labelledPairs,
                100 * kindRecall));
        out.append("| kind | labelled | found | recall | found but not labelled |\n|---|---:|---:|---:|---:|\n");
        perKind.forEach((k, c) -> out.append(String.format(
                Locale.ROOT,
                "| %s | %d | %d | %s | %d |%n",
                k,
                c[0],
                c[1],
                c[0] == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * c[1] / c[0]),
                c[2])));
        out.append("misses: ")
                .append(misses.isEmpty() ? "none" : String.join(", ", misses))
                .append('\n');
        System.out.println(out);
        assertThat(promptRecall).as("prompt recall").isGreaterThanOrEqualTo(0.99);
        assertThat(kindRecall).as("labelled-kind recall").isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void atMostThreePercentOfLookalikesAreFlagged() {
        Map<String, int[]> perCategory = new TreeMap<>(); // lines, flagged
        Map<SensitiveKind, Integer> kindsFired = new EnumMap<>(SensitiveKind.class);
        List<String> falseAlarms = new ArrayList<>();
        int flagged = 0;
        for (Line l : lookalikes) {
            Set<SensitiveKind> found = detector.detect(l.prompt());
            int[] c = perCategory.computeIfAbsent(l.lookalike(), x -> new int[2]);
            c[0]++;
            if (!found.isEmpty()) {
                flagged++;
                c[1]++;
                found.forEach(k -> kindsFired.merge(k, 1, Integer::sum));
                falseAlarms.add("line " + l.number() + " " + found);
            }
        }
        double rate = (double) flagged / lookalikes.size();
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%nDevelopment corpus, look-alikes: %d of %d flagged (%.1f %%); kinds fired: %s%n",
                flagged,
                lookalikes.size(),
                100 * rate,
                kindsFired));
        out.append("| look-alike category | lines | flagged |\n|---|---:|---:|\n");
        perCategory.forEach((k, c) -> out.append(String.format(Locale.ROOT, "| %s | %d | %d |%n", k, c[0], c[1])));
        out.append("false alarms: ")
                .append(falseAlarms.isEmpty() ? "none" : String.join(", ", falseAlarms))
                .append('\n');
        System.out.println(out);
        assertThat(rate).as("look-alike rate").isLessThanOrEqualTo(0.03);
    }

    private static List<Line> read(String resource) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Line> lines = new ArrayList<>();
        try (InputStream in = SensitiveCorpusTest.class.getResourceAsStream("/sensitive/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            String[] raw = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < raw.length; i++) {
                if (raw[i].isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(raw[i]);
                EnumSet<SensitiveKind> kinds = EnumSet.noneOf(SensitiveKind.class);
                node.get("kinds").forEach(k -> kinds.add(SensitiveKind.valueOf(k.asText())));
                assertThat(node.get("sensitive").asBoolean())
                        .as(resource + " line " + (i + 1))
                        .isEqualTo(!kinds.isEmpty());
                JsonNode category = node.get("lookalike");
                lines.add(new Line(
                        i + 1, node.get("prompt").asText(), kinds, category == null ? null : category.asText()));
            }
        }
        return lines;
    }
}
