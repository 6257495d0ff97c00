package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.OnExhausted;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tiergate demo}: parsing and usage errors; the demo itself is never started here. */
class DemoCommandTest {

    @Test
    void defaults() {
        DemoCommand demo = Cli.parse(DemoCommand.class, "demo");
        assertThat(demo.workload).isNull();
        assertThat(demo.requests).isEqualTo(300);
        assertThat(demo.rate).isEqualTo(25.0);
        assertThat(demo.budgetUsd).isEqualByComparingTo("1.00");
        assertThat(demo.onExhausted).isEqualTo(OnExhausted.DEGRADE_LOCAL);
        assertThat(demo.report).isNull();
        assertThat(demo.results).isNull();
        assertThat(demo.drainTimeoutSeconds).isEqualTo(180);
        assertThat(demo.warmupRequests).isEqualTo(150);
        assertThat(demo.simSpeedUp).isEqualTo(200.0);
        assertThat(demo.keepData).isFalse();
        StackMixinTest.assertDefaults(demo.stack);
    }

    @Test
    void everyOption() {
        DemoCommand demo = Cli.parse(
                DemoCommand.class,
                "demo",
                "--workload",
                "w.jsonl",
                "--requests",
                "40",
                "--rate",
                "12.5",
                "--budget-usd",
                "0.25",
                "--on-exhausted",
                "DEFER",
                "--report",
                "r.json",
                "--results",
                "r.jsonl",
                "--drain-timeout",
                "30",
                "--warmup-requests",
                "0",
                "--sim-speed-up",
                "10",
                "--keep-data",
                "--fresh",
                "--partitions",
                "1");
        assertThat(demo.workload).isEqualTo(Path.of("w.jsonl"));
        assertThat(demo.requests).isEqualTo(40);
        assertThat(demo.rate).isEqualTo(12.5);
        assertThat(demo.budgetUsd).isEqualTo(new BigDecimal("0.25"));
        assertThat(demo.onExhausted).isEqualTo(OnExhausted.DEFER);
        assertThat(demo.report).isEqualTo(Path.of("r.json"));
        assertThat(demo.results).isEqualTo(Path.of("r.jsonl"));
        assertThat(demo.drainTimeoutSeconds).isEqualTo(30);
        assertThat(demo.warmupRequests).isZero();
        assertThat(demo.simSpeedUp).isEqualTo(10.0);
        assertThat(demo.keepData).isTrue();
        assertThat(demo.stack.fresh).isTrue();
        assertThat(demo.stack.partitions).isEqualTo(1);
    }

    @ParameterizedTest(name = "demo {0} {1}")
    @CsvSource({
        "--requests, many, Invalid value for option '--requests': 'many' is not an int",
        "--rate, fast, Invalid value for option '--rate': 'fast' is not a double",
        "--budget-usd, 1$, Invalid value for option '--budget-usd': '1$' is not a decimal number (e.g. 20 or 0.25)",
        "--on-exhausted, SOMETIMES, Invalid value for option '--on-exhausted': expected one of",
        "--drain-timeout, 1.5, Invalid value for option '--drain-timeout': '1.5' is not an int",
        "--broker-port, http, Invalid value for option '--broker-port': 'http' is not an int"
    })
    void aValueOfTheWrongTypeIsNamed(String option, String value, String message) {
        Cli.run("demo", option, value).failsWith(message);
    }

    @ParameterizedTest(name = "demo {0} {1}")
    @CsvSource({"--requests, 0", "--rate, 0", "--rate, -1", "--budget-usd, -0.01", "--warmup-requests, -1"})
    void aValueOutOfRangeIsRefusedBeforeAnythingStarts(String option, String value) {
        Cli.Run run = Cli.run("demo", option, value)
                .failsWith("--requests and --rate must be > 0, --budget-usd and --warmup-requests >= 0");
        assertThat(run.err()).contains("Usage: ").contains("demo");
    }

    @Test
    void aPortNoBrokerCouldUseIsRefusedBeforeAnythingStarts() {
        Cli.run("demo", "--broker-port", "65535")
                .failsWith("Invalid value for option '--broker-port': must be within 1..65534, was 65535");
    }
}
