package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.cli.stack.StackOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The options of the commands that run the local stack ({@code up}, {@code demo}, {@code bench}). */
class StackMixinTest {

    static void assertDefaults(StackMixin stack) {
        assertThat(stack.bootstrap).isNull();
        assertThat(stack.registryUrl).isNull();
        assertThat(stack.dataDir).isNull();
        assertThat(stack.brokerPort).isEqualTo(9092);
        assertThat(stack.registryPort).isEqualTo(8081);
        assertThat(stack.partitions).isEqualTo(3);
        assertThat(stack.fresh).isFalse();
    }

    @Test
    void upDefaults() {
        assertDefaults(Cli.parse(UpCommand.class, "up").stack);
    }

    @Test
    void upEveryOptionReachesTheStackOptions() {
        UpCommand up = Cli.parse(
                UpCommand.class,
                "up",
                "--bootstrap",
                "kafka:9092",
                "--registry-url",
                "http://registry:8081",
                "--data-dir",
                "/tmp/tg",
                "--broker-port",
                "19092",
                "--registry-port",
                "18081",
                "--partitions",
                "6",
                "--fresh");
        StackOptions options = up.stack.toOptions();
        assertThat(options.bootstrap()).contains("kafka:9092");
        assertThat(options.registryUrl()).contains("http://registry:8081");
        assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/tg"));
        assertThat(options.brokerPort()).isEqualTo(19092);
        assertThat(options.registryPort()).isEqualTo(18081);
        assertThat(options.partitions()).isEqualTo(6);
        assertThat(options.fresh()).isTrue();
    }

    @Test
    void withoutADataDirTheStackLivesInTheCheckout() {
        StackOptions options = Cli.parse(UpCommand.class, "up").stack.toOptions();
        assertThat(options.dataDir()).isEqualTo(options.home().resolve(".tiergate"));
        assertThat(options.bootstrap()).isEmpty();
        assertThat(options.registryUrl()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "up, --broker-port, 0, Invalid value for option '--broker-port': must be within 1..65534, was 0",
        "up, --broker-port, 65535, Invalid value for option '--broker-port': must be within 1..65534, was 65535",
        "up, --registry-port, 70000, Invalid value for option '--registry-port': must be within 1..65535, was 70000",
        "up, --partitions, 0, Invalid value for option '--partitions': must be >= 1, was 0",
        "bench, --partitions, -1, Invalid value for option '--partitions': must be >= 1, was -1"
    })
    void aPortOrPartitionCountNoBrokerCouldUseIsRefusedBeforeAnythingStarts(
            String command, String option, String value, String message) {
        Cli.Run run = Cli.run(command, option, value).failsWith(message);
        assertThat(run.err()).contains("Usage: tiergate " + command);
    }

    @ParameterizedTest(name = "up {0} {1}")
    @CsvSource({
        "--broker-port, nine, Invalid value for option '--broker-port': 'nine' is not an int",
        "--registry-port, 80.5, Invalid value for option '--registry-port': '80.5' is not an int",
        "--partitions, some, Invalid value for option '--partitions': 'some' is not an int"
    })
    void aValueOfTheWrongTypeIsNamed(String option, String value, String message) {
        Cli.run("up", option, value).failsWith(message);
    }
}
