package io.tiergate.classifier.calibrate;

import io.tiergate.schemas.events.CalibrationJudge;
import java.util.Locale;

/**
 * CLASSIFICATION: exact label agreement. Both answers are normalised as the local worker's output
 * check reads a label (case, surrounding whitespace, quotes, backticks and a trailing period do not
 * count); agreement is 1 when the labels are equal, else 0.
 */
public final class LabelJudge {

    public Verdict judge(String local, String reference) {
        boolean same = normalized(local).equals(normalized(reference))
                && !normalized(reference).isEmpty();
        return Verdict.of(CalibrationJudge.LABEL, same ? 1 : 0, 1);
    }

    static String normalized(String answer) {
        String s = answer == null ? "" : answer.strip();
        boolean changed = true;
        while (changed && !s.isEmpty()) {
            changed = false;
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1).strip();
                changed = true;
            }
            for (String mark : new String[] {"\"", "'", "`"}) {
                if (s.length() >= 2 && s.startsWith(mark) && s.endsWith(mark)) {
                    s = s.substring(1, s.length() - 1).strip();
                    changed = true;
                }
            }
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
