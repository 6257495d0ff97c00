package io.tiergate.classifier.train;

import io.tiergate.schemas.events.TaskType;
import java.util.Locale;

/** Counts of (true type, predicted type), rendered as Markdown. Rows: truth; columns: prediction. */
final class ConfusionMatrix {

    private final TaskType[] classes;
    private final int[][] counts;

    ConfusionMatrix(TaskType[] classes) {
        this.classes = classes;
        this.counts = new int[classes.length][classes.length];
    }

    void add(int truth, int predicted) {
        counts[truth][predicted]++;
    }

    int total() {
        int n = 0;
        for (int[] row : counts) {
            for (int c : row) {
                n += c;
            }
        }
        return n;
    }

    int correct() {
        int n = 0;
        for (int k = 0; k < classes.length; k++) {
            n += counts[k][k];
        }
        return n;
    }

    double accuracy() {
        return total() == 0 ? 0 : (double) correct() / total();
    }

    /** Recall of each class in class order (NaN for a class with no examples). */
    double[] recalls() {
        double[] r = new double[classes.length];
        for (int k = 0; k < classes.length; k++) {
            int rowTotal = 0;
            for (int j = 0; j < classes.length; j++) {
                rowTotal += counts[k][j];
            }
            r[k] = rowTotal == 0 ? Double.NaN : (double) counts[k][k] / rowTotal;
        }
        return r;
    }

    /** The lowest recall over the classes that have examples. */
    double minRecall() {
        double min = 1;
        for (double r : recalls()) {
            if (!Double.isNaN(r)) {
                min = Math.min(min, r);
            }
        }
        return min;
    }

    String markdown() {
        StringBuilder s = new StringBuilder("| true \\ predicted |");
        for (TaskType t : classes) {
            s.append(' ').append(abbreviation(t)).append(" |");
        }
        s.append(" recall |\n|---|");
        s.append("---:|".repeat(classes.length + 1)).append('\n');
        for (int k = 0; k < classes.length; k++) {
            s.append("| ").append(classes[k]).append(" |");
            int rowTotal = 0;
            for (int j = 0; j < classes.length; j++) {
                s.append(' ')
                        .append(counts[k][j] == 0 ? "·" : String.valueOf(counts[k][j]))
                        .append(" |");
                rowTotal += counts[k][j];
            }
            s.append(String.format(Locale.ROOT, " %.0f%% |%n", rowTotal == 0 ? 0 : 100.0 * counts[k][k] / rowTotal));
        }
        s.append("| precision |");
        for (int j = 0; j < classes.length; j++) {
            int colTotal = 0;
            for (int k = 0; k < classes.length; k++) {
                colTotal += counts[k][j];
            }
            s.append(String.format(Locale.ROOT, " %.0f%% |", colTotal == 0 ? 0 : 100.0 * counts[j][j] / colTotal));
        }
        s.append(String.format(Locale.ROOT, " **%.1f%%** |%n", 100 * accuracy()));
        return s.toString();
    }

    /** Column headers: CLASSIFICATION → CLS, CODE_REVIEW → REV, … */
    static String abbreviation(TaskType t) {
        return switch (t) {
            case CLASSIFICATION -> "CLS";
            case EXTRACTION -> "EXT";
            case SUMMARIZATION -> "SUM";
            case CONVERSATION -> "CON";
            case BOILERPLATE -> "BOI";
            case IMPLEMENTATION -> "IMP";
            case CODE_REVIEW -> "REV";
            case DEBUGGING -> "DBG";
            case ARCHITECTURE -> "ARC";
            case UNKNOWN -> "UNK";
        };
    }
}
