package io.tiergate.classifier.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cheap structural signals of a prompt, found in one pass over its lines: pasted code, diffs, stack
 * traces, log lines, structured data, list items, question form, a leading imperative verb. Also
 * separates the natural-language part (the ask) from pasted material, so the text features and the
 * embedding see the ask and the signals describe the paste.
 *
 * @param firstWord the first word of the ask, lower case, after lead-ins such as "please"
 * @param leadVerb the first imperative verb among the ask's first words ("can you summarize…" → summarize), or ""
 * @param labelOptions the ask lists answer options ("SPAM or HAM", "yes/no", "blocker / major / minor")
 * @param formatArrow the ask reads "x -> y" (a conversion: "toml -> yaml", "note -> JSON")
 * @param pastedChars characters outside the ask's first line: the pasted material
 * @param prose the natural-language lines, joined by '\n', at most {@link #MAX_PROSE_CHARS} chars
 */
public record PromptSignals(
        int chars,
        int lines,
        boolean codeFence,
        boolean diff,
        boolean stackTrace,
        int logLines,
        int codeLines,
        int structuredLines,
        int listItems,
        int sequenceWords,
        int questions,
        boolean startsWithQuestion,
        boolean startsWithImperative,
        String firstWord,
        String leadVerb,
        boolean labelOptions,
        boolean formatArrow,
        int pastedChars,
        String prose) {

    /** Lines scanned at most: a pasted 100k-line log tells us nothing more than its first 2,000 lines. */
    static final int MAX_LINES = 2_000;
    /**
     * Lines longer than this are not matched against the line patterns (a pasted minified file or a
     * one-line article would make backtracking patterns slow): they count as prose when they read
     * like sentences, otherwise as pasted data.
     */
    static final int MAX_PATTERN_LINE = 1_000;
    /** The part of the ask the ask patterns (answer options, conversion arrow) look at. */
    static final int MAX_ASK_CHARS = MAX_PATTERN_LINE;

    static final int MAX_PROSE_CHARS = 4_000;

    private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(,\\d+)? \\+\\d+(,\\d+)? @@.*");
    private static final Pattern FRAME = Pattern.compile(
            "^\\s+at [\\w$.<>/\\[\\]@-]+\\s*\\(.*\\)\\s*$|^\\s+at [\\w$./<>-]+:\\d+:\\d+\\s*$|^\\s*File \".*\", line \\d+.*"
                    + "|^\\s+\\.\\.\\. \\d+ more\\s*$|^goroutine \\d+ \\[.*|^\\s*#\\d+ 0x[0-9a-f]+ .*");
    private static final Pattern TRACE_HEAD =
            Pattern.compile("^(Traceback \\(most recent call last\\):|Caused by: .*|Exception in thread .*|panic: .*"
                    + "|thread '.*' panicked at.*|([\\w$]+\\.){1,24}[\\w$]*(Exception|Error)(: .*)?"
                    + "|(Uncaught )?[A-Z]\\w*(Error|Exception): .*)\\s*$");
    private static final Pattern LOG_LINE = Pattern.compile(
            "^\\[?(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}|\\d{2}:\\d{2}:\\d{2}|[A-Z][a-z]{2} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}).*"
                    + "|^\\[?(INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|SEVERE|CRITICAL)\\]?[\\s:].*"
                    + "|^[IWEF]\\d{4} \\d{2}:\\d{2}:\\d{2}.*");
    private static final Pattern CODE_LINE = Pattern.compile(
            "^\\s*(def |class |import |from \\S+ import |public |private |protected |static |final |function |const |let |var "
                    + "|return\\b|package |func |fn |pub |impl |struct |interface |enum |#include|@\\w+|if \\(|for \\(|while \\(|} else"
                    + "|SELECT |INSERT |UPDATE |DELETE FROM |CREATE TABLE |ALTER TABLE |//|/\\*|\\*/|<\\?php|#!/).*"
                    + "|.*[;{]\\s*$|^\\s*[})\\]];?,?\\s*$|^\\s*\\w[\\w.]*\\s*(=|\\+=|:=)\\s*.+[;)\\]]?\\s*$");
    private static final Pattern STRUCTURED_LINE = Pattern.compile(
            "^\\s*([{\\[]|\"[^\"]+\"\\s*:|<[A-Za-z/?!][^>]*>|[\\w.-]+:\\s*$|[\\w.-]+:\\s+\\S.*|- [\\w.-]+:\\s).*"
                    + "|^[^,]*,[^,]*,[^,]*,.*|^\\s*\\|.*\\|\\s*$");
    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(\\d{1,2}[.)]|[-*•]|[a-z][.)])\\s+\\S.*");
    private static final Pattern SEQUENCE_WORD = Pattern.compile(
            "\\b(then|after that|afterwards|finally|next,|first,|second,|third,|step \\d|and also|as well as)\\b");

    private static final Pattern LABEL_OPTIONS = Pattern.compile(
            "\\b[A-Z][A-Z0-9_-]{1,40}\\b(?:\\s*(?:/|,|\\bor\\b|\\|)\\s*\\b[A-Z][A-Z0-9_-]{1,40}\\b){1,12}"
                    + "|\\b[\\w+-]{1,40} ?/ ?[\\w+-]{1,40} ?/ ?[\\w+-]{1,40}"
                    + "|(?i)\\b(yes/no|yes or no|true/false|one word|one of|one label|label each|exactly one)\\b");
    private static final Pattern FORMAT_ARROW = Pattern.compile("\\S\\s*(->|→|=>)\\s*\\S");
    private static final Set<String> QUESTION_WORDS = Set.of(
            "what", "why", "how", "when", "where", "which", "who", "whose", "is", "are", "can", "could", "should",
            "would", "does", "do", "did", "will", "was", "were", "has", "have", "any", "anyone", "whats", "what's");
    /** Politeness and addressing that precede the verb ("please review", "hey, can you…"). */
    private static final Set<String> LEAD_INS =
            Set.of("please", "pls", "hey", "hi", "hello", "ok", "okay", "so", "now", "quick");

    private static final Set<String> IMPERATIVE_VERBS = Set.of(
            "add",
            "analyse",
            "analyze",
            "build",
            "categorize",
            "categorise",
            "change",
            "check",
            "classify",
            "clean",
            "compare",
            "condense",
            "convert",
            "create",
            "debug",
            "decide",
            "define",
            "describe",
            "design",
            "detect",
            "diagnose",
            "draft",
            "evaluate",
            "explain",
            "extract",
            "figure",
            "find",
            "fix",
            "flag",
            "format",
            "generate",
            "give",
            "help",
            "identify",
            "implement",
            "investigate",
            "label",
            "list",
            "look",
            "make",
            "map",
            "migrate",
            "optimize",
            "optimise",
            "outline",
            "parse",
            "plan",
            "port",
            "propose",
            "pull",
            "recommend",
            "refactor",
            "rewrite",
            "review",
            "scaffold",
            "set",
            "sketch",
            "sort",
            "split",
            "suggest",
            "summarize",
            "summarise",
            "tag",
            "tell",
            "translate",
            "triage",
            "turn",
            "update",
            "write");

    /** Scans {@code text} (never null). */
    public static PromptSignals scan(String text) {
        Scanner s = new Scanner();
        int start = 0;
        int n = text.length();
        int lineCount = 0;
        while (start <= n && lineCount < MAX_LINES) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            s.line(text.substring(start, end));
            lineCount++;
            start = end + 1;
        }
        return s.result(text.length(), lineCount);
    }

    /** Whether the prompt carries pasted code (fenced, or code-looking lines). */
    public boolean hasCode() {
        return codeFence || codeLines >= 3;
    }

    /** Whether the prompt carries runtime output: stack traces or log lines. */
    public boolean hasLogs() {
        return stackTrace || logLines >= 2;
    }

    /** Named signals that are present, for features and evidence. */
    public List<String> names() {
        List<String> names = new ArrayList<>(8);
        if (codeFence) {
            names.add("code-fence");
        }
        if (diff) {
            names.add("diff");
        }
        if (stackTrace) {
            names.add("stack-trace");
        }
        if (logLines >= 2) {
            names.add("log-lines");
        }
        if (codeLines >= 3) {
            names.add("code-lines");
        }
        if (structuredLines >= 3) {
            names.add("structured-data");
        }
        if (listItems >= 2 || sequenceWords >= 2) {
            names.add("multi-step");
        }
        if (startsWithQuestion || questions > 0) {
            names.add("question");
        }
        if (startsWithImperative) {
            names.add("imperative");
        }
        if (labelOptions) {
            names.add("label-options");
        }
        if (formatArrow) {
            names.add("format-arrow");
        }
        return names;
    }

    private static final class Scanner {
        private boolean inFence;
        private boolean codeFence;
        private boolean diff;
        private boolean inHunk;
        private boolean stackTrace;
        private int logLines;
        private int codeLines;
        private int structuredLines;
        private int listItems;
        private int sequenceWords;
        private int questions;
        private String firstProseLine;
        private final StringBuilder prose = new StringBuilder();

        void line(String line) {
            String trimmed = line.strip();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                codeFence = true;
                inFence = !inFence;
                return;
            }
            if (trimmed.isEmpty()) {
                return;
            }
            if (inFence) {
                codeLines++;
                if (line.length() <= MAX_PATTERN_LINE) {
                    looksLikeRuntimeOutput(line);
                }
                return;
            }
            if (line.length() > MAX_PATTERN_LINE) {
                if (mostlyWords(trimmed)) {
                    proseLine(trimmed);
                } else {
                    structuredLines++;
                }
                return;
            }
            if (line.startsWith("diff --git ")
                    || line.startsWith("+++ b/")
                    || line.startsWith("--- a/")
                    || line.startsWith("index ") && diff) {
                diff = true;
                return;
            }
            if (line.startsWith("@@") && HUNK.matcher(line).matches()) {
                diff = true;
                inHunk = true;
                return;
            }
            if (inHunk && (line.startsWith("+") || line.startsWith("-") || line.startsWith(" "))) {
                codeLines++;
                return;
            }
            inHunk = false;
            if (looksLikeRuntimeOutput(line)) {
                return;
            }
            if (LIST_ITEM.matcher(line).matches()) {
                listItems++;
                proseLine(trimmed);
                return;
            }
            if (CODE_LINE.matcher(line).matches() && !mostlyWords(trimmed)) {
                codeLines++;
                return;
            }
            // the first line of several words is the ask even when it looks like "key: value"
            boolean firstAsk = firstProseLine == null && trimmed.split(" ", 4).length >= 4;
            if (!firstAsk && STRUCTURED_LINE.matcher(line).matches() && !mostlyWords(trimmed)) {
                structuredLines++;
                return;
            }
            proseLine(trimmed);
        }

        private boolean looksLikeRuntimeOutput(String line) {
            // cheap character tests first: most lines are neither, and these regexes are the hot path
            char first = line.charAt(0);
            char lead = line.strip().charAt(0);
            boolean maybeFrame =
                    Character.isWhitespace(first) || lead == 'F' || lead == 'g' || lead == '#' || lead == '.';
            boolean maybeHead = line.contains("Error")
                    || line.contains("Exception")
                    || line.startsWith("Traceback")
                    || line.startsWith("Caused by")
                    || line.contains("panic");
            if (maybeFrame && FRAME.matcher(line).matches()
                    || maybeHead && TRACE_HEAD.matcher(line).matches() && !mostlyWords(line.strip())) {
                stackTrace = true;
                return true;
            }
            boolean maybeLog = Character.isDigit(first) || first == '[' || Character.isUpperCase(first);
            if (maybeLog && LOG_LINE.matcher(line).matches()) {
                logLines++;
                return true;
            }
            return false;
        }

        private void proseLine(String trimmed) {
            if (firstProseLine == null) {
                firstProseLine = trimmed;
            }
            if (trimmed.endsWith("?")) {
                questions++;
            }
            if (prose.length() < MAX_PROSE_CHARS) {
                String lower = trimmed.toLowerCase(Locale.ROOT);
                var m = SEQUENCE_WORD.matcher(lower);
                while (m.find()) {
                    sequenceWords++;
                }
                if (prose.length() > 0) {
                    prose.append('\n');
                }
                prose.append(trimmed, 0, Math.min(trimmed.length(), MAX_PROSE_CHARS - prose.length()));
            }
        }

        PromptSignals result(int chars, int lines) {
            String[] first = firstWords(firstProseLine == null ? "" : firstProseLine);
            String firstWord = first.length == 0 ? "" : first[0];
            String leadVerb = "";
            for (int i = 0; i < Math.min(first.length, 6); i++) {
                if (IMPERATIVE_VERBS.contains(first[i])) {
                    leadVerb = first[i];
                    break;
                }
            }
            String ask = firstProseLine == null ? "" : firstProseLine;
            ask = ask.length() > MAX_ASK_CHARS ? ask.substring(0, MAX_ASK_CHARS) : ask;
            return new PromptSignals(
                    chars,
                    lines,
                    codeFence,
                    diff,
                    stackTrace,
                    logLines,
                    codeLines,
                    structuredLines,
                    listItems,
                    sequenceWords,
                    questions,
                    QUESTION_WORDS.contains(firstWord),
                    IMPERATIVE_VERBS.contains(firstWord),
                    firstWord,
                    leadVerb,
                    LABEL_OPTIONS.matcher(ask).find(),
                    FORMAT_ARROW.matcher(ask).find(),
                    Math.max(0, chars - (firstProseLine == null ? 0 : firstProseLine.length())),
                    prose.toString());
        }

        /** The first (up to 8) words of a line, lower case, lead-ins ("please", "hey,") dropped. */
        private static String[] firstWords(String line) {
            String head = line.length() > 200 ? line.substring(0, 200) : line;
            List<String> out = new ArrayList<>(8);
            for (String w : head.toLowerCase(Locale.ROOT).split("[^a-z0-9']+")) {
                if (w.isEmpty() || out.isEmpty() && LEAD_INS.contains(w)) {
                    continue;
                }
                out.add(w);
                if (out.size() == 8) {
                    break;
                }
            }
            return out.toArray(new String[0]);
        }

        /** A line of ordinary sentence text that happens to match a code or data pattern ("Note: …"). */
        private static boolean mostlyWords(String trimmed) {
            int letters = 0;
            int spaces = 0;
            int symbols = 0;
            for (int i = 0; i < trimmed.length(); i++) {
                char c = trimmed.charAt(i);
                if (Character.isLetter(c)) {
                    letters++;
                } else if (c == ' ') {
                    spaces++;
                } else if (!Character.isDigit(c) && c != ',' && c != '.' && c != '\'' && c != '?' && c != '!') {
                    symbols++;
                }
            }
            return spaces >= 5 && symbols * 12 < letters && !trimmed.endsWith(";") && !trimmed.endsWith("{");
        }
    }
}
