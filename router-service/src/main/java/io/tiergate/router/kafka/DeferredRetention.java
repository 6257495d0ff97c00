package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code inference.deferred} long enough (docs/budgets.md, "Deferral"): its {@code retention.ms}
 * must be at least one budget period plus {@code defer-max-age}, or a deferral could be deleted before
 * the releaser releases or rejects it. Whoever created the topic (any service provisions every topic,
 * with the broker's default retention), the router raises a shorter retention at start and never
 * lowers one; a retention it cannot raise stops the start.
 */
final class DeferredRetention {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredRetention.class);

    private DeferredRetention() {}

    /** Raises the retention of inference.deferred to {@code required} if it is shorter; returns the retention in force. */
    static long ensure(KafkaClientSettings client, Duration required) {
        String topic = Topics.INFERENCE_DEFERRED.name();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(client.base())) {
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource);
            long current =
                    Long.parseLong(config.get(TopicConfig.RETENTION_MS_CONFIG).value());
            if (current < 0 || current >= required.toMillis()) {
                return current;
            }
            AlterConfigOp raise = new AlterConfigOp(
                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(required.toMillis())),
                    AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(raise)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            LOG.info(
                    "Raised retention.ms of {} from {} to {} ms (one budget period + tiergate.router.defer-max-age)",
                    topic,
                    current,
                    required.toMillis());
            return required.toMillis();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the retention of " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                LOG.warn(
                        "{} does not exist yet (tiergate.topics.provision=false?): create it with retention.ms >= {}",
                        topic,
                        required.toMillis());
                return -1;
            }
            throw new IllegalStateException(
                    "Cannot make the retention of " + topic + " at least " + required.toMillis()
                            + " ms (one budget period + tiergate.router.defer-max-age); deferrals older than its"
                            + " retention would be lost. Set retention.ms on the topic yourself or grant the router"
                            + " AlterConfigs: " + e.getMessage(),
                    e);
        }
    }
}
