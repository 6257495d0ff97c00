package io.tiergate.classifier.sensitive;

/**
 * Numbers as scans, OCR and JSON-escaped tool output write them: split over two lines ({@code DE31
 * 5008 6591⏎9905 7098 52}), with runs of spaces ({@code 3960  6280}), with spaces around hyphens
 * ({@code 237 -21- 9436}), or after a literal {@code \n} of a JSON string ({@code "…No. :\n2553 6387
 * 6518"}). The detector reads such a text once more re-joined, for the checksum-validated numbers
 * only (their check digits keep a joined number from being a false find; phones, which have none,
 * are not looked for there). One pass over the text, acting only after a digit.
 */
final class ScannedLayout {

    private ScannedLayout() {}

    /** The re-joined text, or null when nothing was re-joined. */
    static String join(String text) {
        StringBuilder out = null;
        int copied = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (!digit(text.charAt(i))) {
                if (text.charAt(i) == '\\' && escapeBeforeNumber(text, i)) {
                    out = grow(out, text, copied, i).append(' ');
                    copied = i + 2; // "…No. :\n2553": the literal \n of a JSON string
                }
                continue;
            }
            int gapEnd = i + 1;
            int spaces = 0;
            boolean newline = false;
            boolean hyphen = false;
            while (gapEnd < n && gapEnd - i <= 12) {
                char c = text.charAt(gapEnd);
                if (c == ' ' || c == '\t') {
                    spaces++;
                } else if (c == '\n' || c == '\r') {
                    newline = true;
                } else if (c == '-' && !hyphen) {
                    hyphen = true;
                } else if ((c == '|' || c == '¦' || c == '>') && newline) {
                    spaces++; // the frame of a scanned form after a line break
                } else {
                    break;
                }
                gapEnd++;
            }
            if (gapEnd == i + 1 || gapEnd >= n || !digit(text.charAt(gapEnd))) {
                continue;
            }
            String joint = null;
            if (hyphen && !newline && spaces > 0) {
                joint = "-"; // "237 -21- 9436"
            } else if (!hyphen && (newline || spaces >= 2)) {
                joint = " "; // a line break or a run of spaces between two digit groups
            }
            if (joint != null) {
                out = grow(out, text, copied, i + 1).append(joint);
                copied = gapEnd;
                i = gapEnd - 1;
            }
        }
        if (out == null) {
            return null;
        }
        return out.append(text, copied, n).toString();
    }

    private static StringBuilder grow(StringBuilder out, String text, int from, int to) {
        StringBuilder b = out == null ? new StringBuilder(text.length()) : out;
        return b.append(text, from, to);
    }

    /** A literal {@code \n}, {@code \r} or {@code \t} followed by a digit or an upper-case letter. */
    private static boolean escapeBeforeNumber(String text, int i) {
        if (i + 2 >= text.length()) {
            return false;
        }
        char e = text.charAt(i + 1);
        char next = text.charAt(i + 2);
        return (e == 'n' || e == 'r' || e == 't') && (digit(next) || (next >= 'A' && next <= 'Z'));
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
