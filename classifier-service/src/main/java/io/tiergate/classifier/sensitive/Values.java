package io.tiergate.classifier.sensitive;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Judges a candidate secret value: is it a stand-in written by a person (a placeholder, an
 * environment-variable reference, a type name, a word) or does it carry the randomness or the
 * shape of a real password, token or key?
 */
final class Values {

    private Values() {}

    /** Values that stand for "put your value here" or are the default of some tool, not a secret. */
    private static final Set<String> PLACEHOLDER_WORDS = Set.of(
            "password",
            "passwd",
            "pass",
            "pwd",
            "secret",
            "secrets",
            "token",
            "apikey",
            "api_key",
            "key",
            "changeme",
            "change_me",
            "change-me",
            "changeit",
            "redacted",
            "removed",
            "hidden",
            "masked",
            "omitted",
            "censored",
            "sensitive",
            "none",
            "null",
            "nil",
            "undefined",
            "empty",
            "blank",
            "unset",
            "notset",
            "not_set",
            "not-set",
            "string",
            "str",
            "text",
            "required",
            "optional",
            "true",
            "false",
            "yes",
            "no",
            "default",
            "test",
            "testing",
            "foo",
            "bar",
            "baz",
            "foobar",
            "qux",
            "admin",
            "root",
            "guest",
            "user",
            "username",
            "todo",
            "tbd",
            "fixme",
            "dummy",
            "fake",
            "sample",
            "example",
            "placeholder",
            "secretvalue",
            "mysecret",
            "mytoken",
            "mykey",
            "value",
            "xxx",
            "abc",
            "abc123",
            "123",
            "1234",
            "12345",
            "123456",
            "letmein",
            "qwerty",
            "hunter2example",
            "open sesame",
            "aladdin");

    /** Words that anywhere inside a value mark it as hand-written documentation. */
    private static final Pattern PLACEHOLDER_INSIDE = Pattern.compile(
            "(?i)your|example|sample|placeholder|changeme|change[_-]me|redacted|dummy|replace|insert|put[_-]?here"
                    + "|goes[_-]?here|fill[_-]?in|enter[_-]|secret[_-]?(?:here|value)|(?:key|token)[_-]?here"
                    + "|xxxx|\\*\\*\\*|\\.\\.\\.|…|•••|####|____|(.)\\1{5,}");
    /**
     * Words that make a value a stand-in only while it stays simple: "password123" and
     * "mysecretpassword" are what documentation writes, "Password123!" (three character classes) is
     * what a person types into a form that demands it.
     */
    private static final Pattern WEAK_PLACEHOLDER_INSIDE = Pattern.compile("(?i)password|passwd|mysecret");

    /** Starts of references to a value kept elsewhere: ${VAR}, {{ var }}, $VAR, %VAR%, <token>, [secret]. */
    private static final Pattern REFERENCE = Pattern.compile(
            "^(?:\\$\\{|\\$\\(|\\{\\{|\\{%|<|%\\(|%[A-Za-z_]+%|\\$[A-Za-z_]|#\\{|@\\{|\\[|\\(|\\{\\s*$|![A-Za-z]|vault:|ENC\\[|arn:|ref\\+|op://|awssm:|sm://|gcp:|secret://|keyvault:)");

    /** ACCESS_TOKEN, DB_PASSWORD: the name of the variable that holds the value, not the value. */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+");

    /** Code that reads a value: os.environ[...], process.env.X, config.get(...), self.password. */
    private static final Pattern CODE =
            Pattern.compile("[(){}\\[\\]]|^[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)+$|->|::");

