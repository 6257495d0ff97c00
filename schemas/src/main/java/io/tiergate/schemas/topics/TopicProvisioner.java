package io.tiergate.schemas.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates every topic of the design and its dead-letter twin, idempotently: existing topics are
 * left as they are (partition counts are never changed behind an operator's back).
 */
public final class TopicProvisioner {

    private final Admin admin;
    private final ToIntFunction<String> partitions;
    private final short replicationFactor;

    /**
     * @param partitions partition count per topic name (configuration, not code)
     */
    public TopicProvisioner(Admin admin, ToIntFunction<String> partitions, short replicationFactor) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /** Ensures all topics exist; returns the names it created. */
    public List<String> ensureAll() {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topic<?> topic : Topics.ALL) {
            Map<String, String> configs = new HashMap<>();
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanup().policy());
            if (topic.retention() != null) {
                configs.put(
                        TopicConfig.RETENTION_MS_CONFIG,
                        String.valueOf(topic.retention().toMillis()));
            }
            wanted.add(new NewTopic(topic.name(), partitions.applyAsInt(topic.name()), replicationFactor)
                    .configs(configs));
            // dead letters keep the original bytes for a week; one partition is plenty
            wanted.add(new NewTopic(topic.dlq(), 1, replicationFactor)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TimeUnit.DAYS.toMillis(7)))));
        }
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return List.of();
            }
            List<String> created = new ArrayList<>();
            var results = admin.createTopics(missing).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "Cannot create topic " + entry.getKey() + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot list or create topics: " + e.getMessage(), e);
        }
    }
}
