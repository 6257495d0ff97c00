package io.tiergate.worker.http;

import io.tiergate.worker.backend.ModelCallException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * POSTs JSON to a model API and hands the answer back line by line (NDJSON, SSE, or one JSON body)
 * under three deadlines: the response head within the endpoint's first-byte timeout, each further
 * line within its idle timeout, and everything within the call's timeout. The JDK client pushes
 * lines into a queue; the calling thread pulls them with a timeout, so a silent server is always
 * abandoned (the exchange is cancelled, which closes the connection) instead of blocking a worker
 * thread. A non-2xx answer is read to the end and thrown as {@link HttpErrors#status}.
 *
 * <p>Transport failures are typed for the callers' retry and circuit rules: nothing listening is
 * retryable {@code unreachable}; a failure before the response head retryable {@code io_error}; a
 * body that breaks off MALFORMED; a deadline TIMEOUT. Thread-safe; one instance per worker.
 */
public final class ModelHttp {

    private final HttpClient client;
    private final Clock clock;

    public ModelHttp(Duration connectTimeout) {
        this(connectTimeout, Clock.systemUTC());
    }

    /** {@code clock} reads Retry-After dates. */
    public ModelHttp(Duration connectTimeout, Clock clock) {
        this.client = newClient(connectTimeout);
        this.clock = clock;
    }

    /**
     * The client model servers are called with. HTTP/1.1 explicitly: over plain {@code http://} the
     * JDK client would otherwise offer an h2c upgrade, which some local servers answer badly;
     * streaming needs nothing HTTP/2 offers. Redirects are not followed (a key must not travel on).
     */
    public static HttpClient newClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * POSTs {@code json} to {@code path} of {@code endpoint} with {@code content-type} JSON,
     * {@code accept}, the endpoint's extra headers, then {@code protocolHeaders} (auth, API version),
     * and waits for a 2xx response head; the caller reads and closes the exchange.
     *
     * @param timeout the whole call's deadline, from now to the last byte
     */
    public Exchange post(
            HttpEndpoint endpoint,
            String path,
            Map<String, String> protocolHeaders,
            String accept,
            byte[] json,
            Duration timeout)
            throws ModelCallException {
        URI uri = endpoint.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        endpoint.headers().forEach(request::header);
        protocolHeaders.forEach(request::header);
        Exchange exchange = new Exchange(endpoint, timeout);
        exchange.send(client, request.build());
        if (exchange.status() / 100 != 2) {
            try (exchange) {
                throw HttpErrors.status(
                        exchange.status(), exchange.headers(), exchange.remainingBody(), uri, endpoint, clock);
            }
        }
        return exchange;
    }

    /** One answered request whose body is being read; close it when done (closing early cancels it). */
    public static final class Exchange implements AutoCloseable {

        private static final Object END = new Object();

        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final long startNanos = System.nanoTime();
        private final HttpEndpoint endpoint;
        private final Duration timeout;
        private volatile CompletableFuture<HttpResponse<Void>> pending;
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;
        private boolean ended;
        private int status = -1;
        private HttpHeaders headers;

        private Exchange(HttpEndpoint endpoint, Duration timeout) {
            this.endpoint = endpoint;
            this.timeout = timeout;
        }

        private void send(HttpClient client, HttpRequest request) throws ModelCallException {
            pending = client.sendAsync(request, info -> {
                queue.add(new Head(info.statusCode(), info.headers()));
                return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines());
            });
            pending.whenComplete((response, error) -> {
                if (error != null) {
                    queue.add(new Failure(unwrap(error)));
                }
            });
            Object first = poll(endpoint.firstByteTimeout(), "no response head");
            if (first instanceof Failure f) {
                close();
                throw failure(f.error());
            }
            Head head = (Head) first;
            status = head.status();
            headers = head.headers();
        }

        public int status() {
            return status;
        }

        public HttpHeaders headers() {
            return headers;
        }

        /** Time since the request was sent. */
        public Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        /** The next line of the body (without its line break), or null at its end. */
        public String nextLine() throws ModelCallException {
            if (ended) {
                return null;
            }
            Object item = poll(endpoint.idleTimeout(), "no data");
            if (item == END) {
                ended = true;
                return null;
            }
            if (item instanceof Failure f) {
                throw failure(f.error());
            }
            return (String) item;
        }

        /** The rest of the body, lines joined with {@code \n} (a JSON answer, an error body). */
        public String remainingBody() throws ModelCallException {
            List<String> parts = new ArrayList<>();
            for (String line = nextLine(); line != null; line = nextLine()) {
                parts.add(line);
            }
            return String.join("\n", parts);
        }

        private Object poll(Duration step, String what) throws ModelCallException {
            long remainingTotal = timeout.toNanos() - (System.nanoTime() - startNanos);
            long stepNanos = step == null ? Long.MAX_VALUE : step.toNanos();
            long wait = Math.min(stepNanos, Math.max(0, remainingTotal));
            Object item;
            try {
                item = queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw ModelCallException.timeout("interrupted while waiting for " + endpoint.baseUrl(), e);
            }
            if (item == null) {
                close();
                boolean total = remainingTotal <= stepNanos;
                throw ModelCallException.timeout(
                        what + " from " + endpoint.baseUrl() + " within "
                                + (total ? "the call's timeout " + timeout : step),
                        null);
            }
            return item;
        }

        private ModelCallException failure(Throwable error) {
            String detail = Redactor.clean(String.valueOf(error), endpoint.apiKey());
            if (error instanceof HttpTimeoutException) {
                return ModelCallException.timeout("timed out talking to " + endpoint.baseUrl() + ": " + detail, error);
            }
            if (isUnreachable(error)) {
                return ModelCallException.retryable(
                        "unreachable", "nothing answers at " + endpoint.baseUrl() + " (" + detail + ")", null, null);
            }
            if (status < 0) {
                return ModelCallException.retryable(
                        "io_error", "transport error talking to " + endpoint.baseUrl() + ": " + detail, null, null);
            }
            return ModelCallException.malformed(
                    "the response from " + endpoint.baseUrl() + " broke off: " + detail, error);
        }

        private static boolean isUnreachable(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
                    return true;
                }
            }
            return false;
        }

        private static Throwable unwrap(Throwable error) {
            Throwable t = error;
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            return t instanceof IOException || t instanceof RuntimeException ? t : error;
        }

        /**
         * Cancels the exchange if its body was not read to the end: the body's subscription once it
         * has one (which closes the connection), else the request itself. A body read to the end is
         * left alone: its connection goes back to the client's pool, and cancelling the exchange then
         * would close it under the next request.
         */
        @Override
        public void close() {
            if (ended) {
                return;
            }
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
                return;
            }
            CompletableFuture<HttpResponse<Void>> p = pending;
            if (p != null) {
                p.cancel(true);
            }
        }

        private record Head(int status, HttpHeaders headers) {}

        private record Failure(Throwable error) {}

        private final class Lines implements Flow.Subscriber<String> {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                if (cancelled) {
                    s.cancel();
                } else {
                    s.request(Long.MAX_VALUE);
                }
            }

            @Override
            public void onNext(String line) {
                queue.add(line);
            }

            @Override
            public void onError(Throwable error) {
                queue.add(new Failure(error));
            }

            @Override
            public void onComplete() {
                queue.add(END);
            }
        }
    }
}
