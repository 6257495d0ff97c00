package io.tiergate.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Virtual key tokens (docs/gateway.md, "Virtual keys"): {@code tg-} followed by 40 random base62
 * characters (238 bits from {@link SecureRandom}), stored only as the SHA-256 of their UTF-8 bytes.
 * A fast hash is enough for random tokens of this length (nothing to brute-force, unlike passwords).
 */
public final class KeyTokens {

    public static final String PREFIX = "tg-";
    /** Characters of a token shown in listings, prefix included. */
    public static final int SHOWN = 10;

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyTokens() {}

    public static String newToken() {
        StringBuilder token = new StringBuilder(PREFIX);
        for (int i = 0; i < 40; i++) {
            token.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return token.toString();
    }

    /** Lowercase hex SHA-256 of the token's UTF-8 bytes: the key of its gateway.keys record. */
    public static String hash(String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** What listings show of a token. */
    public static String shown(String token) {
        return token.substring(0, Math.min(SHOWN, token.length()));
    }
}
