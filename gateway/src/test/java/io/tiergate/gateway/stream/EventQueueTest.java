package io.tiergate.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** The streamed response's events: buffered until asked for, in order, never more than asked. */
class EventQueueTest {

    private final AtomicInteger cancels = new AtomicInteger();
    private final EventQueue queue = new EventQueue(cancels::incrementAndGet);
    private final List<String> received = new ArrayList<>();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final AtomicReference<Subscription> subscription = new AtomicReference<>();

    private void subscribe() {
        queue.subscribe(new Subscriber<String>() {
            @Override
            public void onSubscribe(Subscription s) {
                subscription.set(s);
            }

            @Override
            public void onNext(String s) {
                received.add(s);
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void onComplete() {
                completed.set(true);
            }
        });
    }

    @Test
    void eventsPushedBeforeTheSubscriptionAreDeliveredAsAskedThenTheEnd() {
        queue.push("a");
        queue.push("b");
        subscribe();
        assertThat(received).isEmpty();

        subscription.get().request(1);
        assertThat(received).containsExactly("a");

        queue.push("c");
        queue.complete();
        assertThat(completed).isFalse();
        subscription.get().request(Long.MAX_VALUE);
        assertThat(received).containsExactly("a", "b", "c");
        assertThat(completed).isTrue();
    }

    @Test
    void cancellingRunsTheCallbackOnceAndDropsWhatComesAfter() {
        subscribe();
        subscription.get().request(10);
        queue.push("a");

        subscription.get().cancel();
        subscription.get().cancel();
        queue.push("b");
        queue.complete();

        assertThat(cancels).hasValue(1);
        assertThat(received).containsExactly("a");
        assertThat(completed).isFalse();
    }
}
