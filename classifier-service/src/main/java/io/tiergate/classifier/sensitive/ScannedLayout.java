package io.tiergate.classifier.sensitive;

import java.util.regex.Pattern;

/**
 * Numbers as scans, OCR and JSON-escaped tool output write them: split over two lines ({@code DE31
 * 5008 6591⏎9905 7098 52}), with runs of spaces ({@code 3960  6280}), with spaces around hyphens
 * ({@code 237 -21- 9436}), or after a literal {@code \n} of a JSON string ({@code "…No. :\n2553 6387
 * 6518"}). The detector reads such a text once more re-joined, for the checksum-validated numbers
 * only (their check digits keep a joined number from being a false find; phones, which have none,
 * are not looked for there).
 */
final class ScannedLayout {

    private ScannedLayout() {}

    private static final Pattern ESCAPE = Pattern.compile("\\\\[nrt](?=[\\dA-Z])");
    private static final Pattern LINE_BREAK = Pattern.compile("(?<=\\d)[ \\t]*\\r?\\n[ \\t|¦>]*(?=\\d)");
    private static final Pattern SPACES = Pattern.compile("(?<=\\d)[ \\t]{2,}(?=\\d)");
    private static final Pattern SPACED_HYPHEN = Pattern.compile("(?<=\\d)(?: -|- | - )(?=\\d)");

    /** The re-joined text, or null when nothing was re-joined. */
    static String join(String text) {
        String joined = text;
        if (joined.indexOf('\\') >= 0) {
            joined = ESCAPE.matcher(joined).replaceAll(" ");
        }
        if (joined.indexOf('\n') >= 0) {
            joined = LINE_BREAK.matcher(joined).replaceAll(" ");
        }
        if (joined.contains("  ") || joined.indexOf('\t') >= 0) {
            joined = SPACES.matcher(joined).replaceAll(" ");
        }
        if (joined.contains(" -") || joined.contains("- ")) {
            joined = SPACED_HYPHEN.matcher(joined).replaceAll("-");
        }
        return joined.equals(text) ? null : joined;
    }
}
