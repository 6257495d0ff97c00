package io.tiergate.schemas.serde;

/** Configuration keys of the serde; the registry ones are Confluent's, so configs carry over. */
public final class SerdeConfig {

    /** {@code http(s)://host:port[,…]} for a Confluent-compatible registry, or {@code mock://scope}. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Register the writer schema on first use (default true). Off: the schema must already exist. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** {@code user:password} for HTTP basic auth against the registry. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /**
     * Where Confluent's serdes take the basic-auth credentials from; {@value #USER_INFO}, the only
     * source this project uses, means {@link #BASIC_AUTH_USER_INFO}. Set with it, so a config carries
     * over to Confluent's serdes unchanged.
     */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    /** The value of {@link #BASIC_AUTH_CREDENTIALS_SOURCE} that names {@link #BASIC_AUTH_USER_INFO}. */
    public static final String USER_INFO = "USER_INFO";
    /** Fully qualified class of the specific record a deserializer produces (value side). */
    public static final String VALUE_TYPE = "tiergate.avro.value.type";
    /** Fully qualified class of the specific record a deserializer produces (key side). */
    public static final String KEY_TYPE = "tiergate.avro.key.type";

    private SerdeConfig() {}
}
