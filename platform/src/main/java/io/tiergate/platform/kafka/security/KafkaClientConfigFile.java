package io.tiergate.platform.kafka.security;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Adds the security properties of the Kafka client config file named by {@code
 * tiergate.kafka.client-config} (environment: {@code TIERGATE_KAFKA_CLIENT_CONFIG}) to Micronaut's
 * default Kafka configuration ({@code kafka.*}) as it is created. Micronaut's listeners, producers
 * and Kafka Streams copy that configuration, and platform's {@code KafkaClientSettings} reads its
 * security properties from it, so every client of the service gets the same ones (docs/security.md,
 * "Client configuration"). A key set both in the file and as {@code kafka.<key>} to different values
 * stops the start, naming the key: two places must not silently disagree.
 */
@Singleton
public class KafkaClientConfigFile implements BeanCreatedEventListener<KafkaDefaultConfiguration> {

    private final String file;

    public KafkaClientConfigFile(@Value("${tiergate.kafka.client-config:}") String file) {
        this.file = file;
    }

    @Override
    public KafkaDefaultConfiguration onCreated(BeanCreatedEvent<KafkaDefaultConfiguration> event) {
        KafkaDefaultConfiguration configuration = event.getBean();
        if (file == null || file.isBlank()) {
            return configuration;
        }
        KafkaClientSecurity security;
        try {
            security = KafkaClientSecurity.fromFile(Path.of(file.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tiergate.kafka.client-config: " + e.getMessage(), e);
        }
        merge(configuration.getConfig(), security.properties());
        return configuration;
    }

    static void merge(Properties target, Map<String, String> security) {
        security.forEach((key, value) -> {
            Object existing = target.get(key);
            if (existing != null && !existing.toString().trim().equals(value)) {
                throw new IllegalArgumentException("tiergate.kafka.client-config sets '" + key + "', which kafka." + key
                        + " also sets to a different value: set it in one place");
            }
            target.put(key, value);
        });
    }
}
