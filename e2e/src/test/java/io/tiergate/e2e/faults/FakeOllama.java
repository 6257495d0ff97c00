package io.tiergate.e2e.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Ollama server on a fixed port that the test takes down (nothing listens: connection refused)
 * and brings back: {@code GET /api/version}, {@code POST /api/chat} streaming NDJSON chunks and a
 * final {@code done: true} line with Ollama's counters (durations in nanoseconds).
 */
final class FakeOllama implements AutoCloseable {

    private final int port;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-ollama");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger chats = new AtomicInteger();
    private HttpServer server;

    FakeOllama() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int chats() {
        return chats.get();
    }

    synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
        server.createContext("/api/version", this::version);
        server.createContext("/api/chat", this::chat);
        server.setExecutor(executor);
        server.start();
    }

    /** Stops listening: connections are refused. */
    synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private void version(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bytes = "{\"version\":\"0.12.6\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private void chat(HttpExchange exchange) throws IOException {
        try (exchange) {
            chats.incrementAndGet();
            JsonNode request = Http.JSON.readTree(exchange.getRequestBody().readAllBytes());
            String model = request.path("model").asText();
            int promptTokens = 10 + request.path("messages").toString().length() / 4;
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            String answer = "{\"invoice\": \"INV-2041\", \"total\": 118.40}";
            for (String piece : new String[] {answer.substring(0, 10), answer.substring(10)}) {
                ObjectNode chunk = Http.JSON.createObjectNode();
                chunk.put("model", model)
                        .put("created_at", "2026-11-22T10:15:02.118934Z")
                        .put("done", false);
                chunk.putObject("message").put("role", "assistant").put("content", piece);
                out.write((chunk + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            ObjectNode done = Http.JSON.createObjectNode();
            done.put("model", model)
                    .put("created_at", "2026-11-22T10:15:02.237502Z")
                    .put("done", true)
                    .put("done_reason", "stop");
            done.putObject("message").put("role", "assistant").put("content", "");
            done.put("total_duration", 250_000_000L)
                    .put("load_duration", 1_000_000L)
                    .put("prompt_eval_count", promptTokens)
                    .put("prompt_eval_duration", 40_000_000L)
                    .put("eval_count", 12)
                    .put("eval_duration", 200_000_000L);
            out.write((done + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the worker went away mid-answer
        }
    }

    @Override
    public void close() {
        down();
        executor.shutdownNow();
    }
}
