package io.tiergate.classifier.classify;

/** Vector arithmetic the embedder tests share. */
final class Vectors {

    private Vectors() {}

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