    /** {@code value} is a stand-in: a placeholder word, a reference, or repeated/masked characters. */
    static boolean placeholder(String value) {
        if (value.length() < 3) {
            return true;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (PLACEHOLDER_WORDS.contains(lower)) {
            return true;
        }
        if (REFERENCE.matcher(value).find() || ENV_NAME.matcher(value).matches()) {
            return true;
        }
        return PLACEHOLDER_INSIDE.matcher(value).find()
                || (WEAK_PLACEHOLDER_INSIDE.matcher(value).find() && classes(value) < 3);
    }

    /**
     * An unquoted value that is code rather than a literal: a call, an index, a dotted member
     * ({@code settings.db_password}), an UPPER_CASE or snake_case name of another variable, a type
     * ({@code SecretStr}, {@code Optional[str]}), or letters only (a word).
     */
    static boolean codeOrWord(String value) {
        if (CODE.matcher(value).find()) {
            return true;
        }
        boolean letters = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Character.isLetter(c) && c != '_') {
                letters = false;
                break;
            }
        }
        return letters; // "SecretStr", "new_password", "DB_PASSWORD", "required": names and words
    }

    /** Character classes present: lower, upper, digit, other. */
    static int classes(String v) {
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else {
                other = true;
            }
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }

    /** Shannon entropy in bits per character. */
    static double entropy(CharSequence s) {
        if (s.length() == 0) {
            return 0;
        }
        int[] counts = new int[128];
        int otherCount = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                otherCount++;
            }
        }
        double h = 0;
        double n = s.length();
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                h -= p * Math.log(p);
            }
        }
        if (otherCount > 0) {
            double p = otherCount / n;
            h -= p * Math.log(p);
        }
        return h / Math.log(2);
    }

    /**
     * A human password: not a placeholder, 6 to 128 characters, not digits only, and either two
     * character classes ("hunter2") or length 10+ when quoted (a passphrase).
     */
    static boolean passwordLike(String v, boolean quoted) {
        int n = v.length();
        if (n < 6 || n > 128 || Checksums.allDigits(v) || placeholder(v)) {
            return false;
        }
        if (!quoted && codeOrWord(v)) {
            return false;
        }
        if (looksLikeUrlOrPath(v)) {
            return false;
        }
        return classes(v) >= 2 || (quoted && n >= 10);
    }

    /**
     * A machine secret: at least {@code minLength} characters, a segment that looks random (letters
     * mixed with digits, or letters changing case often), no placeholder, and at least 3 bits of
     * entropy per character. Word chains ("kv-prod-weu-01", "prod/db/creds") are not secrets.
     */
    static boolean randomSecret(String v, int minLength) {
        if (v.length() < minLength || v.length() > 512 || placeholder(v) || looksLikeUrlOrPath(v)) {
            return false;
        }
        if (Checksums.allDigits(v) || looksLikeTimestamp(v)) {
            return false;
        }
        return hasRandomSegment(v) && entropy(v) >= 3.0;
    }

    /** A segment between separators that no person would write as a word. */
    static boolean hasRandomSegment(String v) {
        int start = 0;
        for (int i = 0; i <= v.length(); i++) {
            if (i == v.length() || "-_./:+= ".indexOf(v.charAt(i)) >= 0) {
                if (randomSegment(v, start, i)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static boolean randomSegment(String v, int from, int to) {
        int len = to - from;
        if (len < 5) {
            return false;
        }
        int letters = 0;
        int digits = 0;
        int caseChanges = 0;
        int prevCase = 0;
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (Character.isLetter(c)) {
                letters++;
                int cs = Character.isUpperCase(c) ? 1 : 2;
                if (prevCase != 0 && cs != prevCase) {
                    caseChanges++;
                }
                prevCase = cs;
            }
        }
        if (letters > 0 && digits > 0) {
            // "v2", "2fa", "utf8mb4" are words with a digit; a random string has several of each
            return digits >= 2 && letters >= 2 && len >= 6;
        }
        if (digits == 0) {
            return len >= 10 && caseChanges * 3 >= len; // "ZqorksUhCxPY": case flips every few letters
        }
        return false;
    }

    private static final Pattern URL_OR_PATH = Pattern.compile(
            "^(?:[a-zA-Z][a-zA-Z0-9+.-]*://|/|\\./|\\.\\./|~/|[A-Za-z]:\\\\)|\\.(?:pem|key|crt|p12|pfx|jks|json|ya?ml|txt|env|cfg|conf|ini|properties)$");

    static boolean looksLikeUrlOrPath(String v) {
        return URL_OR_PATH.matcher(v).find();
    }

    private static final Pattern TIMESTAMP = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2})?(?:\\.\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?)?$");

    static boolean looksLikeTimestamp(String v) {
        return TIMESTAMP.matcher(v).matches();
    }

    private static final Pattern UUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    static boolean uuid(String v) {
        return UUID.matcher(v).matches();
    }
}
