package io.tiergate.platform.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.tiergate.platform.config.TopicsConfiguration;
import io.tiergate.schemas.topics.TopicProvisioner;
import jakarta.annotation.PostConstruct;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the design's topics (and their {@code .dlq} twins) at service start, idempotently, so any
 * service can be started first. Disabled with {@code tiergate.topics.provision=false}.
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
    }
}
