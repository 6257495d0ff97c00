package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tiergate.cli.stack.ServiceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
        Result result =
                run("docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q");
        assertThat(result.exitCode()).as(result.output()).isZero();
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
            assertThat(compose).contains("\"" + service.port() + ":" + service.port() + "\"");
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
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }
}
