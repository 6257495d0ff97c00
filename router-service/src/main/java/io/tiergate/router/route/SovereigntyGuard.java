package io.tiergate.router.route;

import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.policy.SovereigntyRule;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;

/**
 * Defence in depth for the sovereignty invariant: the last check right before a record is handed to
 * the producer. Anything bound for a cloud topic ({@link Topics#CLOUD_TOPICS}) must be a
 * {@link RoutedRequest} that is not sovereign by any of its three flags (the decision's, the
 * request's {@code requiresDataSovereignty}, the classifier's {@code containsSensitiveData}):
 * {@link SovereigntyRule#isSovereign(RoutedRequest)}.
 */
public final class SovereigntyGuard implements EventSink {

    private final EventSink delegate;
    private final Runnable onBlocked;

    public SovereigntyGuard(EventSink delegate, Runnable onBlocked) {
        this.delegate = delegate;
        this.onBlocked = onBlocked;
    }

    @Override
    public <V extends SpecificRecord> CompletableFuture<?> send(
            Topic<V> topic, String key, V value, Map<String, byte[]> headers) {
        try {
            check(topic, value);
        } catch (CloudSendRefusedException e) {
            onBlocked.run();
            throw e;
        }
        return delegate.send(topic, key, value, headers);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    /** @throws CloudSendRefusedException when {@code value} must not go to {@code topic} */
    public static void check(Topic<?> topic, Object value) {
        boolean cloud = Topics.CLOUD_TOPICS.stream().anyMatch(t -> t.name().equals(topic.name()));
        if (!cloud) {
            return;
        }
        if (!(value instanceof RoutedRequest routed)) {
            throw new CloudSendRefusedException("only routed requests may be written to " + topic.name());
        }
        if (SovereigntyRule.isSovereign(routed)) {
            throw new CloudSendRefusedException("refused to write sovereign request "
                    + routed.getClassified().getRequest().getRequestId() + " to " + topic.name());
        }
    }
}
