package io.tiergate.classifier.train;

import io.tiergate.classifier.classify.SoftmaxModel;
import io.tiergate.classifier.classify.SparseFeatures;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fits a {@link SoftmaxModel} by minimising mean cross-entropy + (λ/2)·‖w‖² with L-BFGS. The
 * objective is strictly convex, so the result is its unique minimum: the same data and λ give the
 * same weights on every machine (up to floating-point summation order, which is fixed here).
 */
final class SoftmaxTrainer {

    private static final int MEMORY = 10;
    private static final int MAX_ITERATIONS = 400;

    private final double lambda;
    private final float denseScale;
    private final int minDocuments;

    /**
     * @param lambda L2 strength
     * @param denseScale multiplier applied to the dense vector (embeddings have unit norm; scaling
     *     changes how strongly the L2 penalty holds their weights back)
     * @param minDocuments sparse features present in fewer training examples get no weight
     */
    SoftmaxTrainer(double lambda, float denseScale, int minDocuments) {
        this.lambda = lambda;
        this.denseScale = denseScale;
        this.minDocuments = minDocuments;
    }

    /**
     * @param dense per example a vector of one common length, or null for a sparse-only model
     * @param labels class index per example, 0..classes-1
     */
    SoftmaxModel fit(List<SparseFeatures> xs, float[][] dense, int[] labels, int classes) {
        int n = xs.size();
        // compact the hashed ids seen in training to columns 0..F-1 (sorted, as SoftmaxModel wants)
        // features of one or two examples cannot generalise; dropping them keeps the model small (and,
        // measured by cross-validation, slightly more accurate)
        Map<Integer, Integer> documents = new HashMap<>();
        for (SparseFeatures x : xs) {
            for (int i = 0; i < x.size(); i++) {
                documents.merge(x.id(i), 1, Integer::sum);
            }
        }
        TreeSet<Integer> seen = new TreeSet<>();
        documents.forEach((id, count) -> {
            if (count >= minDocuments) {
                seen.add(id);
            }
        });
        int[] featureIds = seen.stream().mapToInt(Integer::intValue).toArray();
        Map<Integer, Integer> column = new HashMap<>();
        for (int c = 0; c < featureIds.length; c++) {
            column.put(featureIds[c], c);
        }
        int[][] cols = new int[n][];
        float[][] vals = new float[n][];
        for (int e = 0; e < n; e++) {
            SparseFeatures x = xs.get(e);
            int kept = 0;
            for (int i = 0; i < x.size(); i++) {
                if (column.containsKey(x.id(i))) {
                    kept++;
                }
            }
            cols[e] = new int[kept];
            vals[e] = new float[kept];
            int j = 0;
            for (int i = 0; i < x.size(); i++) {
                Integer c = column.get(x.id(i));
                if (c != null) {
                    cols[e][j] = c;
                    vals[e][j] = x.value(i);
                    j++;
                }
            }
        }
        int f = featureIds.length;
        int d = dense == null ? 0 : dense[0].length;
        int sparseParams = f * classes;
        double[] w = new double[sparseParams + d * classes];

        Lbfgs.Objective objective = (theta, grad) -> {
            Arrays.fill(grad, 0);
            double loss = 0;
            double[] scores = new double[classes];
            for (int e = 0; e < n; e++) {
                Arrays.fill(scores, 0);
                for (int i = 0; i < cols[e].length; i++) {
                    int base = cols[e][i] * classes;
                    double v = vals[e][i];
                    for (int k = 0; k < classes; k++) {
                        scores[k] += theta[base + k] * v;
                    }
                }
                if (d > 0) {
                    float[] z = dense[e];
                    for (int k = 0; k < classes; k++) {
                        int base = sparseParams + k * d;
                        double s = 0;
                        for (int j = 0; j < d; j++) {
                            s += theta[base + j] * z[j];
                        }
                        scores[k] += s * denseScale;
                    }
                }
                double max = Double.NEGATIVE_INFINITY;
                for (double s : scores) {
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    scores[k] = Math.exp(scores[k] - max);
                    sum += scores[k];
                }
                loss -= Math.log(scores[labels[e]] / sum);
                for (int k = 0; k < classes; k++) {
                    double r = (scores[k] / sum - (k == labels[e] ? 1 : 0)) / n;
                    for (int i = 0; i < cols[e].length; i++) {
                        grad[cols[e][i] * classes + k] += r * vals[e][i];
                    }
                    if (d > 0) {
                        int base = sparseParams + k * d;
                        float[] z = dense[e];
                        double rs = r * denseScale;
                        for (int j = 0; j < d; j++) {
                            grad[base + j] += rs * z[j];
                        }
                    }
                }
            }
            double reg = 0;
            for (int i = 0; i < theta.length; i++) {
                reg += theta[i] * theta[i];
                grad[i] += lambda * theta[i];
            }
            return loss / n + 0.5 * lambda * reg;
        };
        double[] fitted = Lbfgs.minimize(objective, w, MEMORY, MAX_ITERATIONS);

        float[] sparse = new float[sparseParams];
        for (int i = 0; i < sparseParams; i++) {
            sparse[i] = (float) fitted[i];
        }
        float[] denseWeights = new float[d * classes];
        for (int i = 0; i < denseWeights.length; i++) {
            denseWeights[i] = (float) fitted[sparseParams + i];
        }
        return new SoftmaxModel(classes, featureIds, sparse, d, d == 0 ? 1f : denseScale, denseWeights);
    }

