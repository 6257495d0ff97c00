package io.tiergate.gateway.stream;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The events of one streamed response as a single-subscriber {@link Publisher}: pushed by the relay
 * whenever they come, buffered until the HTTP server subscribes and asks for them (a streamed answer
 * is short: the buffer is bounded by one answer). Cancelling (the client left) runs {@code onCancel}.
 */
final class EventQueue implements Publisher<String> {

    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger drains = new AtomicInteger();
    private final Runnable onCancel;
    private volatile Subscriber<? super String> subscriber;
    private volatile boolean completed;
    private volatile boolean cancelled;
    private boolean terminated; // only in drain

    EventQueue(Runnable onCancel) {
        this.onCancel = onCancel;
    }

    void push(String event) {
        if (!cancelled) {
            queue.add(event);
            drain();
        }
    }

    void complete() {
        completed = true;
        drain();
    }

    @Override
    public void subscribe(Subscriber<? super String> s) {
        synchronized (this) {
            if (subscriber != null) {
                s.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                s.onError(new IllegalStateException("a streamed response has one subscriber"));
                return;
            }
            subscriber = s;
        }
        s.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    cancel();
                    s.onError(new IllegalArgumentException("request must be > 0 (reactive streams 3.9)"));
                    return;
                }
                demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                drain();
            }

            @Override
            public void cancel() {
                if (!cancelled) {
                    cancelled = true;
                    queue.clear();
                    onCancel.run();
                }
            }
        });
        drain();
    }

    /** Delivers what is asked for; one thread at a time, the others leave their work to it. */
    private void drain() {
        if (drains.getAndIncrement() != 0) {
            return;
        }
        do {
            Subscriber<? super String> s = subscriber;
            if (s != null && !cancelled && !terminated) {
                while (demand.get() > 0 && !cancelled) {
                    String next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    demand.decrementAndGet();
                    s.onNext(next);
                }
                if (completed && queue.isEmpty() && !cancelled) {
                    terminated = true;
                    s.onComplete();
                }
            }
        } while (drains.decrementAndGet() != 0);
    }
}
