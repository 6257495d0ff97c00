package io.tiergate.classifier.sensitive;

import java.util.Locale;
import java.util.Set;

/**
 * Context words near a position, found by reading the letter runs of a window and looking each up
 * in a set: a handful of hash lookups instead of a regular expression with dozens of alternatives
 * tried at every position (this runs once per number-shaped candidate).
 */
final class Words {

    private Words() {}

    /** Whether a word of {@code words} (lower case) lies in {@code [from, to)}; words cut by the window edges are read whole. */
    static boolean anyIn(String text, int from, int to, Set<String> words) {
        return anyIn(text, from, to, words, false);
    }

    /**
     * As {@link #anyIn(String, int, int, Set)}; with {@code standalone}, words inside an address, a
     * host name or an identifier (the "example" of jane@example.org, of test_user) do not count.
     */
    static boolean anyIn(String text, int from, int to, Set<String> words, boolean standalone) {
        return anyIn(text, from, to, words::contains, standalone);
    }

    /** As {@link #anyIn(String, int, int, Set, boolean)}, for words that {@code isWord} accepts (lower case). */
    static boolean anyIn(
            String text, int from, int to, java.util.function.Predicate<String> isWord, boolean standalone) {
        int f = Math.max(0, from);
        int t = Math.min(text.length(), to);
        while (f > 0
                && f < text.length()
                && Character.isLetter(text.charAt(f))
                && Character.isLetter(text.charAt(f - 1))) {
            f--;
        }
        int i = f;
        while (i < t) {
            if (!Character.isLetter(text.charAt(i))) {
                i++;
                continue;
            }
            int s = i;
            while (i < text.length() && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '\'')) {
                i++;
            }
            int e = i;
            while (e > s && text.charAt(e - 1) == '\'') {
                e--;
            }
            if (e - s <= 24
                    && (!standalone || standalone(text, s, e))
                    && isWord.test(text.substring(s, e).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** The start of the last word of {@code words} (lower case) in {@code [from, to)}, or -1. */
    static int lastIn(String text, int from, int to, Set<String> words) {
        return lastIn(text, from, to, words::contains);
    }

    /** As {@link #lastIn(String, int, int, Set)}, for words that {@code isWord} accepts (lower case). */
    static int lastIn(String text, int from, int to, java.util.function.Predicate<String> isWord) {
        int f = Math.max(0, from);
        int i = Math.min(text.length(), to);
        while (i > f) {
            if (!Character.isLetter(text.charAt(i - 1))) {
                i--;
                continue;
            }
            int e = i;
            while (i > 0 && Character.isLetter(text.charAt(i - 1))) {
                i--;
            }
            if (e - i <= 24 && isWord.test(text.substring(i, e).toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    /** Words that introduce a documented example value: "example IBAN: DE89 …", "Beispiel: …". */
    private static final Set<String> DOCUMENTATION = Set.of(
            "dummy",
            "fake",
            "example",
            "examples",
            "sample",
            "placeholder",
            "fictitious",
            "fictional",
            "beispiel",
            "exemple",
            "ejemplo",
            "esempio",
            "voorbeeld",
            "exemplo",
            "exempel",
            "eksempel",
            "esimerkki",
            "przykład",
            "przyklad",
            "örnek",
            "testkarte");

    /**
     * Words that mark a test value only when they name the value itself ("test card 4000 …",
     * "sandbox IBAN: …"): "test" is also the test of a device, an environment or a pytest function,
     * so a colleague's card in "il device di test del collega: {…}" is not a test card.
     */
    private static final Set<String> TEST_WORDS = Set.of("test", "testing", "sandbox", "demo");

    /**
     * The 24 characters before {@code start} introduce an example or test value ("test card", "e.g.",
     * "example IBAN"), on the value's own line (or the line before, when it ends with a colon): the
     * test word of the previous line's comment does not make the next line's number a test value.
     */
    static boolean documentation(String text, int start) {
        int from = Math.max(0, start - 24);
        int newline = text.lastIndexOf('\n', start - 1);
        if (newline >= from && !endsWithColon(text, newline)) {
            from = newline + 1;
        }
        return anyIn(text, from, start, DOCUMENTATION, true)
                || testWordNamesValue(text, from, start)
                || markIn(text, from, start, "e.g.", "z.B.", "z. B.", "p.ex.");
    }

    private static boolean endsWithColon(String text, int newline) {
        int i = newline - 1;
        while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\r')) {
            i--;
        }
        return i >= 0 && text.charAt(i) == ':';
    }

    /** A test word in {@code [from, start)} with at most one word between it and the value. */
    private static boolean testWordNamesValue(String text, int from, int start) {
        int words = 0;
        int i = start;
        while (i > from) {
            if (!Character.isLetter(text.charAt(i - 1))) {
                i--;
                continue;
            }
            int e = i;
            while (i > 0 && Character.isLetter(text.charAt(i - 1))) {
                i--;
            }
            String word = text.substring(i, e).toLowerCase(Locale.ROOT);
            if (TEST_WORDS.contains(word) && standalone(text, i, e)) {
                return true;
            }
            if (++words > 1) {
                return false;
            }
        }
        return false;
    }

    private static boolean standalone(String text, int s, int e) {
        if (s > 0 && "@./_-:".indexOf(text.charAt(s - 1)) >= 0) {
            return false;
        }
        if (e < text.length()) {
            char after = text.charAt(e);
            if (after == '@' || after == '_' || after == '-' || Character.isDigit(after)) {
                return false;
            }
            if ((after == '.' || after == '/')
                    && e + 1 < text.length()
                    && Character.isLetterOrDigit(text.charAt(e + 1))) {
                return false;
            }
        }
        return true;
    }

    /** Lower case, one char for one char: positions in the result are positions in {@code text}. */
    static String lower(String text) {
        char[] c = new char[text.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = Character.toLowerCase(text.charAt(i));
        }
        return new String(c);
    }

    /** Whether {@code lower} contains one of {@code needles}. */
    static boolean containsAny(String lower, String... needles) {
        for (String n : needles) {
            if (lower.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /** Sorted start positions of {@code needles} in {@code lower}, at most {@code max}. */
    static int[] positions(String lower, String[] needles, int max) {
        int[] out = new int[16];
        int n = 0;
        for (String needle : needles) {
            for (int at = lower.indexOf(needle); at >= 0 && n < max; at = lower.indexOf(needle, at + 1)) {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = at;
            }
        }
        int[] result = java.util.Arrays.copyOf(out, n);
        java.util.Arrays.sort(result);
        return result;
    }

    /** Whether one of {@code marks} (any characters) occurs in {@code [from, to)}. */
    static boolean markIn(String text, int from, int to, String... marks) {
        int f = Math.max(0, from);
        int t = Math.min(text.length(), to);
        for (int i = f; i < t; i++) {
            char c = text.charAt(i);
            for (String mark : marks) {
                if (c == mark.charAt(0) && i + mark.length() <= t && text.startsWith(mark, i)) {
                    return true;
                }
            }
        }
        return false;
    }
}
