package io.tiergate.classifier.classify;

import io.tiergate.schemas.events.TaskType;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The trained task-type model, as shipped in {@value #RESOURCE}: a fast model over sparse text
 * features, and a full model over the same features plus the sentence embedding of the ask. Written
 * by {@code io.tiergate.classifier.train.Train}; records the SHA-256 of the training data it was
 * trained on, so a test can tell when the shipped weights are stale.
 *
 * @param embeddingChars how many characters of the ask the embedding sees (part of the training recipe)
 * @param recipe human-readable hyperparameters, for the classifier version and the docs
 */
public record TaskModel(
        TaskType[] classes,
        SoftmaxModel fast,
        SoftmaxModel full,
        String embedderName,
        int embeddingChars,
        String trainingDataSha256,
        String recipe) {

    public static final String RESOURCE = "/model/task-classifier.bin.gz";
    private static final int MAGIC = 0x54474331; // "TGC1"

    public TaskModel {
        if (fast.classes() != classes.length || full.classes() != classes.length) {
            throw new IllegalArgumentException("class count mismatch");
        }
        if (fast.denseDim() != 0) {
            throw new IllegalArgumentException("the fast model takes no dense vector");
        }
    }

    /** The model shipped in this jar. */
    public static TaskModel loadDefault() {
        try (InputStream in = TaskModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        RESOURCE
                                + " is not on the classpath: train it with io.tiergate.classifier.train.Train (docs/classifier.md)");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    public static TaskModel read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw)));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a tiergate task model");
        }
        int featureVersion = in.readInt();
        if (featureVersion != FeatureExtractor.VERSION) {
            throw new IOException(
                    "model was trained on feature version " + featureVersion + ", this code extracts version "
                            + FeatureExtractor.VERSION + ": retrain with io.tiergate.classifier.train.Train");
        }
        int n = in.readInt();
        TaskType[] classes = new TaskType[n];
        for (int i = 0; i < n; i++) {
            classes[i] = TaskType.valueOf(in.readUTF());
        }
        String embedder = in.readUTF();
        int embeddingChars = in.readInt();
        String sha = in.readUTF();
        String recipe = in.readUTF();
        SoftmaxModel fast = SoftmaxModel.read(in);
        SoftmaxModel full = SoftmaxModel.read(in);
        return new TaskModel(classes, fast, full, embedder, embeddingChars, sha, recipe);
    }

    public void write(OutputStream raw) throws IOException {
        GZIPOutputStream gzip = new GZIPOutputStream(raw);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(gzip));
        out.writeInt(MAGIC);
        out.writeInt(FeatureExtractor.VERSION);
        out.writeInt(classes.length);
        for (TaskType t : classes) {
            out.writeUTF(t.name());
        }
        out.writeUTF(embedderName);
        out.writeInt(embeddingChars);
        out.writeUTF(trainingDataSha256);
        out.writeUTF(recipe);
        fast.write(out);
        full.write(out);
        out.flush();
        gzip.finish();
    }

    /** Short id of these weights: the first 12 hex digits of the training data hash. */
    public String shortId() {
        return trainingDataSha256.substring(0, Math.min(12, trainingDataSha256.length()));
    }
}
