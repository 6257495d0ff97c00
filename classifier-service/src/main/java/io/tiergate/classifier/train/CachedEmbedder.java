package io.tiergate.classifier.train;

import io.tiergate.classifier.classify.SentenceEmbedder;
import java.util.HashMap;
import java.util.Map;

/** Embeds each distinct text once: training and cross-validation embed the same asks many times. */
final class CachedEmbedder implements SentenceEmbedder {

  private final SentenceEmbedder delegate;
  private final Map<String, float[]> cache = new HashMap<>();
  private long misses;
  private long nanos;

  CachedEmbedder(SentenceEmbedder delegate) {
    this.delegate = delegate;
  }

  @Override
  public int dimensions() {
    return delegate.dimensions();
  }

  @Override
  public synchronized float[] embed(String text) {
    float[] v = cache.get(text);
    if (v == null) {
      long start = System.nanoTime();
      v = delegate.embed(text);
      nanos += System.nanoTime() - start;
      misses++;
      cache.put(text, v);
    }
    return v;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  /** Mean milliseconds per real embedding so far. */
  synchronized double meanMillis() {
    return misses == 0 ? 0 : nanos / 1e6 / misses;
  }
}
