package io.tiergate.classifier.train;

import io.tiergate.classifier.train.TrainingData.LabelledPrompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Near-duplicate prompts (word-set Jaccard ≥ 0.7) across two lists, or within one. */
final class Leakage {

    static final double SIMILARITY = 0.7;

    private Leakage() {}

    static List<String> find(List<LabelledPrompt> train, List<LabelledPrompt> eval) {
        return find(train, eval, false);
    }

    /** @param same {@code eval} is {@code train}: each pair once, a prompt never with itself */
    static List<String> find(List<LabelledPrompt> train, List<LabelledPrompt> eval, boolean same) {
        List<Set<String>> trainWords =
                train.stream().map(p -> words(p.prompt())).toList();
        List<String> out = new ArrayList<>();
        for (int k = 0; k < eval.size(); k++) {
            LabelledPrompt e = eval.get(k);
            Set<String> ew = same ? trainWords.get(k) : words(e.prompt());
            for (int i = same ? k + 1 : 0; i < train.size(); i++) {
                double j = jaccard(ew, trainWords.get(i));
                if (j >= SIMILARITY) {
                    out.add(String.format(
                            Locale.ROOT,
                            "`%s` ~ `%s` (similarity %.2f, labels %s / %s)",
                            e.source(),
                            train.get(i).source(),
                            j,
                            e.taskType(),
                            train.get(i).taskType()));
                }
            }
        }
        return out;
    }

    private static Set<String> words(String prompt) {
        return new HashSet<>(Arrays.asList(prompt.toLowerCase(Locale.ROOT).split("\\W+")));
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        int common = 0;
        for (String w : a) {
            if (b.contains(w)) {
                common++;
            }
        }
        int union = a.size() + b.size() - common;
        return union == 0 ? 0 : (double) common / union;
    }
}
