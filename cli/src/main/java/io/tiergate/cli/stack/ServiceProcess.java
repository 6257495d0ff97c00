package io.tiergate.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A service running as its own JVM, started from its module's build output. */
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

    /** Starts the service with {@code env} (Kafka and registry addresses) added to this environment. */
    public static ServiceProcess start(
            Path home, ServiceSpec spec, Map<String, String> env, Path logDir, List<String> jvmArgs) {
        Path target = home.resolve(spec.module()).resolve("target");
        Path classpathFile = target.resolve("classpath.txt");
        Path jar = target.resolve(spec.module() + "-0.1.0-SNAPSHOT.jar");
        if (!Files.exists(classpathFile) || !Files.exists(jar)) {
            throw new IllegalStateException(
                    spec.module() + " is not built (" + jar + " missing): run ./mvnw -q -DskipTests package");
        }
        try {
            Files.createDirectories(logDir);
            String classpath = jar
                    + java.io.File.pathSeparator
                    + Files.readString(classpathFile).trim();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(classpath);
            command.add(spec.mainClass());
            Path log = logDir.resolve(spec.module() + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(env);
            builder.environment().put(spec.portVariable(), String.valueOf(spec.port()));
            withoutCloudKeys(spec, builder.environment());
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
