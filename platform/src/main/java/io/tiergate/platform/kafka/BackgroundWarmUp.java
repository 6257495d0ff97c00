package io.tiergate.platform.kafka;

import io.tiergate.schemas.topics.Topic;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Best-effort work per topic on a daemon thread at a hop's start (registry ids, partition metadata),
 * so the hop's first record does not wait for it. A topic whose step fails is left to the first
 * record, which does the same work as before.
 */
final class BackgroundWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWarmUp.class);

    private BackgroundWarmUp() {}

    /** Starts {@code threadName}, which runs {@code step} for each of {@code topics} in order. */
    static void start(String threadName, Collection<? extends Topic<?>> topics, Consumer<Topic<?>> step) {
        List<Topic<?>> each = List.copyOf(topics);
        Thread thread = new Thread(
                () -> {
                    for (Topic<?> topic : each) {
                        try {
                            step.accept(topic);
                        } catch (RuntimeException e) {
                            LOG.debug("Could not warm up {} ({}): {}", topic.name(), threadName, e.toString());
                        }
                    }
                },
                threadName);
        thread.setDaemon(true);
        thread.start();
    }
}
