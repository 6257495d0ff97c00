package io.tiergate.cloudworker.config;

import java.util.Objects;

/** An API key that never prints itself: toString, logs and exceptions see "[redacted]". */
public final class ApiKey {

    private final String value;

    public ApiKey(String value) {
        this.value = Objects.requireNonNull(value, "value").strip();
        if (this.value.isEmpty()) {
            throw new IllegalArgumentException("empty API key");
        }
    }

    /** For the Authorization / x-api-key header only. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "[redacted]";
    }
}
