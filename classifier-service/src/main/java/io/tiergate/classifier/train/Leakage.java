package io.tiergate.classifier.train;

import io.tiergate.classifier.train.TrainingData.LabelledPrompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Near-duplicate prompts across the training and evaluation splits (word-set Jaccard ≥ 0.7). */
final class Leakage {

  static final double SIMILARITY = 0.7;

  private Leakage() {}

  static List<String> find(List<LabelledPrompt> train, List<LabelledPrompt> eval) {
    List<Set<String>> trainWords = train.stream().map(p -> words(p.prompt())).toList();
    List<String> out = new ArrayList<>();
    for (LabelledPrompt e : eval) {
      Set<String> ew = words(e.prompt());
      for (int i = 0; i < train.size(); i++) {
        double j = jaccard(ew, trainWords.get(i));
        if (j >= SIMILARITY) {
          out.add(String.format(
              Locale.ROOT, "`%s` ~ `%s` (similarity %.2f, labels %s / %s)", e.source(), train.get(i).source(), j,
              e.taskType(), train.get(i).taskType()));
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
