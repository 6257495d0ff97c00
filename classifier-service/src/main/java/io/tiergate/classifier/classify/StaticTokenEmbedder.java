package io.tiergate.classifier.classify;

import ai.djl.huggingface.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Static token embeddings distilled from a sentence model: each vocabulary token's vector is what
 * the model says of that token alone ({@code [CLS] token [SEP]}, the model's pooling), and a text's
 * vector is the mean of its tokens' vectors, L2-normalised. Tokenizing and averaging cost
 * microseconds, where running the transformer over the text costs milliseconds; the price is that
 * word order and context are lost (docs/classifier.md measures what that costs in accuracy).
 *
 * <p>A token's vector is computed the first time the token is seen (one ONNX call for all of a
 * batch's new tokens) and kept: it depends on nothing but the model, so computing it early or late
 * gives the same vector, and no table has to be shipped. The vocabulary bounds what is kept (30,522
 * tokens × 384 floats, 47 MB at most; a day of English traffic uses a fraction). Thread-safe.
 */
public final class StaticTokenEmbedder implements SentenceEmbedder {

    /** Suffix of the name: the model's name plus this is what the task model records. */
    public static final String SUFFIX = "-static";

    private static final int TOKENS_PER_CALL = 64;

    private final OnnxSentenceEmbedder model;
    private final Map<Long, float[]> vectors = new ConcurrentHashMap<>();
    private final long cls;
    private final long sep;

    public StaticTokenEmbedder(OnnxSentenceEmbedder model) {
        this.model = model;
        long[] empty = model.tokenizer().encode("").getIds();
        if (empty.length != 2) {
            throw new IllegalStateException(
                    model.name() + "'s tokenizer does not frame a text with two special tokens");
        }
        this.cls = empty[0];
        this.sep = empty[1];
    }

    @Override
    public int dimensions() {
        return model.dimensions();
    }

    @Override
    public String name() {
        return model.name() + SUFFIX;
    }

    /** Token vectors computed so far (for metrics and tests). */
    public int knownTokens() {
        return vectors.size();
    }

    @Override
    public float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<long[]> tokens = new ArrayList<>(texts.size());
        Set<Long> unseen = new LinkedHashSet<>();
        for (String text : texts) {
            long[] ids = contentTokens(model.tokenizer().encode(text));
            tokens.add(ids);
            for (long id : ids) {
                if (!vectors.containsKey(id)) {
                    unseen.add(id);
                }
            }
        }
        learn(new ArrayList<>(unseen));
        List<float[]> out = new ArrayList<>(texts.size());
        for (long[] ids : tokens) {
            out.add(mean(ids));
        }
        return out;
    }

    private static long[] contentTokens(Encoding encoding) {
        long[] ids = encoding.getIds();
        long[] special = encoding.getSpecialTokenMask();
        int n = 0;
        for (long s : special) {
            n += s == 0 ? 1 : 0;
        }
        long[] out = new long[n];
        int next = 0;
        for (int i = 0; i < ids.length; i++) {
            if (special[i] == 0) {
                out[next++] = ids[i];
            }
        }
        return out;
    }

    private void learn(List<Long> ids) {
        for (int from = 0; from < ids.size(); from += TOKENS_PER_CALL) {
            List<Long> group = ids.subList(from, Math.min(ids.size(), from + TOKENS_PER_CALL));
            List<long[]> sequences = new ArrayList<>(group.size());
            for (long id : group) {
                sequences.add(new long[] {cls, id, sep});
            }
            List<float[]> computed = model.embedIds(sequences);
            for (int i = 0; i < group.size(); i++) {
                vectors.putIfAbsent(group.get(i), computed.get(i));
            }
        }
    }

    private float[] mean(long[] ids) {
        float[] sum = new float[model.dimensions()];
        for (long id : ids) {
            float[] v = vectors.get(id);
            for (int d = 0; d < sum.length; d++) {
                sum[d] += v[d];
            }
        }
        return OnnxSentenceEmbedder.normalize(sum);
    }
}
