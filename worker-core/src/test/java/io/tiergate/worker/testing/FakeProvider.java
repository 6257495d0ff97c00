package io.tiergate.worker.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local HTTP server that answers like a model provider, replaying fixture files byte for byte:
 * whole JSON bodies, SSE streams written event by event (flushed), errors with headers, delays
 * (timeouts), and connections dropped mid-body.
 */
public final class FakeProvider implements AutoCloseable {

    /** One scripted answer. */
    public static final class Reply {
        int status = 200;
        final Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        Duration delay = Duration.ZERO;
        Duration betweenEvents = Duration.ZERO;
        boolean sse;
        boolean dropMidBody;

        public static Reply json(int status, String fixture) {
            Reply r = new Reply();
            r.status = status;
            r.body = fixture(fixture);
            r.headers.put("content-type", "application/json");
            return r;
        }

        public static Reply sse(String fixture) {
            Reply r = new Reply();
            r.body = fixture(fixture);
            r.sse = true;
            r.headers.put("content-type", "text/event-stream");
            return r;
        }

        public static Reply body(int status, String contentType, String body) {
            Reply r = new Reply();
            r.status = status;
            r.body = body.getBytes(StandardCharsets.UTF_8);
            r.headers.put("content-type", contentType);
            return r;
        }

        public Reply header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Reply delay(Duration d) {
            this.delay = d;
            return this;
        }

        public Reply betweenEvents(Duration d) {
            this.betweenEvents = d;
            return this;
        }

        /** Announces the full length, sends half, and closes the connection. */
        public Reply dropMidBody() {
            this.dropMidBody = true;
            return this;
        }
    }

    /** A request the server received. */
    public record Received(String method, String path, Map<String, String> headers, String body) {}

    private final HttpServer server;
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private volatile InvoiceRecorder invoice;
    private volatile Function<Received, Reply> otherwise = r -> Reply.body(500, "text/plain", "no reply scripted");

    public FakeProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-provider");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public static byte[] fixture(String name) {
        try (InputStream in = FakeProvider.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers the next request with {@code reply} (FIFO). */
    public FakeProvider then(Reply reply) {
        script.add(reply);
        return this;
    }

    /** Answers requests with nothing scripted. */
    public FakeProvider otherwise(Function<Received, Reply> replies) {
        this.otherwise = replies;
        return this;
    }

    /** Charges every successful reply with usage to {@code recorder} (see {@link InvoiceRecorder}). */
    public FakeProvider invoicing(InvoiceRecorder recorder) {
        this.invoice = recorder;
        return this;
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        Received request = new Received(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                headers,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        received.add(request);
        Reply reply = script.poll();
        if (reply == null) {
            reply = otherwise.apply(request);
        }
        InvoiceRecorder recorder = invoice;
        if (recorder != null) { // charged when served, whether or not the client reads it all
            recorder.served(
                    reply.status,
                    reply.headers.getOrDefault("content-type", ""),
                    new String(reply.body, StandardCharsets.UTF_8));
        }
        try {
            if (!reply.delay.isZero()) {
                Thread.sleep(reply.delay.toMillis());
            }
            reply.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (reply.dropMidBody) {
                exchange.sendResponseHeaders(reply.status, reply.body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(reply.body, 0, reply.body.length / 2);
                out.flush();
                exchange.close(); // fewer bytes than announced: the client sees the connection end early
                return;
            }
            if (reply.sse) {
                exchange.sendResponseHeaders(reply.status, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    String text = new String(reply.body, StandardCharsets.UTF_8);
                    for (String event : text.split("(?<=\n\n)")) {
                        out.write(event.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        if (!reply.betweenEvents.isZero()) {
                            Thread.sleep(reply.betweenEvents.toMillis());
                        }
                    }
                }
                return;
            }
            exchange.sendResponseHeaders(reply.status, reply.body.length == 0 ? -1 : reply.body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (timeout tests): nothing to do
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
