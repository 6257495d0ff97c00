package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tiergate.cli.stack.ServiceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Prometheus config cannot run here (no Docker engine), so they are
 * validated with the real tools where installed (.ci/run installs them) and checked against the
 * services the code defines, so ports and names cannot drift apart.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void composeFileIsValid() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");
        Result result = run(
                Map.of("GRAFANA_ADMIN_PASSWORD", "from-the-environment"),
                "docker-compose",
                "-f",
                ROOT.resolve("docker-compose.yml").toString(),
                "config",
                "-q");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void composeRefusesToStartGrafanaWithoutAnAdminPasswordFromTheEnvironment() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");
        Result result = run(
                Map.of("GRAFANA_ADMIN_PASSWORD", ""),
                "docker-compose",
                "-f",
                ROOT.resolve("docker-compose.yml").toString(),
                "config",
                "-q");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("set GRAFANA_ADMIN_PASSWORD");
    }

    /** Every password the secure profile requires ({@code ${NAME:?set NAME}}), each set to a dummy value. */
    private static Map<String, String> securePasswords() throws IOException {
        String secure = Files.readString(ROOT.resolve("docker-compose.secure.yml"));
        Map<String, String> env = new TreeMap<>();
        Matcher required = Pattern.compile("\\$\\{(TIERGATE_[A-Z_]+):\\?").matcher(secure);
        while (required.find()) {
            env.put(required.group(1), "dummy-" + required.group(1).toLowerCase(Locale.ROOT));
        }
        env.put("GRAFANA_ADMIN_PASSWORD", "from-the-environment");
        return env;
    }

    private static Result secureConfig(Map<String, String> env) throws IOException, InterruptedException {
        return run(
                env,
                "docker-compose",
                "-f",
                ROOT.resolve("docker-compose.yml").toString(),
                "-f",
                ROOT.resolve("docker-compose.secure.yml").toString(),
                "config",
                "-q");
    }

    /** docs/security.md, "docker-compose secure profile". */
    @Test
    void secureComposeProfileIsValidWithItsPasswordsFromTheEnvironment() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");
        Map<String, String> env = securePasswords();
        assertThat(env).containsKeys("TIERGATE_BROKER_PASSWORD", "TIERGATE_ROUTER_REGISTRY_PASSWORD");
        Result result = secureConfig(env);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void secureComposeProfileRefusesToStartWithoutARegistryPassword() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");
        Map<String, String> env = securePasswords();
        env.put("TIERGATE_LEDGER_REGISTRY_PASSWORD", "");
        Result result = secureConfig(env);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("set TIERGATE_LEDGER_REGISTRY_PASSWORD");
    }

    /** docs/security.md, "HTTP endpoints": the host publishes nothing beyond loopback; images are pinned. */
    @Test
    @SuppressWarnings("unchecked")
    void composePublishesEveryPortOnLoopbackOnlyAndPinsEveryImage() throws IOException {
        Map<String, Object> compose;
        try (var in = Files.newInputStream(ROOT.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(in);
        }
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        int published = 0;
        for (var service : services.entrySet()) {
            List<Object> ports = (List<Object>) service.getValue().getOrDefault("ports", List.of());
            for (Object port : ports) {
                assertThat(String.valueOf(port)).as(service.getKey() + " port").startsWith("127.0.0.1:");
                published++;
            }
            Object image = service.getValue().get("image");
            if (image != null) {
                assertThat(String.valueOf(image))
                        .as(service.getKey() + " image")
                        .matches("[^:]+:v?[0-9][^:]*")
                        .doesNotEndWith(":latest");
            }
        }
        assertThat(published).as("ports published").isGreaterThanOrEqualTo(ServiceSpec.ALL.size());
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(text).doesNotContain("GF_SECURITY_ADMIN_PASSWORD: admin");
    }

    /** Every service listens on loopback unless configured, and shows /health details only with the token. */
    @Test
    void everyServiceBindsLoopbackAndHidesHealthDetailsByDefault() throws IOException {
        for (ServiceSpec service : ServiceSpec.ALL) {
            Map<String, Object> yml;
            try (var in = Files.newInputStream(
                    ROOT.resolve(service.module()).resolve("src/main/resources/application.yml"))) {
                yml = new Yaml().load(in);
            }
            assertThat(path(yml, "micronaut", "server", "host"))
                    .as(service.module() + " micronaut.server.host")
                    .isEqualTo("127.0.0.1");
            assertThat(path(yml, "endpoints", "health", "details-visible"))
                    .as(service.module() + " endpoints.health.details-visible")
                    .isEqualTo("AUTHENTICATED");
        }
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> yml, String... keys) {
        Object node = yml;
        for (String key : keys) {
            node = node instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(key) : null;
        }
        return node;
    }

    @Test
    void prometheusConfigIsValid() throws Exception {
        assumeTrue(onPath("promtool"), "promtool is not installed (.ci/run installs the prometheus package)");
        Result result = run(
                "promtool",
                "check",
                "config",
                ROOT.resolve("deploy/prometheus.yml").toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void everyServiceIsInComposeAndScrapedOnItsPort() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        String prometheus = Files.readString(ROOT.resolve("deploy/prometheus.yml"));
        for (ServiceSpec service : ServiceSpec.ALL) {
            assertThat(compose).contains("args: {MODULE: " + service.module() + "}");
            assertThat(compose).contains("\"127.0.0.1:" + service.port() + ":" + service.port() + "\"");
            assertThat(prometheus).contains("\"" + service.module() + ":" + service.port() + "\"");
            String yml = Files.readString(ROOT.resolve(service.module()).resolve("src/main/resources/application.yml"));
            assertThat(yml)
                    .as(service.module() + " application.yml")
                    .contains("${" + service.portVariable() + ":" + service.port() + "}");
        }
    }

    private static boolean onPath(String tool) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), command);
    }

    private static Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }
}
