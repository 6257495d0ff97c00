package io.tiergate.classifier.sensitive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Prompts carry webhook payloads, query strings and HAR dumps where values are URL-encoded: an
 * address as {@code aino.virtanen%40elisa.fi}, a phone as {@code phone_number=040+718+2244}. The
 * detector reads such a text a second time decoded: {@code %XX} everywhere (UTF-8, a malformed
 * escape kept as written), and {@code +} as a space inside form-encoded runs ({@code a=1&b=2}).
 */
final class UrlEncoding {

    private UrlEncoding() {}

    /** The decoded text, or null when there is nothing to decode. */
    static String decode(String text) {
        boolean percent = hasEscape(text);
        boolean form = text.indexOf('&') >= 0 && text.indexOf('=') >= 0 && text.indexOf('+') >= 0;
        if (!percent && !form) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            int end = i;
            while (end < n && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            if (end == i) {
                out.append(text.charAt(i++));
                continue;
            }
            String token = text.substring(i, end);
            boolean formToken = token.indexOf('=') > 0 && token.indexOf('&') > 0;
            out.append(decodeToken(token, formToken));
            i = end;
        }
        String decoded = out.toString();
        return decoded.equals(text) ? null : decoded;
    }

    private static boolean hasEscape(String text) {
        for (int i = text.indexOf('%'); i >= 0 && i + 2 < text.length(); i = text.indexOf('%', i + 1)) {
            if (hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static String decodeToken(String token, boolean form) {
        StringBuilder out = new StringBuilder(token.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < token.length()) {
            char c = token.charAt(i);
            if (c == '%' && i + 2 < token.length() && hex(token.charAt(i + 1)) >= 0 && hex(token.charAt(i + 2)) >= 0) {
                bytes.write(hex(token.charAt(i + 1)) * 16 + hex(token.charAt(i + 2)));
                i += 3;
                continue;
            }
            flush(bytes, out);
            out.append(form && c == '+' ? ' ' : c);
            i++;
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
