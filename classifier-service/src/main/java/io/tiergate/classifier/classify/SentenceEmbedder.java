package io.tiergate.classifier.classify;

/** A sentence-embedding model: text in, a fixed-length vector out. */
public interface SentenceEmbedder {

  /** Dimensions of every vector {@link #embed} returns. */
  int dimensions();

  float[] embed(String text);

  /** For evidence and the classifier version, e.g. "all-minilm-l6-v2-q". */
  String name();
}
