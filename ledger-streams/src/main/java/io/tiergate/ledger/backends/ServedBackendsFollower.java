package io.tiergate.ledger.backends;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.TopicProvisioning;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicFollower;
import io.tiergate.schemas.topics.Topics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link ServedBackends} from inference.costs (committed events only; no consumer group,
 * nothing committed, so it needs only the read access the ledger has): the last day of calls at
 * start, then what is appended. Not part of the ledger's Kafka Streams topology: it bills nothing,
 * it only tells the dashboard what served.
 */
@Context // started with the service: the dashboard asks from its first refresh
public class ServedBackendsFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServedBackendsFollower.class);
    static final Duration LOOK_BACK = Duration.ofDays(1);

    private final KafkaClientSettings settings;
    private final ServedBackends backends;
    private TopicFollower follower;

    /**
     * @param topics present unless {@code tiergate.topics.provision=false}; injected so inference.costs
     *     exists before the reader is positioned on it
     */
    public ServedBackendsFollower(
            KafkaClientSettings settings, ServedBackends backends, @Nullable TopicProvisioning topics) {
        this.settings = settings;
        this.backends = backends;
    }

    @PostConstruct
    void start() {
        EventDecoder decoder = new EventDecoder(settings);
        follower = TopicFollower.start(
                settings,
                ReadSpec.of("tiergate-ledger-served-backends-"
                                + UUID.randomUUID().toString().substring(0, 8))
                        .readCommitted(true)
                        .topic(Topics.INFERENCE_COSTS, StartAt.at(System.currentTimeMillis() - LOOK_BACK.toMillis())),
                record -> {
                    if (record.value() == null) {
                        return;
                    }
                    try {
                        backends.accept(decoder.decode(Topics.INFERENCE_COSTS, record));
                    } catch (EventDecoder.DecodeException e) {
                        // the ledger's topology dead-letters bad cost events; the notice just skips them
                        LOG.debug("served backends: skipped an undecodable cost event: {}", e.getMessage());
                    }
                });
    }

    /** Whether the reader has read what was on the topic when it started. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** Throws when the reader stopped on a failure. */
    public void check() {
        follower.check();
    }

    @PreDestroy
    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
    }
}
