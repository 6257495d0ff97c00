package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceProcess;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.schemas.registry.EmbeddedSchemaRegistry;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.testkit.TestBrokers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service image without a container engine (none runs here): the runtime stage of
 * deploy/Dockerfile.service is read, what it copies (a service's runtime layout, target/dist) is copied
 * the same way into an empty directory standing for the image's /app, and every service is started by
 * the image's entry point with only the environment the image and docker-compose give it (no
 * CLASSPATH, no Maven repository, nothing inherited), against a real broker, until /health is UP.
 */
class ServiceImageIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    /** What the runtime stage of the Dockerfile does, as far as a test without an engine can tell. */
    private record RuntimeStage(String base, String copiedFrom, String copiedTo, String user, String entryPoint) {}

    @Test
    void theRuntimeStageCopiesOnlyTheLayoutIntoAJreImageAndRunsItAsNonRoot() throws IOException {
        RuntimeStage stage = runtimeStage();
        assertThat(stage.base()).startsWith("eclipse-temurin:17-jre");
        assertThat(stage.copiedFrom()).isEqualTo("/src/${MODULE}/target/dist/");
        assertThat(stage.copiedTo()).isEqualTo("/app/");
        assertThat(stage.user()).isNotBlank().doesNotStartWith("root").doesNotStartWith("0");
        assertThat(stage.entryPoint()).isEqualTo("[\"/app/bin/start\"]");
    }

    @Test
    void everyServiceStartsFromItsCopiedLayoutWithNothingElseOnItsClassPath(@TempDir Path images) throws Exception {
        RuntimeStage stage = runtimeStage();
        String bootstrap = TestBrokers.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, t -> 1, (short) 1).ensureAll();
        }
        List<ServiceProcess> started = new ArrayList<>();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0, images.resolve("registry.json"))) {
            for (ServiceSpec service : ServiceSpec.ALL) {
                Path app = images.resolve(service.module()).resolve("app");
                copyLayout(
                        ROOT.resolve(service.module())
                                .resolve(stage.copiedFrom().replace("/src/${MODULE}/", "")),
                        app);
                assertThat(Files.readString(app.resolve("bin/start")))
                        .as(service.module() + " bin/start")
                        .contains(service.mainClass());
                assertThat(app.resolve("lib").resolve("io.tiergate." + service.module() + "-0.1.0-SNAPSHOT.jar"))
                        .exists();
                Map<String, String> env = new HashMap<>(imageEnvironment());
                env.putAll(SimulatedBackends.env());
                env.put("KAFKA_BOOTSTRAP", bootstrap);
                env.put("SCHEMA_REGISTRY_URL", registry.url());
                env.put("TIERGATE_PARTITIONS", "1");
                started.add(ServiceProcess.startIsolated(
                        app,
                        service.onPort(freePort()),
                        env,
                        images.resolve("logs"),
                        List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")));
            }
            for (ServiceProcess service : started) {
                await(service.spec().module() + " /health UP from its image layout")
                        .atMost(START_TIMEOUT)
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            if (!service.alive()) {
                                throw new IllegalStateException(service.spec().module() + " exited; its log:\n"
                                        + LocalStack.tail(service.log(), 40));
                            }
                            return service.healthy();
                        });
                Path app = images.resolve(service.spec().module()).resolve("app");
                assertThat(commandLine(service.pid()))
                        .as("the JVM's class path is the layout's lib/ and nothing else")
                        .containsSubsequence("-cp", app.resolve("lib") + "/*");
            }
        } finally {
            started.parallelStream().forEach(ServiceProcess::close);
        }
    }

    /** The ENV of eclipse-temurin's JRE image: a JAVA_HOME and a PATH; here the test's own JDK stands in. */
    private static Map<String, String> imageEnvironment() {
        String javaHome = System.getProperty("java.home");
        return Map.of("JAVA_HOME", javaHome, "PATH", javaHome + "/bin:/usr/bin:/bin", "LANG", "C.UTF-8");
    }

    private static RuntimeStage runtimeStage() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile.service"), StandardCharsets.UTF_8);
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(runtime).as("the runtime stage carries no Maven repository").doesNotContain(".m2");
        Matcher base = Pattern.compile("\\nFROM (\\S+)").matcher(runtime);
        Matcher copy = Pattern.compile("\\nCOPY --from=build --chown=\\S+ (\\S+) (\\S+)")
                .matcher(runtime);
        Matcher user = Pattern.compile("\\nUSER (\\S+)").matcher(runtime);
        Matcher entry = Pattern.compile("\\nENTRYPOINT (.+)").matcher(runtime);
        assertThat(base.find() && copy.find() && user.find() && entry.find())
                .as("runtime stage has FROM, COPY --from=build --chown, USER and ENTRYPOINT:\n" + runtime)
                .isTrue();
        RuntimeStage stage = new RuntimeStage(
                base.group(1),
                copy.group(1),
                copy.group(2),
                user.group(1),
                entry.group(1).trim());
        assertThat(copy.find()).as("the runtime stage copies one thing").isFalse();
        return stage;
    }

    /** COPY of a directory: its contents, file modes kept (bin/start stays executable). */
    private static void copyLayout(Path from, Path to) throws IOException {
        assertThat(from.resolve("bin/start"))
                .as("the packaged layout (./mvnw package)")
                .isExecutable();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.forEach(source -> {
                Path target = to.resolve(from.relativize(source).toString());
                try {
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static List<String> commandLine(long pid) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
        return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
