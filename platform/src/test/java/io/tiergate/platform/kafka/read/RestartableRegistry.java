package io.tiergate.platform.kafka.read;

import io.tiergate.schemas.registry.EmbeddedSchemaRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded schema registry on a fixed port that a test can stop and start again (ids survive in
 * its state file). Writers use {@link #writerUrl()}; readers use {@link #readerUrl()}, which names
 * the same registry differently, so the reader's client has its own, empty cache (HTTP registry
 * clients are shared per URL in a JVM) and must ask the registry for every schema, as a freshly
 * started service does.
 */
final class RestartableRegistry implements AutoCloseable {

    private final int port;
    private final Path state;
    private EmbeddedSchemaRegistry running;

    RestartableRegistry() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        state = Files.createTempDirectory("platform-registry").resolve("registry.json");
        start();
    }

    void start() {
        running = EmbeddedSchemaRegistry.start(port, state);
    }

    void stop() {
        running.close();
        running = null;
    }

    String writerUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Another spelling of the same registry: a client (and cache) of its own. */
    String readerUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public void close() {
        if (running != null) {
            stop();
        }
    }
}