    /** Limited-memory BFGS with a backtracking (Armijo) line search. */
    static final class Lbfgs {

        interface Objective {
            /** Writes the gradient at {@code x} into {@code grad}; returns the value. */
            double evaluate(double[] x, double[] grad);
        }

        private Lbfgs() {}

        static double[] minimize(Objective f, double[] start, int memory, int maxIterations) {
            int n = start.length;
            double[] x = start.clone();
            double[] g = new double[n];
            double fx = f.evaluate(x, g);
            double[][] s = new double[memory][];
            double[][] y = new double[memory][];
            double[] rho = new double[memory];
            double[] alpha = new double[memory];
            int stored = 0;
            int newest = -1;
            double[] xNext = new double[n];
            double[] gNext = new double[n];
            for (int iter = 0; iter < maxIterations; iter++) {
                double gNorm = Math.sqrt(dot(g, g));
                if (gNorm < 1e-6 * Math.max(1, Math.sqrt(dot(x, x)))) {
                    break;
                }
                // two-loop recursion: direction = -H·g
                double[] q = g.clone();
                for (int j = 0; j < stored; j++) {
                    int i = Math.floorMod(newest - j, memory);
                    alpha[i] = rho[i] * dot(s[i], q);
                    axpy(-alpha[i], y[i], q);
                }
                double gamma = stored == 0 ? 1 / gNorm : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
                for (int i = 0; i < n; i++) {
                    q[i] *= gamma;
                }
                for (int j = stored - 1; j >= 0; j--) {
                    int i = Math.floorMod(newest - j, memory);
                    double beta = rho[i] * dot(y[i], q);
                    axpy(alpha[i] - beta, s[i], q);
                }
                double slope = -dot(g, q);
                if (slope >= 0) { // not a descent direction: forget the curvature pairs, take the gradient
                    stored = 0;
                    for (int i = 0; i < n; i++) {
                        q[i] = g[i] / gNorm;
                    }
                    slope = -dot(g, q);
                }
                double step = 1;
                double fNext = Double.NaN;
                for (int tries = 0; tries < 40; tries++) {
                    for (int i = 0; i < n; i++) {
                        xNext[i] = x[i] - step * q[i];
                    }
                    fNext = f.evaluate(xNext, gNext);
                    if (fNext <= fx + 1e-4 * step * slope) {
                        break;
                    }
                    step *= 0.5;
                }
                if (!(fNext < fx)) {
                    break; // no progress possible at this precision
                }
                double[] sNew = new double[n];
                double[] yNew = new double[n];
                for (int i = 0; i < n; i++) {
                    sNew[i] = xNext[i] - x[i];
                    yNew[i] = gNext[i] - g[i];
                }
                double sy = dot(sNew, yNew);
                if (sy > 1e-12) { // keep only pairs with positive curvature
                    newest = (newest + 1) % memory;
                    s[newest] = sNew;
                    y[newest] = yNew;
                    rho[newest] = 1 / sy;
                    stored = Math.min(stored + 1, memory);
                }
                boolean converged = Math.abs(fx - fNext) < 1e-10 * Math.max(1, Math.abs(fx));
                System.arraycopy(xNext, 0, x, 0, n);
                System.arraycopy(gNext, 0, g, 0, n);
                fx = fNext;
                if (converged) {
                    break;
                }
            }
            return x;
        }

        private static double dot(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += a[i] * b[i];
            }
            return s;
        }

        private static void axpy(double a, double[] x, double[] y) {
            for (int i = 0; i < x.length; i++) {
                y[i] += a * x[i];
            }
        }
    }
}
