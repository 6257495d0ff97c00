package io.tiergate.classifier.classify;

import java.util.ArrayList;
import java.util.List;

/** A sentence-embedding model: text in, a fixed-length vector out. */
public interface SentenceEmbedder {

    /** Dimensions of every vector {@link #embed} returns. */
    int dimensions();

    float[] embed(String text);

    /**
     * Embeds several texts, in input order. Models that can run a batch in one call override this; a
     * batch is cheaper per text than the same texts one at a time.
     */
    default List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(embed(text));
        }
        return out;
    }

    /** For evidence and the classifier version, e.g. "all-minilm-l6-v2-q". */
    String name();
}
