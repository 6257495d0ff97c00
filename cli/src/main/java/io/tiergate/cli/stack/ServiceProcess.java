package io.tiergate.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A service running as its own JVM, started by {@code bin/start} of its runtime layout. */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final ServiceSpec spec;
    private final Process process;
    private final Path log;

    private ServiceProcess(ServiceSpec spec, Process process, Path log) {
        this.spec = spec;
        this.process = process;
        this.log = log;
    }

    /**
     * A service's runtime layout in a checkout, {@code <module>/target/dist}: {@code lib/} (its jar and every
     * dependency) and {@code bin/start}, the same directory the image copies (docs/decisions.md, "One runtime
     * layout for every way of running").
     */
    public static Path layout(Path home, ServiceSpec spec) {
        return home.resolve(spec.module()).resolve("target").resolve("dist");
    }

    /**
     * Starts the service from its layout in {@code home} with {@code env} (Kafka and registry addresses) added
     * to this environment, and {@code jvmArgs} ahead of any {@code JAVA_OPTS} already set (so the user's win).
     */
    public static ServiceProcess start(
            Path home, ServiceSpec spec, Map<String, String> env, Path logDir, List<String> jvmArgs) {
        return launch(layout(home, spec), spec, env, true, logDir, jvmArgs);
    }

    /**
     * Starts the service from a runtime layout with exactly {@code env} as its environment (nothing inherited:
     * no {@code CLASSPATH}, no {@code JAVA_OPTS}), the way a container starts it.
     */
    public static ServiceProcess startIsolated(
            Path layout, ServiceSpec spec, Map<String, String> env, Path logDir, List<String> jvmArgs) {
        return launch(layout, spec, env, false, logDir, jvmArgs);
    }

    private static ServiceProcess launch(
            Path layout,
            ServiceSpec spec,
            Map<String, String> env,
            boolean inheritEnvironment,
            Path logDir,
            List<String> jvmArgs) {
        Path start = layout.resolve("bin").resolve("start");
        if (!Files.isExecutable(start)) {
            throw new IllegalStateException(
                    spec.module() + " is not built (" + start + " missing): run ./mvnw -q -DskipTests package");
        }
        for (String arg : jvmArgs) {
            if (arg.isBlank() || arg.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("JVM option '" + arg + "' for " + spec.module()
                        + " must be one word (bin/start splits JAVA_OPTS at spaces)");
            }
        }
        requirePortFree(spec);
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(spec.module() + ".log");
            ProcessBuilder builder = new ProcessBuilder(start.toString())
                    .directory(layout.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            Map<String, String> environment = builder.environment();
            String inheritedOptions = inheritEnvironment ? environment.getOrDefault("JAVA_OPTS", "") : "";
            if (!inheritEnvironment) {
                environment.clear();
            }
            environment.putAll(env);
            if (!env.containsKey("JAVA_HOME")) {
                // the JVM running this code runs the service too, not whatever JAVA_HOME or the PATH names
                environment.put("JAVA_HOME", System.getProperty("java.home"));
            }
            String userOptions = (inheritedOptions + " " + env.getOrDefault("JAVA_OPTS", "")).trim();
            environment.put(
                    "JAVA_OPTS",
                    (String.join(" ", JvmProfile.yieldingTo(jvmArgs, userOptions)) + " " + userOptions).trim());
            environment.put(spec.portVariable(), String.valueOf(spec.port()));
            withoutCloudKeys(spec, environment);
            return new ServiceProcess(spec, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + spec.module(), e);
        }
    }

    /**
     * Cloud API keys go only to the cloud worker's process (docs/security.md, "Cloud API keys"):
     * every other service loses the environment variables that hold one or name its file ({@code
     * *_API_KEY}, {@code *_API_KEY_FILE}) it would otherwise inherit from the shell.
     */
    static void withoutCloudKeys(ServiceSpec spec, Map<String, String> environment) {
        if (!spec.module().equals("cloud-worker")) {
            environment.keySet().removeIf(name -> name.endsWith("_API_KEY") || name.endsWith("_API_KEY_FILE"));
        }
    }

    /**
     * A port already taken would fail the service only after its JVM started, and meanwhile whatever holds
     * the port (another stack's service) would answer its health check.
     */
    private static void requirePortFree(ServiceSpec spec) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(spec.port()));
        } catch (IOException e) {
            throw new IllegalStateException(spec.module() + " cannot listen on port " + spec.port()
                    + ": it is in use (another ./tiergate up or demo on this machine?); stop that first.");
        }
    }

    /** True once {@code GET /health} answers 200 with status UP. */
    public boolean healthy() {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(spec.baseUrl() + "/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public ServiceSpec spec() {
        return spec;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM (Micronaut shuts down gracefully: consumers leave their groups, producers flush). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
