package io.tiergate.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A registry call failed. {@link #errorCode()} is Confluent's error code where the registry gave
 * one (40401 subject not found, 40402 version not found, 40403 schema not found, 409 incompatible,
 * 42201 invalid schema…),
 * else the HTTP status, else -1 for transport failures.
 */
public class SchemaRegistryException extends SerializationException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE = 409;
    public static final int INVALID_SCHEMA = 42201;

    private final int errorCode;
    private final boolean outage;

    public SchemaRegistryException(int errorCode, String message) {
        this(errorCode, message, null, false);
    }

    public SchemaRegistryException(int errorCode, String message, Throwable cause) {
        this(errorCode, message, cause, false);
    }

    private SchemaRegistryException(int errorCode, String message, Throwable cause, boolean outage) {
        super(message, cause);
        this.errorCode = errorCode;
        this.outage = outage;
    }

    /**
     * The registry could not answer, or would not let us ask: unreachable, timing out, 5xx or 429
     * after the retries, 401/403, interrupted. Not the fault of the record being decoded: a consumer
     * must retry it later, never dead-letter it.
     */
    public static SchemaRegistryException outage(int errorCode, String message, Throwable cause) {
        return new SchemaRegistryException(errorCode, message, cause, true);
    }

    /** The same failure (code, outage or not) told with more context; this one becomes the cause. */
    public SchemaRegistryException withContext(String message) {
        return new SchemaRegistryException(errorCode, message, this, outage);
    }

    public int errorCode() {
        return errorCode;
    }

    /** See {@link #outage(int, String, Throwable)}; false when the registry answered "no" (40403 …). */
    public boolean isOutage() {
        return outage;
    }

    /** True when {@code error} or one of its causes is a registry {@link #isOutage() outage}. */
    public static boolean isOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry && registry.outage) {
                return true;
            }
        }
        return false;
    }
}
