package io.tiergate.platform.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.tiergate.platform.config.TopicsConfiguration;
import io.tiergate.schemas.registry.TopicSchemas;
import io.tiergate.schemas.serde.SchemaRegistries;
import io.tiergate.schemas.topics.TopicProvisioner;
import jakarta.annotation.PostConstruct;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the design's topics (and their {@code .dlq} twins) and registers their value schemas at service
 * start, idempotently, so any service can be started first. Disabled with {@code tiergate.topics.provision=false}.
 */
@Context
@Requires(notEnv = Environment.CLI)
@Requires(property = "tiergate.topics.provision", notEquals = "false")
public class TopicProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioning.class);

    private final KafkaClientSettings settings;
    private final TopicsConfiguration topics;

    public TopicProvisioning(KafkaClientSettings settings, TopicsConfiguration topics) {
        this.settings = settings;
        this.topics = topics;
    }

    @PostConstruct
    void provision() {
        try (Admin admin = Admin.create(settings.base())) {
            List<String> created =
                    new TopicProvisioner(admin, topics::partitionsFor, topics.replicationFactor()).ensureAll();
            if (!created.isEmpty()) {
                LOG.info("Created topics {}", created);
            }
        }
        registerSchemas();
    }

    /**
     * Every topic's value schema under {@code <topic>-value}, so producers in other languages find them on a
     * fresh registry. A registry that is down or refuses a schema does not stop the service: its own
     * serializers register what they send, and report the refusal there (docs/decisions.md, "A registry outage
     * is not bad input").
     */
    private void registerSchemas() {
        if (settings.schemaRegistryUrl() == null || settings.schemaRegistryUrl().isBlank()) {
            return;
        }
        try {
            int registered = new TopicSchemas(SchemaRegistries.forConfig(settings.base()))
                    .registerAll()
                    .size();
            LOG.info("Value schemas of {} topics registered at {}", registered, settings.schemaRegistryUrl());
        } catch (RuntimeException e) {
            LOG.warn(
                    "Cannot register the topics' value schemas at {} now (producers register on first send): {}",
                    settings.schemaRegistryUrl(),
                    e.toString());
        }
    }
}
