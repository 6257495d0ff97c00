package io.tiergate.classifier.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers the embeddings of recent asks (least recently used out). Pipelines send the same
 * instruction with different pasted material many times, and only the ask is embedded, so repeats
 * are common in production; a hit costs a hash lookup instead of milliseconds of ONNX. Also used,
 * unbounded, by training and cross-validation. Thread-safe.
 */
public final class EmbeddingCache implements SentenceEmbedder {

    private final SentenceEmbedder delegate;
    private final Map<String, float[]> entries;
    private long hits;
    private long misses;
    private long missNanos;

    /** @param capacity entries kept; {@link Integer#MAX_VALUE} for no bound */
    public EmbeddingCache(SentenceEmbedder delegate, int capacity) {
        this.delegate = delegate;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public int dimensions() {
        return delegate.dimensions();
    }

    @Override
    public float[] embed(String text) {
        synchronized (this) {
            float[] cached = entries.get(text);
            if (cached != null) {
                hits++;
                return cached;
            }
        }
        long start = System.nanoTime(); // computed outside the lock: embeddings run in parallel
        float[] vector = delegate.embed(text);
        synchronized (this) {
            misses++;
            missNanos += System.nanoTime() - start;
            entries.put(text, vector);
        }
        return vector;
    }

    /** The misses of a batch are embedded in one call to the delegate. */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        float[][] out = new float[texts.size()][];
        List<String> missing = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < texts.size(); i++) {
                float[] cached = entries.get(texts.get(i));
                if (cached != null) {
                    hits++;
                    out[i] = cached;
                } else {
                    missing.add(texts.get(i));
                    at.add(i);
                }
            }
        }
        if (!missing.isEmpty()) {
            long start = System.nanoTime();
            List<float[]> vectors = delegate.embedAll(missing);
            synchronized (this) {
                misses += missing.size();
                missNanos += System.nanoTime() - start;
                for (int j = 0; j < missing.size(); j++) {
                    out[at.get(j)] = vectors.get(j);
                    entries.put(missing.get(j), vectors.get(j));
                }
            }
        }
        return List.of(out);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    /** Mean wall milliseconds of a real (missed) embedding. */
    public synchronized double meanMissMillis() {
        return misses == 0 ? 0 : missNanos / 1e6 / misses;
    }
}
