package io.tiergate.schemas.serde;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server that answers like Confluent Schema Registry with canned bodies from
 * {@code src/test/resources/registry/} (see the README there for the documentation they follow),
 * and records every request so tests can check what the client sent. Answers are scripted per
 * {@code METHOD path}; a script of several answers is played in order, the last one repeating.
 */
final class FixtureRegistryServer implements AutoCloseable {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue()))
                    .findFirst()
                    .orElse(null);
        }
    }

    private record Answer(int status, String body) {}

    private final HttpServer server;
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FixtureRegistryServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code method path} with {@code status} and the fixture file {@code fixture}. */
    FixtureRegistryServer on(String method, String path, int status, String fixture) {
        scripts.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(new Answer(status, fixture(fixture)));
        return this;
    }

    /** Answers with a literal body (for non-JSON bodies such as a proxy's HTML page). */
    FixtureRegistryServer onRaw(String method, String path, int status, String body) {
        scripts.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(new Answer(status, body));
        return this;
    }

    List<Request> requestsTo(String method, String path) {
        return requests.stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path))
                .toList();
    }

    static String fixture(String name) {
        try (InputStream in = FixtureRegistryServer.class.getResourceAsStream("/registry/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture registry/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Request(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
        Deque<Answer> script = scripts.get(exchange.getRequestMethod() + " " + path);
        Answer answer;
        if (script == null || script.isEmpty()) {
            answer = new Answer(404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
        } else {
            answer = script.size() > 1 ? script.poll() : script.peek();
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
