package io.tiergate.classifier.classify;

import java.util.Arrays;

/**
 * A sparse feature vector: hashed feature ids (sorted, distinct) with their values, and the feature
 * names, kept so the evidence can say which words drove a decision.
 */
public final class SparseFeatures {

    private final int[] ids;
    private final float[] values;
    private final String[] names;

    SparseFeatures(int[] ids, float[] values, String[] names) {
        this.ids = ids;
        this.values = values;
        this.names = names;
    }

    public int size() {
        return ids.length;
    }

    public int id(int i) {
        return ids[i];
    }

    public float value(int i) {
        return values[i];
    }

    public String name(int i) {
        return names[i];
    }

    /** Collects features; duplicates of one name add up. */
    static final class Builder {
        private int[] ids = new int[64];
        private float[] values = new float[64];
        private String[] names = new String[64];
        private int n;

        void add(String name, float value) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
                values = Arrays.copyOf(values, n * 2);
                names = Arrays.copyOf(names, n * 2);
            }
            ids[n] = FeatureHashing.id(name);
            values[n] = value;
            names[n] = name;
            n++;
        }

        int mark() {
            return n;
        }

        /** Scales the features added since {@code from} to unit L2 norm. */
        void normalizeFrom(int from) {
            double sum = 0;
            for (int i = from; i < n; i++) {
                sum += values[i] * values[i];
            }
            if (sum > 0) {
                float scale = (float) (1 / Math.sqrt(sum));
                for (int i = from; i < n; i++) {
                    values[i] *= scale;
                }
            }
        }

        SparseFeatures build() {
            // sort by id (packed with the position, so a primitive sort does it), merging duplicates
            // (the same n-gram twice, or a rare hash collision)
            long[] order = new long[n];
            for (int i = 0; i < n; i++) {
                order[i] = ((long) ids[i] << 32) | i;
            }
            Arrays.sort(order);
            int[] outIds = new int[n];
            float[] outValues = new float[n];
            String[] outNames = new String[n];
            int m = 0;
            for (int k = 0; k < n; k++) {
                int i = (int) order[k];
                if (m > 0 && outIds[m - 1] == ids[i]) {
                    outValues[m - 1] += values[i];
                } else {
                    outIds[m] = ids[i];
                    outValues[m] = values[i];
                    outNames[m] = names[i];
                    m++;
                }
            }
            return new SparseFeatures(
                    Arrays.copyOf(outIds, m), Arrays.copyOf(outValues, m), Arrays.copyOf(outNames, m));
        }
    }

    /** Feature name → id: MurmurHash3's finaliser over String.hashCode, folded into 2^22 ids. */
    static final class FeatureHashing {
        static final int BITS = 22;

        private FeatureHashing() {}

        static int id(String name) {
            int h = name.hashCode();
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            h *= 0xc2b2ae35;
            h ^= h >>> 16;
            return h & ((1 << BITS) - 1);
        }
    }
}
