package io.tiergate.classifier.classify;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Multinomial logistic regression: per class a weight for each (hashed) sparse feature and for each
 * dimension of an optional dense vector (the sentence embedding); probabilities by softmax. Only
 * features seen in training have weights, so the model stays small. Immutable, thread-safe.
 */
public final class SoftmaxModel {

    private final int classes;
    private final int[] featureIds; // sorted
    private final float[] sparseWeights; // row r (featureIds[r]) × class k at r * classes + k
    private final int denseDim;
    private final float denseScale;
    private final float[] denseWeights; // class k × dim d at k * denseDim + d
    /**
     * Feature id → row, open addressing with linear probing, at most half full: one or two array reads
     * per feature instead of a binary search over every trained id (the search was about a tenth of the
     * classifier's Java CPU under load; docs/benchmarks.md, "Where the time goes").
     */
    private final int[] slotIds;

    private final int[] slotRows;
    private final int slotMask;

    public SoftmaxModel(
            int classes,
            int[] featureIds,
            float[] sparseWeights,
            int denseDim,
            float denseScale,
            float[] denseWeights) {
        if (sparseWeights.length != featureIds.length * classes || denseWeights.length != denseDim * classes) {
            throw new IllegalArgumentException("weight arrays do not match the feature and class counts");
        }
        if (featureIds.length > 0 && featureIds[0] < 0) {
            throw new IllegalArgumentException("feature ids must not be negative");
        }
        for (int i = 1; i < featureIds.length; i++) {
            if (featureIds[i] <= featureIds[i - 1]) {
                throw new IllegalArgumentException("feature ids must be sorted and distinct");
            }
        }
        this.classes = classes;
        this.featureIds = featureIds;
        this.sparseWeights = sparseWeights;
        this.denseDim = denseDim;
        this.denseScale = denseScale;
        this.denseWeights = denseWeights;
        int slots = Integer.highestOneBit(Math.max(1, featureIds.length) * 2) * 2;
        this.slotIds = new int[slots];
        this.slotRows = new int[slots];
        this.slotMask = slots - 1;
        Arrays.fill(slotIds, -1); // ids are hashes folded into [0, 2^22): never negative
        for (int r = 0; r < featureIds.length; r++) {
            int slot = featureIds[r] & slotMask;
            while (slotIds[slot] != -1) {
                slot = (slot + 1) & slotMask;
            }
            slotIds[slot] = featureIds[r];
            slotRows[slot] = r;
        }
    }

    /** The row of feature {@code id}, or -1 when training never saw it. */
    private int row(int id) {
        for (int slot = id & slotMask; ; slot = (slot + 1) & slotMask) {
            int found = slotIds[slot];
            if (found == id) {
                return slotRows[slot];
            }
            if (found == -1) {
                return -1;
            }
        }
    }

    public int classes() {
        return classes;
    }

    /** 0 for a model of sparse features only. */
    public int denseDim() {
        return denseDim;
    }

    public float denseScale() {
        return denseScale;
    }

    /** Class probabilities; {@code dense} is required exactly when {@link #denseDim()} &gt; 0. */
    public double[] probabilities(SparseFeatures x, float[] dense) {
        double[] scores = new double[classes];
        for (int i = 0; i < x.size(); i++) {
            int r = row(x.id(i));
            if (r >= 0) {
                float v = x.value(i);
                int base = r * classes;
                for (int k = 0; k < classes; k++) {
                    scores[k] += sparseWeights[base + k] * v;
                }
            }
        }
        if (denseDim > 0) {
            if (dense == null || dense.length != denseDim) {
                throw new IllegalArgumentException("this model needs a dense vector of " + denseDim + " dimensions");
            }
            for (int k = 0; k < classes; k++) {
                double s = 0;
                int base = k * denseDim;
                for (int d = 0; d < denseDim; d++) {
                    s += denseWeights[base + d] * dense[d];
                }
                scores[k] += s * denseScale;
            }
        }
        return softmax(scores);
    }

    /** Weight × value of feature {@code i} of {@code x} towards class {@code k}; 0 for unseen features. */
    public double contribution(SparseFeatures x, int i, int k) {
        int r = row(x.id(i));
        return r < 0 ? 0 : sparseWeights[r * classes + k] * x.value(i);
    }

    static double[] softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        double[] p = new double[scores.length];
        for (int k = 0; k < scores.length; k++) {
            p[k] = Math.exp(scores[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(classes);
        out.writeInt(featureIds.length);
        for (int id : featureIds) {
            out.writeInt(id);
        }
        for (float w : sparseWeights) {
            out.writeFloat(w);
        }
        out.writeInt(denseDim);
        out.writeFloat(denseScale);
        for (float w : denseWeights) {
            out.writeFloat(w);
        }
    }

    static SoftmaxModel read(DataInputStream in) throws IOException {
        int classes = in.readInt();
        int features = in.readInt();
        int[] ids = new int[features];
        bytes(in, features * 4L).asIntBuffer().get(ids);
        float[] sparse = new float[features * classes];
        bytes(in, sparse.length * 4L).asFloatBuffer().get(sparse);
        int denseDim = in.readInt();
        float denseScale = in.readFloat();
        float[] dense = new float[denseDim * classes];
        bytes(in, dense.length * 4L).asFloatBuffer().get(dense);
        return new SoftmaxModel(classes, ids, sparse, denseDim, denseScale, dense);
    }

    /** The next {@code n} bytes, big-endian as DataOutputStream wrote them (bulk: fast at start-up). */
    private static ByteBuffer bytes(DataInputStream in, long n) throws IOException {
        if (n > Integer.MAX_VALUE) {
            throw new IOException("model section too large: " + n + " bytes");
        }
        byte[] raw = new byte[(int) n];
        in.readFully(raw);
        return ByteBuffer.wrap(raw);
    }
}
