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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local HTTP server that replays documented model-server responses (fixtures under
 * {@code src/test/resources/fixtures}) the way the real servers send them: NDJSON and SSE bodies
 * chunked line by line with flushes, error statuses with their JSON bodies, and the failure modes a
 * client must survive (a connection cut mid-body, a server that never answers).
 */
public final class FakeModelServer implements AutoCloseable {

    /** How a reply ends. */
    public enum Ending {
        /** The whole body, then a clean end. */
        COMPLETE,
        /** Announces more bytes than it sends, then drops the connection. */
        CUT_CONNECTION,
        /** Sends the head (and body lines, if any), then goes silent until the server stops. */
        HANG
    }

    /** One scripted reply. */
    public record Reply(int status, String contentType, List<String> lines, Duration lineDelay, Ending ending) {
        public static Reply json(int status, String body) {
            return new Reply(status, "application/json; charset=utf-8", List.of(body), Duration.ZERO, Ending.COMPLETE);
        }

        public static Reply ndjson(String body) {
            return new Reply(200, "application/x-ndjson", splitKeepingNewlines(body), Duration.ZERO, Ending.COMPLETE);
        }

        public static Reply sse(String body) {
            return new Reply(200, "text/event-stream", splitKeepingNewlines(body), Duration.ZERO, Ending.COMPLETE);
        }

        public Reply withLineDelay(Duration delay) {
            return new Reply(status, contentType, lines, delay, ending);
        }

        public Reply endingWith(Ending how) {
            return new Reply(status, contentType, lines, lineDelay, how);
        }
    }

    /** A request the server received. */
    public record Received(String method, String path, String body) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Function<Received, Reply>> routes = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile InvoiceRecorder invoice;

    public FakeModelServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeModelServer on(String method, String path, Reply reply) {
        return on(method, path, r -> reply);
    }

    public FakeModelServer on(String method, String path, Function<Received, Reply> reply) {
        routes.put(method + " " + path, reply);
        return this;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Charges every successful reply with usage to {@code recorder} (see {@link InvoiceRecorder}). */
    public FakeModelServer invoicing(InvoiceRecorder recorder) {
        this.invoice = recorder;
        return this;
    }

    /** The most requests the server was working on at the same time. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** A fixture's text. */
    public static String fixture(String name) {
        try (InputStream in = FakeModelServer.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received request = new Received(
                    exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
            received.add(request);
            Function<Received, Reply> route = routes.get(request.method() + " " + request.path());
            Reply reply = route != null
                    ? route.apply(request)
                    : Reply.json(404, "{\"error\":\"no route " + request.method() + " " + request.path() + "\"}");
            InvoiceRecorder recorder = invoice;
            if (recorder != null) { // charged when served, whether or not the client reads it all
                recorder.served(reply.status(), reply.contentType(), String.join("", reply.lines()));
            }
            send(exchange, reply);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        byte[] all = String.join("", reply.lines()).getBytes(StandardCharsets.UTF_8);
        long announced = reply.ending() == Ending.CUT_CONNECTION ? all.length + 4096L : 0;
        exchange.sendResponseHeaders(reply.status(), announced);
        OutputStream out = exchange.getResponseBody();
        try {
            for (String line : reply.lines()) {
                pause(reply.lineDelay());
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (reply.ending() == Ending.HANG) {
                stopped.await(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                // for a CUT_CONNECTION reply fewer bytes than announced were written: closing drops the connection
                exchange.close();
            } catch (RuntimeException e) {
                // the JDK server complains about the missing bytes of a cut reply: that is the point
            }
        }
    }

    private static void pause(Duration delay) throws InterruptedException {
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis()); // the fake server's pacing, not test synchronisation
        }
    }

    private static List<String> splitKeepingNewlines(String body) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) == '\n') {
                lines.add(body.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < body.length()) {
            lines.add(body.substring(start));
        }
        return lines;
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
