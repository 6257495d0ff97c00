package io.tiergate.classifier.classify;

/**
 * Turns a prompt into the sparse features of the fast model, in separately normalised groups:
 * <ul>
 *   <li>word unigrams, bigrams and 5-letter stems of all natural-language lines;
 *   <li>words and bigrams of the first line (where the ask usually is) and of the last line (where a
 *       question after a paste is), plus character 4-grams of the first line (typos, inflections);
 *   <li>the ask's first word and lead verb, the structural signals of {@link PromptSignals} (code,
 *       diff, stack trace, logs, data, list, question, label options, "x -> y"), length buckets.
 * </ul>
 * The same code runs at training and at inference, so a change here needs a retrain (the model file
 * records {@link #VERSION} and refuses to load under another).
 */
public final class FeatureExtractor {

    /** Bump when the features change: a model trained on other features is refused at load. */
    public static final int VERSION = 2;

    /** Words of the ask used for n-grams: enough for any ask, bounded for pasted essays. */
    static final int MAX_WORDS = 400;

    public SparseFeatures extract(PromptSignals signals) {
        SparseFeatures.Builder b = new SparseFeatures.Builder();
        String[] words = words(signals.prose());
        int from = b.mark();
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            b.add("u:" + w, 1f);
            if (w.length() > 5 && Character.isLetter(w.charAt(0))) {
                b.add("s:" + w.substring(0, 5), 1f);
            }
            if (i > 0) {
                b.add("b:" + words[i - 1] + "_" + w, 1f);
            }
        }
        b.normalizeFrom(from);
        // the ask is usually the first line; a question after a paste, the last
        String prose = signals.prose();
        int firstBreak = prose.indexOf('\n');
        addPositional(b, "a", firstBreak < 0 ? prose : prose.substring(0, firstBreak));
        int lastBreak = prose.lastIndexOf('\n');
        if (lastBreak >= 0) {
            addPositional(b, "z", prose.substring(lastBreak + 1));
        }
        if (!signals.firstWord().isEmpty()) {
            b.add("first:" + signals.firstWord(), 1f);
        }
        if (!signals.leadVerb().isEmpty()) {
            b.add("verb:" + signals.leadVerb(), 1f);
        }
        for (String name : signals.names()) {
            b.add("sig:" + name, 1f);
        }
        if (words.length == 0) {
            b.add("sig:no-prose", 1f);
        }
        b.add("len:" + bucket(signals.chars()), 1f);
        b.add("paste:" + bucket(signals.pastedChars()), 1f);
        b.add("words:" + bucket(words.length), 1f);
        b.add("bias", 1f);
        return b.build();
    }

    private static void addPositional(SparseFeatures.Builder b, String position, String line) {
        String[] words = words(line.length() > 300 ? line.substring(0, 300) : line);
        int from = b.mark();
        for (int i = 0; i < words.length; i++) {
            b.add(position + ":" + words[i], 1f);
            if (i > 0) {
                b.add(position + "b:" + words[i - 1] + "_" + words[i], 1f);
            }
        }
        b.normalizeFrom(from);
        if (position.equals("a")) {
            from = b.mark();
            for (String w : words) {
                String padded = " " + w + " ";
                for (int i = 0; i + 4 <= padded.length(); i++) {
                    b.add("c:" + padded.substring(i, i + 4), 1f);
                }
            }
            b.normalizeFrom(from);
        }
    }

    /** log2 bucket: 0, 1, 2-3, 4-7, … */
    private static int bucket(int n) {
        return 32 - Integer.numberOfLeadingZeros(Math.max(0, n));
    }

    /** Lower-case words of the ask; digit runs become "0", so ids and amounts do not become features. */
    static String[] words(String prose) {
        String[] out = new String[Math.min(MAX_WORDS, prose.length() / 2 + 1)];
        int n = 0;
        StringBuilder w = new StringBuilder(24);
        boolean doubleZero = false;
        for (int i = 0; i <= prose.length() && n < out.length; i++) {
            char c = i < prose.length() ? prose.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c) || c == '\'' && w.length() > 0) {
                char lower = Character.isDigit(c) ? '0' : Character.toLowerCase(c);
                doubleZero |= lower == '0' && w.length() > 0 && w.charAt(w.length() - 1) == '0';
                w.append(lower);
            } else if (w.length() > 0) {
                if (w.charAt(w.length() - 1) == '\'') {
                    w.setLength(w.length() - 1);
                }
                if (w.length() > 0) {
                    out[n++] = doubleZero ? collapseDigits(w.toString()) : w.toString();
                }
                w.setLength(0);
                doubleZero = false;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static String collapseDigits(String word) {
        if (word.indexOf("00") < 0) {
            return word;
        }
        StringBuilder s = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c != '0' || s.length() == 0 || s.charAt(s.length() - 1) != '0') {
                s.append(c);
            }
        }
        return s.toString();
    }
}
