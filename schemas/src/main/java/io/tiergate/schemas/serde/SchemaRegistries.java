package io.tiergate.schemas.serde;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Picks the registry client for a {@code schema.registry.url}. */
public final class SchemaRegistries {

    public static final String MOCK_PREFIX = "mock://";

    private SchemaRegistries() {}

    public static SchemaRegistryClient forConfig(Map<String, ?> configs) {
        Object url = configs.get(SerdeConfig.SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SerdeConfig.SCHEMA_REGISTRY_URL
                    + " is required (http(s)://host:port of a Confluent-compatible registry, or mock://<scope>)");
        }
        String value = url.toString().trim();
        if (value.startsWith(MOCK_PREFIX)) {
            return MockSchemaRegistry.forScope(value.substring(MOCK_PREFIX.length()));
        }
        if (value.startsWith("http://") || value.startsWith("https://")) {
            return HttpSchemaRegistryClient.shared(value, configs);
        }
        throw new ConfigException(
                SerdeConfig.SCHEMA_REGISTRY_URL, value, "must start with http://, https:// or mock://");
    }
}
