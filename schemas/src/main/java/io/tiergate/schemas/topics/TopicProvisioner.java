package io.tiergate.schemas.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates every topic of the design and its dead-letter twin, idempotently: existing topics are
 * left as they are (partition counts are never changed behind an operator's back).
 *
 * <p>Some topics must have another topic's partition count ({@link #SAME_PARTITIONS}): the ledger
 * reads an {@code AttemptStarted} and the cost event that settles it in one task, which needs both
 * keyed by request id <i>and</i> the same partition count (docs/architecture.md, "Topics"). Such a
 * topic is created with its partner's count (whatever its own configured count says), and {@link
 * #ensureAll()} refuses — {@link PartitionMismatchException}, naming both topics and counts — when
 * the two exist with different counts, so no service starts on a cluster where the join is wrong.
 */
public final class TopicProvisioner {

    /** Topic → the topic whose partition count it must have. */
    public static final Map<String, String> SAME_PARTITIONS =
            Map.of(Topics.INFERENCE_ATTEMPTS.name(), Topics.INFERENCE_COSTS.name());

    /** Two topics that must have one partition count have different ones. */
    public static final class PartitionMismatchException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PartitionMismatchException(String topic, int topicPartitions, String partner, int partnerPartitions) {
            super(topic + " has " + topicPartitions + " partition(s) but " + partner + " has " + partnerPartitions
                    + ": they must have the same partition count (an attempt and the cost event settling it are"
                    + " joined by request id in one ledger task; docs/architecture.md, \"Topics\"). Add partitions to"
                    + " the smaller one (kafka-topics.sh --alter --topic "
                    + (topicPartitions < partnerPartitions ? topic : partner) + " --partitions "
                    + Math.max(topicPartitions, partnerPartitions) + ") before starting the services");
        }
    }

    private final Admin admin;
    private final ToIntFunction<String> partitions;
    private final short replicationFactor;
    private final Collection<Topic<?>> topics;
    private final Map<String, String> samePartitions;

    /**
     * @param partitions partition count per topic name (configuration, not code)
     */
    public TopicProvisioner(Admin admin, ToIntFunction<String> partitions, short replicationFactor) {
        this(admin, partitions, replicationFactor, Topics.ALL, SAME_PARTITIONS);
    }

    /** For tests: other topics, other pairs. */
    TopicProvisioner(
            Admin admin,
            ToIntFunction<String> partitions,
            short replicationFactor,
            Collection<Topic<?>> topics,
            Map<String, String> samePartitions) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.topics = List.copyOf(topics);
        this.samePartitions = Map.copyOf(samePartitions);
    }

    /**
     * Ensures all topics exist; returns the names it created.
     *
     * @throws PartitionMismatchException when two topics of {@link #SAME_PARTITIONS} differ
     */
    public List<String> ensureAll() {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Map<String, Integer> counts = partitionCounts(existing);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?> topic : topics) {
                if (!existing.contains(topic.name())) {
                    Map<String, String> configs = new HashMap<>();
                    configs.put(
                            TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanup().policy());
                    if (topic.retention() != null) {
                        configs.put(
                                TopicConfig.RETENTION_MS_CONFIG,
                                String.valueOf(topic.retention().toMillis()));
                    }
                    missing.add(
                            new NewTopic(topic.name(), counts.get(topic.name()), replicationFactor).configs(configs));
                }
                if (!existing.contains(topic.dlq())) {
                    // dead letters keep the original bytes for a week; one partition is plenty
                    missing.add(new NewTopic(topic.dlq(), 1, replicationFactor)
                            .configs(Map.of(
                                    TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TimeUnit.DAYS.toMillis(7)))));
                }
            }
            Set<String> described = new java.util.HashSet<>(existing);
            List<String> created = missing.isEmpty() ? List.of() : create(missing, described);
            requireSamePartitions(described, counts);
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot list, describe or create topics: " + e.getMessage(), e);
        }
    }

    /**
     * The partition count each topic has or will be created with: a topic of {@link
     * #SAME_PARTITIONS} gets its partner's (existing, else configured) count.
     */
    private Map<String, Integer> partitionCounts(Set<String> existing)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> partnersThatExist = samePartitions.values().stream()
                .filter(existing::contains)
                .distinct()
                .toList();
        Map<String, Integer> actual = describe(partnersThatExist);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Topic<?> topic : topics) {
            counts.put(topic.name(), partitions.applyAsInt(topic.name()));
        }
        samePartitions.forEach((topic, partner) -> {
            int partnerCount = actual.getOrDefault(partner, partitions.applyAsInt(partner));
            counts.put(partner, partnerCount);
            counts.put(topic, partnerCount);
        });
        return counts;
    }

    /** Creates the topics; a topic another instance created meanwhile is added to {@code existing}. */
    private List<String> create(List<NewTopic> missing, Set<String> existing)
            throws InterruptedException, TimeoutException {
        List<String> created = new ArrayList<>();
        var results = admin.createTopics(missing).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(30, TimeUnit.SECONDS);
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    existing.add(entry.getKey());
                } else {
                    throw new IllegalStateException(
                            "Cannot create topic " + entry.getKey() + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
            }
        }
        return created;
    }

    /**
     * Throws {@link PartitionMismatchException} for the first pair whose counts differ. Topics that
     * existed are described; those just created have the count they were created with (a topic
     * another instance created meanwhile got the same count: it is derived the same way).
     */
    private void requireSamePartitions(Set<String> existing, Map<String, Integer> created)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Integer> actual = describe(
                java.util.stream.Stream.concat(samePartitions.keySet().stream(), samePartitions.values().stream())
                        .filter(existing::contains)
                        .distinct()
                        .toList());
        for (var pair : new TreeMap<>(samePartitions).entrySet()) {
            int topic = actual.getOrDefault(pair.getKey(), created.get(pair.getKey()));
            int partner = actual.getOrDefault(pair.getValue(), created.get(pair.getValue()));
            if (topic != partner) {
                throw new PartitionMismatchException(pair.getKey(), topic, pair.getValue(), partner);
            }
        }
    }

    /** Partition counts of existing topics; retried while a just-created topic is not in every broker's metadata. */
    private Map<String, Integer> describe(List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Integer> out = new HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                Map<String, TopicDescription> described =
                        admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
                described.forEach((name, d) -> out.put(name, d.partitions().size()));
                return out;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }
}
