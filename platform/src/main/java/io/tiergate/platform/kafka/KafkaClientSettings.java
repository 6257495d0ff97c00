package io.tiergate.platform.kafka;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.tiergate.platform.kafka.security.KafkaClientSecurity;
import io.tiergate.schemas.serde.SerdeConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Where the cluster and the schema registry are and how to authenticate to both, read once from
 * configuration ({@code kafka.bootstrap.servers}, {@code tiergate.schema-registry-url}, and the
 * security properties and registry credentials of Micronaut's {@code kafka.*} configuration, which
 * {@code tiergate.kafka.client-config} extends: docs/security.md, "Client configuration"), for the
 * clients and serdes this project builds itself (publisher, dead letters, workers' consumers,
 * readers, admin, the decoders, the ledger's topology). Tools
 * without a Micronaut context (CLI, tests) construct it directly, the CLI with the properties of
 * {@code --command-config}; a tool that never decodes may pass a {@code null} registry URL.
 */
@Singleton
public class KafkaClientSettings {

    private final String bootstrapServers;
    private final String schemaRegistryUrl;
    private final String applicationName;
    private final KafkaClientSecurity security;

    /** The settings of a service: its client security is that of Micronaut's {@code kafka.*} configuration. */
    @Inject
    public KafkaClientSettings(
            @Value("${kafka.bootstrap.servers}") String bootstrapServers,
            @Value("${tiergate.schema-registry-url}") String schemaRegistryUrl,
            @Value("${micronaut.application.name:tiergate}") String applicationName,
            @Nullable KafkaDefaultConfiguration kafka) {
        this(
                bootstrapServers,
                schemaRegistryUrl,
                applicationName,
                kafka == null ? KafkaClientSecurity.none() : securityOf(kafka.getConfig()));
    }

    /** Settings without security (PLAINTEXT): tests and the embedded default. */
    public KafkaClientSettings(String bootstrapServers, String schemaRegistryUrl, String applicationName) {
        this(bootstrapServers, schemaRegistryUrl, applicationName, KafkaClientSecurity.none());
    }

    public KafkaClientSettings(
            String bootstrapServers, String schemaRegistryUrl, String applicationName, KafkaClientSecurity security) {
        this.bootstrapServers = bootstrapServers;
        this.schemaRegistryUrl = schemaRegistryUrl;
        this.applicationName = applicationName;
        this.security = security;
    }

    private static KafkaClientSecurity securityOf(java.util.Properties config) {
        Map<String, Object> values = new HashMap<>();
        config.stringPropertyNames().forEach(key -> values.put(key, config.getProperty(key)));
        return KafkaClientSecurity.fromConfiguration(values);
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

    /** The client security properties every client built from these settings gets. */
    public KafkaClientSecurity security() {
        return security;
    }

    /**
     * bootstrap servers, client security and the registry's serde config ({@link #serdeConfig()}):
     * the common base of every client config, so serdes a client configures itself authenticate too.
     */
    public Map<String, Object> base() {
        Map<String, Object> config = new HashMap<>(security.properties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(serdeConfig());
        return config;
    }

    /**
     * The registry URL (when there is one) and, when the client security carries registry
     * credentials, {@code basic.auth.credentials.source=USER_INFO} and {@code basic.auth.user.info}:
     * the base of every serde config, so every registry client of the process authenticates the same
     * way (docs/security.md, "Client configuration").
     */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>(security.registryAuth());
        if (schemaRegistryUrl != null) {
            config.put(SerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        }
        return config;
    }

    /**
     * A consumer that assigns itself partitions and reads them from positions it chooses: no consumer
     * group, nothing committed. {@code read_committed} skips what open or aborted transactions wrote
     * (ledger-streams and the workers write transactionally). A position that retention removed
     * under the reader restarts at the earliest record still there, never silently at the end. A
     * reader never creates a topic (a compacted one created by a reader's metadata request would get
     * the broker's defaults): a topic that does not exist reads as empty.
     */
    public Map<String, Object> readerConfig(String clientId, boolean readCommitted) {
        Map<String, Object> config = base();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return config;
    }

    /**
     * A member of consumer group {@code groupId} that commits its offsets itself (after its work is
     * durable); a group without committed offsets starts from the earliest record.
     */
    public Map<String, Object> groupConsumerConfig(String groupId, String clientId) {
        Map<String, Object> config = base();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }
}
