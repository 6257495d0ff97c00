package io.tiergate.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tiergate.schemas.serde.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small, persistent, Confluent-compatible schema registry for the one-machine embedded default,
 * where services run as separate processes and must agree on schema ids ({@code mock://} is per
 * JVM). Speaks the subset of Confluent's REST API that serdes use, with Confluent's bodies and
 * error codes: {@code POST /subjects/{s}/versions} (BACKWARD check against the latest version, 409
 * / 42201 errors), {@code POST /subjects/{s}} (is this schema registered), {@code GET
 * /schemas/ids/{id}}, {@code GET /subjects}, {@code GET /subjects/{s}/versions[/{v}|/latest]},
 * {@code POST /compatibility/subjects/{s}/versions/{v}}, {@code GET /config[/{s}]} (always
 * BACKWARD), {@code GET /schemas/types}. Only AVRO schemas, no references, no deletes, no auth;
 * binds to the loopback interface. State lives in one JSON file (see {@link SchemaStore}); one
 * registry process per file, enforced with a file lock.
 *
 * <p>Run on its own: {@code java -cp <schemas jar + deps> io.tiergate.schemas.registry.EmbeddedSchemaRegistry
 * 8081 .tiergate/schema-registry.json}.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final SchemaStore store;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private EmbeddedSchemaRegistry(
            HttpServer server, ExecutorService executor, SchemaStore store, FileChannel lockChannel, FileLock lock) {
        this.server = server;
        this.executor = executor;
        this.store = store;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Starts a registry on {@code 127.0.0.1:port} (0 picks a free port) whose state is kept in
     * {@code stateFile} (created if missing; ids from an earlier run are kept).
     *
     * @throws IllegalStateException when another registry holds the file or the port is taken
     */
    public static EmbeddedSchemaRegistry start(int port, Path stateFile) {
        Path lockFile = stateFile.resolveSibling(stateFile.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(stateFile.toAbsolutePath().getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("Another schema registry process is using " + stateFile);
            }
            SchemaStore store = SchemaStore.persistentAt(stateFile);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            AtomicInteger threads = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "schema-registry-http-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(server, executor, store, channel, lock);
            server.createContext("/", registry::handle);
            server.setExecutor(executor);
            server.start();
            LOG.info("Schema registry listening on {} (state in {})", registry.url(), stateFile.toAbsolutePath());
            return registry;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException("Another schema registry in this JVM is using " + stateFile, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalStateException(
                    "Cannot start the schema registry on port " + port + " with state " + stateFile + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>}, the value for {@code schema.registry.url}. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            lock.release();
        } catch (IOException e) {
            LOG.warn("Cannot release the registry file lock: {}", e.toString());
        }
        closeQuietly(lockChannel);
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedSchemaRegistry <port> <state-file.json>");
            System.exit(2);
        }
        EmbeddedSchemaRegistry registry = start(Integer.parseInt(args[0]), Path.of(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "schema-registry-stop"));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange.getRequestMethod(), segments(exchange), exchange);
            } catch (SchemaRegistryException e) {
                reply = Reply.error(httpStatus(e.errorCode()), e.errorCode(), e.getMessage());
            } catch (JsonProcessingException e) {
                reply = Reply.error(400, 400, "Malformed JSON body: " + e.getOriginalMessage());
            } catch (RuntimeException e) {
                LOG.error(
                        "Schema registry request {} {} failed",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI(),
                        e);
                reply = Reply.error(500, 50001, "Error in the backend data store: " + e.getMessage());
            }
            byte[] body = JSON.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Reply route(String method, List<String> path, HttpExchange exchange) throws IOException {
        int n = path.size();
        boolean get = "GET".equals(method);
        boolean post = "POST".equals(method);
        if (n == 0 && get) {
            return Reply.ok(JSON.createObjectNode());
        }
        String root = path.get(0);
        if ("subjects".equals(root)) {
            if (n == 1 && get) {
                return Reply.ok(store.subjects());
            }
            String subject = path.get(1);
            if (n == 2 && post) {
                return Reply.ok(versionJson(store.lookup(subject, schemaOf(exchange))));
            }
            if (n == 3 && "versions".equals(path.get(2))) {
                if (get) {
                    return Reply.ok(store.versions(subject));
                }
                if (post) {
                    return Reply.ok(JSON.createObjectNode()
                            .put(
                                    "id",
                                    store.register(subject, schemaOf(exchange)).id()));
                }
            }
            if (n == 4 && "versions".equals(path.get(2)) && get) {
                return Reply.ok(versionJson(store.version(subject, versionNumber(path.get(3)))));
            }
        } else if ("schemas".equals(root)) {
            if (n == 3 && "ids".equals(path.get(1)) && get) {
                int id = parseId(path.get(2));
                String text = store.schemaText(id)
                        .orElseThrow(() -> new SchemaRegistryException(
                                SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found"));
                return Reply.ok(JSON.createObjectNode().put("schema", text));
            }
            if (n == 2 && "types".equals(path.get(1)) && get) {
                return Reply.ok(List.of("AVRO"));
            }
        } else if ("compatibility".equals(root)
                && n == 5
                && "subjects".equals(path.get(1))
                && "versions".equals(path.get(3))
                && post) {
            String subject = path.get(2);
            Schema candidate = schemaOf(exchange);
            SchemaStore.Version against = store.version(subject, versionNumber(path.get(4)));
            List<String> problems = Compatibility.problems(candidate, new Schema.Parser().parse(against.schema()));
            ObjectNode result = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.contains("verbose=true")) {
                problems.forEach(result.putArray("messages")::add);
            }
            return Reply.ok(result);
        } else if ("config".equals(root) && n <= 2 && get) {
            return Reply.ok(JSON.createObjectNode().put("compatibilityLevel", "BACKWARD"));
        }
        boolean known =
                List.of("subjects", "schemas", "compatibility", "config").contains(root);
        return known && !get && !post
                ? Reply.error(405, 405, "HTTP 405 Method Not Allowed")
                : Reply.error(404, 404, "HTTP 404 Not Found");
    }

    /** The {@code schema} of a Confluent request body; AVRO only, without references. */
    private static Schema schemaOf(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        }
        if (body == null || !body.isObject()) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.INVALID_SCHEMA, "Request body must be a JSON object with a schema");
        }
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema type " + type + ": this registry holds AVRO only");
        }
        if (body.path("references").size() > 0) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.INVALID_SCHEMA, "Schema references are not supported by this registry");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual() || schema.asText().isBlank()) {
            throw new SchemaRegistryException(SchemaRegistryException.INVALID_SCHEMA, "Empty schema");
        }
        try {
            return new Schema.Parser().parse(schema.asText());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.INVALID_SCHEMA,
                    "Invalid schema " + schema.asText() + ": " + e.getMessage(),
                    e);
        }
    }

    private static ObjectNode versionJson(SchemaStore.Version v) {
        return JSON.createObjectNode()
                .put("subject", v.subject())
                .put("version", v.version())
                .put("id", v.id())
                .put("schema", v.schema());
    }

    private static int versionNumber(String text) {
        if ("latest".equals(text) || "-1".equals(text)) {
            return -1;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException ignored) {
            // fall through to Confluent's error
        }
        throw new SchemaRegistryException(
                42202,
                "The specified version '" + text
                        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static int parseId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    /** Path segments, each percent-decoded (a subject may contain any character). */
    private static List<String> segments(HttpExchange exchange) {
        List<String> segments = new ArrayList<>();
        for (String raw : exchange.getRequestURI().getRawPath().split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    /** Confluent's mapping of error codes to HTTP statuses. */
    private static int httpStatus(int errorCode) {
        if (errorCode >= 40400 && errorCode < 40500) {
            return 404;
        }
        if (errorCode >= 42200 && errorCode < 42300) {
            return 422;
        }
        if (errorCode >= 100 && errorCode < 600) {
            return errorCode;
        }
        return 500;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }

        static Reply error(int status, int code, String message) {
            return new Reply(
                    status, JSON.createObjectNode().put("error_code", code).put("message", message));
        }
    }
}
