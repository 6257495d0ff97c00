package io.tiergate.platform.kafka;

import io.micronaut.context.annotation.Value;
import io.tiergate.schemas.serde.SerdeConfig;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where the cluster and the schema registry are, read once from configuration
 * ({@code kafka.bootstrap.servers}, {@code tiergate.schema-registry-url}), for the clients this
 * project builds itself (publisher, dead letters, workers' consumers, Streams).
 */
@Singleton
public class KafkaClientSettings {

  private final String bootstrapServers;
  private final String schemaRegistryUrl;
  private final String applicationName;

  public KafkaClientSettings(
      @Value("${kafka.bootstrap.servers}") String bootstrapServers,
      @Value("${tiergate.schema-registry-url}") String schemaRegistryUrl,
      @Value("${micronaut.application.name:tiergate}") String applicationName) {
    this.bootstrapServers = bootstrapServers;
    this.schemaRegistryUrl = schemaRegistryUrl;
    this.applicationName = applicationName;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  public String applicationName() {
    return applicationName;
  }

  /** bootstrap servers + registry URL: the common base of every client config. */
  public Map<String, Object> base() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(SerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    return config;
  }
}
