package io.tiergate.classifier.sensitive;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a text has digits: runs of digits and the separators numbers are written with (space, - .
 * / ( ) +), bridged over one or two other characters (the A of a Corsican NIR's 2A), widened by a
 * few characters (a NINO's letters, a DNI's check letter). The number patterns search these
 * regions only, not the prose between them: a 2 KB prompt with three numbers is scanned over a
 * hundred characters, not two thousand.
 */
final class Clusters {

    /** A region {@code [start, end)} and the digits in it. */
    record Region(int start, int end, int digits) {}

    private static final int MARGIN = 4;
    private static final int BRIDGE = 2;

    private final List<Region> regions;

    private Clusters(List<Region> regions) {
        this.regions = regions;
    }

    static Clusters of(String text) {
        List<Region> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!digit(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            int digits = 0;
            int end = i;
            int j = i;
            while (j < n) {
                char c = text.charAt(j);
                if (digit(c)) {
                    digits++;
                    end = j + 1;
                    j++;
                } else if (separator(c)) {
                    j++;
                } else if (j + BRIDGE < n && bridged(text, j)) {
                    j++;
                } else {
                    break;
                }
            }
            int s = Math.max(0, start - MARGIN);
            int e = Math.min(n, end + MARGIN);
            if (!out.isEmpty() && out.get(out.size() - 1).end() >= s) {
                Region last = out.remove(out.size() - 1);
                out.add(new Region(last.start(), e, last.digits() + digits));
            } else {
                out.add(new Region(s, e, digits));
            }
            i = Math.max(j, i + 1);
        }
        return new Clusters(out);
    }

    /** One or two other characters, then a digit or a separator and a digit: "2A 008", "12-Mar". */
    private static boolean bridged(String text, int j) {
        for (int k = j + 1; k <= j + BRIDGE && k < text.length(); k++) {
            if (digit(text.charAt(k))) {
                return true;
            }
        }
        return false;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean separator(char c) {
        return c == ' ' || c == '\u00A0' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == '+';
    }

    /** Whether {@code pattern} matches in a region with at least {@code minDigits} digits and {@code accept} agrees. */
    boolean any(Pattern pattern, int minDigits, String text, java.util.function.Predicate<Matcher> accept) {
        Matcher m = pattern.matcher(text);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        for (Region r : regions) {
            if (r.digits() < minDigits) {
                continue;
            }
            m.region(r.start(), r.end());
            while (m.find()) {
                if (accept.test(m)) {
                    return true;
                }
            }
        }
        return false;
    }
}
