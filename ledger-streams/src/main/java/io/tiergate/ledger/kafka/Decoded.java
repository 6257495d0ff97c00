package io.tiergate.ledger.kafka;

/**
 * A consumed record after decoding: its string key and event, or — when it could not be decoded
 * or was rejected — its original bytes and the error, on the way to the {@code .dlq} twin.
 *
 * @param value what the record means once checked (a cost event, a budget change)
 */
public record Decoded<V>(String key, V value, byte[] rawKey, byte[] rawValue, RuntimeException error) {

    public static <V> Decoded<V> accepted(String key, V value) {
        return new Decoded<>(key, value, null, null, null);
    }

    public static <V> Decoded<V> rejected(byte[] rawKey, byte[] rawValue, RuntimeException error) {
        return new Decoded<>(null, null, rawKey, rawValue, error);
    }

    public boolean isRejected() {
        return error != null;
    }
}
