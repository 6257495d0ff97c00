package io.tiergate.gateway.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A future as a one-value {@link Publisher} whose cancellation cancels the future: the HTTP server
 * cancels its subscription when the client disconnects, and the gateway forgets the waiting call
 * (docs/gateway.md, "Correlation").
 */
final class FuturePublisher<T> implements Publisher<T> {

    private final CompletableFuture<T> future;

    FuturePublisher(CompletableFuture<T> future) {
        this.future = future;
    }

    @Override
    public void subscribe(Subscriber<? super T> subscriber) {
        AtomicBoolean done = new AtomicBoolean();
        subscriber.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    if (done.compareAndSet(false, true)) {
                        subscriber.onError(new IllegalArgumentException("request must be > 0 (reactive streams 3.9)"));
                    }
                    return;
                }
                future.whenComplete((value, error) -> {
                    if (!done.compareAndSet(false, true)) {
                        return;
                    }
                    if (error != null) {
                        subscriber.onError(error);
                    } else {
                        subscriber.onNext(value);
                        subscriber.onComplete();
                    }
                });
            }

            @Override
            public void cancel() {
                if (done.compareAndSet(false, true)) {
                    future.cancel(false);
                }
            }
        });
    }
}
