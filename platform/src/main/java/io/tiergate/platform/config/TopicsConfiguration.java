package io.tiergate.platform.config;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.tiergate.schemas.topics.TopicProvisioner;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code tiergate.topics.*}: partition counts and replication of the topics a service creates, so
 * scale-out is configuration (docs/architecture.md, "Flow"). Created and checked at start.
 *
 * @param defaultPartitions partitions of every topic {@code partitions} does not name
 * @param replicationFactor replicas of every topic (1 on a one-broker cluster)
 * @param partitions partitions per topic name
 */
@Context
@ConfigurationProperties(TopicsConfiguration.PREFIX)
public record TopicsConfiguration(int defaultPartitions, short replicationFactor, Map<String, Integer> partitions) {

    public static final String PREFIX = "tiergate.topics";

    /** The defaults: what a property left out gets. */
    public static final TopicsConfiguration DEFAULTS = new TopicsConfiguration(3, (short) 1, Map.of());

    public TopicsConfiguration {
        PropertyCheck check = PropertyCheck.under(PREFIX);
        check.positive("default-partitions", defaultPartitions);
        check.positive("replication-factor", replicationFactor);
        partitions = Map.copyOf(check.required("partitions", partitions));
        partitions.forEach(
                (topic, count) -> check.positive("partitions." + topic, check.required("partitions." + topic, count)));
        // a topic that must follow another's count is created with it (TopicProvisioner): a different
        // setting would be ignored, so it is refused
        for (var pair : new TreeMap<>(TopicProvisioner.SAME_PARTITIONS).entrySet()) {
            Integer own = partitions.get(pair.getKey());
            int partner = partitions.getOrDefault(pair.getValue(), defaultPartitions);
            if (own != null && own != partner) {
                throw check.invalid(
                        "partitions." + pair.getKey(),
                        "equal to the partition count of " + pair.getValue() + ", " + partner
                                + " (leave it out: it follows " + pair.getValue()
                                + "; docs/architecture.md, \"Topics\")",
                        own);
            }
        }
    }

    @ConfigurationInject
    static TopicsConfiguration bind(
            Optional<Integer> defaultPartitions,
            Optional<Short> replicationFactor,
            Optional<Map<String, Integer>> partitions) {
        return new TopicsConfiguration(
                defaultPartitions.orElse(DEFAULTS.defaultPartitions),
                replicationFactor.orElse(DEFAULTS.replicationFactor),
                partitions.orElse(DEFAULTS.partitions));
    }

    public int partitionsFor(String topic) {
        return partitions.getOrDefault(topic, defaultPartitions);
    }
}
