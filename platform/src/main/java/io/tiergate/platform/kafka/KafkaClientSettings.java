package io.tiergate.platform.kafka;

import io.micronaut.context.annotation.Value;
import io.tiergate.schemas.serde.SerdeConfig;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Where the cluster and the schema registry are, read once from configuration
 * ({@code kafka.bootstrap.servers}, {@code tiergate.schema-registry-url}), for the clients this
 * project builds itself (publisher, dead letters, workers' consumers, readers, Streams). Tools
 * without a Micronaut context (CLI, tests) construct it directly; a tool that never decodes may pass
 * a {@code null} registry URL.
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

    /** bootstrap servers + registry URL (when there is one): the common base of every client config. */
    public Map<String, Object> base() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
