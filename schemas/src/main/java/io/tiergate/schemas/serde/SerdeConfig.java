package io.tiergate.schemas.serde;

/** Configuration keys of the serde; the registry ones are Confluent's, so configs carry over. */
public final class SerdeConfig {

    /** {@code http(s)://host:port[,…]} for a Confluent-compatible registry, or {@code mock://scope}. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Register the writer schema on first use (default true). Off: the schema must already exist. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** {@code user:password} for HTTP basic auth against the registry. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Fully qualified class of the specific record a deserializer produces (value side). */
    public static final String VALUE_TYPE = "tiergate.avro.value.type";
    /** Fully qualified class of the specific record a deserializer produces (key side). */
    public static final String KEY_TYPE = "tiergate.avro.key.type";

    private SerdeConfig() {}
}
