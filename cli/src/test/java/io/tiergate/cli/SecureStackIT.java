package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.cli.stack.JvmProfile;
import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.StackCredentials;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.platform.kafka.security.KafkaAccessPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tiergate up --secure} without services: the broker process with SASL/SCRAM and the
 * StandardAuthorizer, generated credentials (0600), the policy's principals and ACLs; the operator
 * commands work with {@code --command-config <data-dir>/secure/ops.properties}, are refused as
 * another principal, and no password is printed, logged or written to a topic (or the metadata log).
 */
class SecureStackIT {

    @TempDir
    Path dataDir;

    private static int freePortPair() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return next.getLocalPort() - 1; // the port before the one just held: both free
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no two free adjacent ports");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private StackOptions options(int brokerPort, int registryPort) {
        return new StackOptions(
                        Path.of(".").toAbsolutePath(),
                        dataDir,
                        Optional.empty(),
                        Optional.empty(),
                        brokerPort,
                        registryPort,
                        1,
                        false,
                        List.of(),
                        0)
                .withSecure(true);
    }

    private static Cli.Run budgetSet(LocalStack stack, String scope, Path commandConfig) {
        return Cli.run(
                "budget",
                "set",
                scope,
                "--daily-usd",
                "7",
                "--bootstrap",
                stack.bootstrapServers(),
                "--registry-url",
                stack.registryUrl(),
                "--command-config",
                commandConfig.toString(),
                "--reason",
                "SecureStackIT");
    }

    @Test
    void upSecureThenOperatorCommandsWorkWithTheOpsCommandConfigAndSurviveARestart() throws Exception {
        int brokerPort = freePortPair();
        int registryPort = freePort();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        Path secure = dataDir.resolve("secure");
        try (LocalStack stack = LocalStack.start(options(brokerPort, registryPort), out, Map.of())) {
            StackCredentials credentials = stack.credentials().orElseThrow();
            // the quick-start broker JVM: C1 and the serial collector, as the profile says (Linux: /proc)
            String brokerCommand =
                    Files.readString(Path.of("/proc", stack.processIds().get("broker") + "", "cmdline"));
            assertThat(List.of(brokerCommand.split("\0"))).containsAll(JvmProfile.QUICK_START.brokerOptions());
            Path ops = credentials.clientConfig(KafkaAccessPolicy.OPS);
            assertThat(Files.getPosixFilePermissions(ops)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(secure.resolve("credentials.properties")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("kafka/server.properties")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));

            assertThat(budgetSet(stack, "team-up-secure", ops).succeeds().out()).contains("team-up-secure");
            budgetSet(stack, "team-up-secure", credentials.clientConfig(KafkaAccessPolicy.LOCAL_WORKER))
                    .failsWith("the principal of --command-config may not do this");
        }
        // a restart keeps the credentials (the broker keeps its SCRAM users) and the ACLs
        try (LocalStack stack = LocalStack.start(options(brokerPort, registryPort), out, Map.of())) {
            budgetSet(
                            stack,
                            "team-up-secure-2",
                            stack.credentials().orElseThrow().clientConfig(KafkaAccessPolicy.OPS))
                    .succeeds();
        }
        Properties passwords = new Properties();
        try (var in = Files.newBufferedReader(secure.resolve("credentials.properties"))) {
            passwords.load(in);
        }
        assertThat(passwords.stringPropertyNames())
                .containsAll(KafkaAccessPolicy.PRINCIPALS)
                .contains("broker");
        String stackOutput = printed.toString(StandardCharsets.UTF_8);
        assertThat(stackOutput).contains("Kafka security on").contains("--command-config");
        List<Path> logs;
        try (Stream<Path> files = Files.walk(dataDir)) {
            logs = files.filter(p -> p.toString().endsWith(".log")).toList();
        }
        // *.log: the broker's log and every topic's segments, the metadata log (SCRAM credentials, salted) included
        assertThat(logs).as("broker log and topic segments").anyMatch(p -> p.endsWith("broker.log"));
        assertThat(logs).anyMatch(p -> p.toString().contains("budget.config-0"));
        for (String password : passwords.stringPropertyNames().stream()
                .map(passwords::getProperty)
                .toList()) {
            assertThat(stackOutput).doesNotContain(password);
            for (Path log : logs) {
                assertThat(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1))
                        .as("%s", log)
                        .doesNotContain(password);
            }
        }
    }
}
