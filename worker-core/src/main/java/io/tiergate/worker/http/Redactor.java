package io.tiergate.worker.http;

import java.util.regex.Pattern;

/**
 * Keeps API keys out of messages that reach logs, results and metrics: providers echo (masked)
 * keys in 401 bodies, and an exception message may carry a header. Removes the configured key
 * verbatim and anything shaped like a provider key, and bounds the length.
 */
public final class Redactor {

    private static final Pattern KEY_LIKE =
            Pattern.compile("(sk-[A-Za-z0-9_\\-*.]{6,}|Bearer\\s+\\S+|x-api-key:?\\s*\\S+)", Pattern.CASE_INSENSITIVE);
    private static final int MAX = 300;

    private Redactor() {}

    public static String clean(String message, String apiKey) {
        if (message == null) {
            return "";
        }
        String out = message;
        if (apiKey != null && !apiKey.isBlank()) {
            out = out.replace(apiKey, "[redacted]");
        }
        out = KEY_LIKE.matcher(out).replaceAll("[redacted]");
        out = out.replaceAll("\\s+", " ").trim();
        return out.length() <= MAX ? out : out.substring(0, MAX) + "…";
    }
}
