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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    private static final Duration RETRY = Duration.ofSeconds(5);

    private final KafkaClientSettings settings;
    private final ServedBackends backends;
    private final CountDownLatch ready = new CountDownLatch(1);
    private TopicFollower follower;
    private volatile boolean closed;

    /**
     * @param topics present unless {@code tiergate.topics.provision=false}; injected so inference.costs
     *     exists before the reader is positioned on it
     */
    public ServedBackendsFollower(
            KafkaClientSettings settings, ServedBackends backends, @Nullable TopicProvisioning topics) {
        this.settings = settings;
        this.backends = backends;
    }

    /**
     * Starts the reader on its own thread, so the service starts (and its configuration is checked)
     * without waiting for a broker; until a broker answers it retries every {@link #RETRY}.
     */
    @PostConstruct
    void start() {
        Thread starter = new Thread(this::startReading, "tiergate-ledger-served-backends-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void startReading() {
        while (!closed) {
            try {
                TopicFollower started = follow();
                synchronized (this) {
                    if (closed) {
                        started.close();
                    } else {
                        follower = started;
                    }
                }
                ready.countDown();
                return;
            } catch (RuntimeException e) {
                LOG.info("served backends: no broker answered yet ({}); retrying in {}", e.toString(), RETRY);
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private TopicFollower follow() {
        EventDecoder decoder = new EventDecoder(settings);
        return TopicFollower.start(
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

    /** Whether the reader has started and read what was on the topic when it started. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        return current().awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Throws when the reader stopped on a failure. */
    public void check() {
        TopicFollower f = current();
        if (f != null) {
            f.check();
        }
    }

    private synchronized TopicFollower current() {
        return follower;
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        closed = true;
        if (follower != null) {
            follower.close();
        }
    }
}
