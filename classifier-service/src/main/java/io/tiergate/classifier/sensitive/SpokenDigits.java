package io.tiergate.classifier.sensitive;

import java.util.Locale;
import java.util.Map;

/**
 * Numbers dictated and transcribed as words ("zero seven four nine seven, six seven five zero one
 * nine", "plus, drei drei, sieben…", "nau ek, nau nau zero char ek"): voice-note transcripts carry
 * phone numbers this way. A run of seven or more digit words (English, German, French, Spanish,
 * Italian, Portuguese, Dutch, Swedish, Polish, Turkish, romanised Hindi), optionally after "plus", is
 * written as digits for one more scan: words separated by spaces are joined, a comma or a full stop
 * starts a new group. Shorter runs are prose ("one or two", "drei oder vier").
 */
final class SpokenDigits {

    private SpokenDigits() {}

    private static final int MIN_DIGITS = 7;

    private static final Map<String, Character> DIGITS = digits();

    private static Map<String, Character> digits() {
        String[][] words = {
            {"zero", "oh", "null", "zéro", "cero", "nul", "noll", "sıfır", "shunya"},
            {
                "one", "eins", "un", "une", "uno", "una", "um", "uma", "een", "één", "ett", "en", "jeden", "jedna",
                "bir", "ek"
            },
            {"two", "zwei", "zwo", "deux", "dos", "due", "dois", "duas", "twee", "två", "dwa", "dwie", "iki", "do"},
            {"three", "drei", "trois", "tres", "tre", "três", "drie", "trzy", "üç", "teen"},
            {"four", "vier", "quatre", "cuatro", "quattro", "quatro", "fyra", "cztery", "dört", "char", "chaar"},
            {"five", "fünf", "cinq", "cinco", "cinque", "vijf", "fem", "pięć", "beş", "paanch", "panch"},
            {"six", "sechs", "seis", "sei", "zes", "sex", "sześć", "altı", "chhe", "chhah", "che"},
            {"seven", "sieben", "sept", "siete", "sette", "sete", "zeven", "sju", "siedem", "yedi", "saat"},
            {"eight", "acht", "huit", "ocho", "otto", "oito", "åtta", "osiem", "sekiz", "aath"},
            {"nine", "neun", "neuf", "nueve", "nove", "negen", "nio", "dziewięć", "dokuz", "nau"}
        };
        Map<String, Character> map = new java.util.HashMap<>();
        for (int d = 0; d < words.length; d++) {
            for (String w : words[d]) {
                map.put(w, (char) ('0' + d));
            }
        }
        return Map.copyOf(map);
    }

    /** The longest digit word ("dziewięć"): longer words are not looked up. */
    private static final int LONGEST =
            DIGITS.keySet().stream().mapToInt(String::length).max().orElse(0);

    /** The text with each long run of digit words written as digits, or null when it has none. */
    static String normalize(String text) {
        if (!mayHaveRun(text)) {
            return null;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (!Character.isLetter(text.charAt(i)) || (i > 0 && Character.isLetter(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            Run run = run(text, i);
            if (run != null && run.count() >= MIN_DIGITS) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, run.start()).append(run.digits());
                copied = run.end();
                i = run.end();
            } else {
                i = wordEnd(text, i);
            }
        }
        if (out == null) {
            return null;
        }
        return out.append(text, copied, n).toString();
    }

    /** Cheap gate: seven digit words in a row need at least seven short words among the first ones. */
    private static boolean mayHaveRun(String text) {
        int streak = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (!Character.isLetter(text.charAt(i))) {
                i++;
                continue;
            }
            int e = wordEnd(text, i);
            if (e - i <= LONGEST && DIGITS.containsKey(text.substring(i, e).toLowerCase(Locale.ROOT))) {
                if (++streak >= MIN_DIGITS) {
                    return true;
                }
            } else if (!(e - i == 4 && text.regionMatches(true, i, "plus", 0, 4))) {
                streak = 0;
            }
            i = e;
        }
        return false;
    }

    private record Run(int start, int end, String digits, int count) {}

    /** The run of digit words starting at {@code start} (a word start), or null when none starts there. */
    private static Run run(String text, int start) {
        StringBuilder digits = new StringBuilder();
        int count = 0;
        int i = start;
        int end = start;
        boolean first = true;
        while (i < text.length()) {
            int e = wordEnd(text, i);
            String word = text.substring(i, e).toLowerCase(Locale.ROOT);
            Character digit = DIGITS.get(word);
            if (first && (word.equals("plus") || word.equals("più") || word.equals("más"))) {
                digits.append('+');
            } else if (digit != null) {
                digits.append(digit);
                count++;
            } else {
                break;
            }
            first = false;
            end = e;
            // separators up to the next word: spaces join, a comma or a full stop starts a group
            int j = e;
            boolean group = false;
            while (j < text.length() && j - e < 4 && !Character.isLetter(text.charAt(j))) {
                char c = text.charAt(j);
                if (c == ',' || c == '.' || c == ';' || c == '-') {
                    group = true;
                } else if (c != ' ' && c != '\t') {
                    return count == 0
                            ? null
                            : new Run(start, end, digits.toString().strip(), count);
                }
                j++;
            }
            if (j >= text.length() || !Character.isLetter(text.charAt(j))) {
                break;
            }
            if (group && count > 0) {
                digits.append(' ');
            }
            i = j;
        }
        return count == 0 ? null : new Run(start, end, digits.toString().strip(), count);
    }

    private static int wordEnd(String text, int i) {
        int e = i;
        while (e < text.length() && Character.isLetter(text.charAt(e))) {
            e++;
        }
        return e;
    }
}
