package io.tiergate.classifier.sensitive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The first nine author-disjoint evaluation sets (retired-eval.HOW.md, retired-eval-c.HOW.md,
 * retired-eval-d/e/f/g/h/i.HOW.md), each
 * frozen before it was measured. Their misses were looked at and fixed, so they are development data
 * now, kept as a regression check; the number reported is measured on the frozen set that replaced
 * them (evaluation/, FrozenEvaluationTest). Two lines of set A/B carry
 * Aadhaar numbers that fail the Verhoeff check (the author's table had a typo); both lines hold other
 * sensitive values, so their labels stand.
 */
class RetiredEvaluationSetsTest {

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "retired-eval-a.jsonl",
                "retired-eval-b.jsonl",
                "retired-eval-c.jsonl",
                "retired-eval-d.jsonl",
                "retired-eval-e.jsonl",
                "retired-eval-f.jsonl",
                "retired-eval-g.jsonl",
                "retired-eval-h.jsonl",
                "retired-eval-i.jsonl"
            })
    void everySensitiveLineIsFlaggedAndAtMost3PercentOfLookAlikes(String file) throws IOException {
        int sensitive = 0;
        int benign = 0;
        int flaggedBenign = 0;
        List<Integer> missed = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = getClass().getResourceAsStream("/sensitive/" + file)) {
            assertThat(in).as(file).isNotNull();
            int n = 0;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                boolean found = !detector.detect(node.get("prompt").asText()).isEmpty();
                if (node.get("sensitive").asBoolean()) {
                    sensitive++;
                    if (!found) {
                        missed.add(n);
                    }
                } else {
                    benign++;
                    flaggedBenign += found ? 1 : 0;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%s: %d/%d sensitive lines flagged (missed lines %s), %d/%d look-alikes flagged%n",
                file,
                sensitive - missed.size(),
                sensitive,
                missed,
                flaggedBenign,
                benign);
        assertThat(sensitive).isGreaterThanOrEqualTo(120);
        assertThat(missed).isEmpty();
        assertThat((double) flaggedBenign / benign).isLessThanOrEqualTo(0.03);
    }
}
