package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tiergate bench}: parsing and usage errors; no benchmark runs here. */
class BenchCommandTest {

    @Test
    void defaults() {
        BenchCommand bench = Cli.parse(BenchCommand.class, "bench");
        assertThat(bench.rates).containsExactly(250, 500, 1000, 2000, 3000, 4000);
        assertThat(bench.durationSeconds).isEqualTo(20);
        assertThat(bench.warmupSeconds).isEqualTo(90);
        assertThat(bench.p99TargetMs).isEqualTo(100);
        assertThat(bench.searchSteps).isEqualTo(3);
        assertThat(bench.classifierCache).isFalse();
        assertThat(bench.workload).isNull();
        assertThat(bench.ledger).isFalse();
        assertThat(bench.events).isEqualTo(100_000);
        assertThat(bench.warmupEvents).isEqualTo(300_000);
        assertThat(bench.guarantee).isEqualTo("exactly_once_v2");
        assertThat(bench.threads).isEqualTo(1);
        assertThat(bench.commitIntervalMs).isEqualTo(100);
        StackMixinTest.assertDefaults(bench.stack);
    }

    @Test
    void ledgerOptions() {
        BenchCommand bench = Cli.parse(
                BenchCommand.class,
                "bench",
                "--ledger",
                "--events",
                "2000",
                "--warmup-events",
                "0",
                "--guarantee",
                "at_least_once",
                "--threads",
                "2",
                "--partitions",
                "6",
                "--commit-interval-ms",
                "1000");
        assertThat(bench.ledger).isTrue();
        assertThat(bench.events).isEqualTo(2000);
        assertThat(bench.warmupEvents).isZero();
        assertThat(bench.guarantee).isEqualTo("at_least_once");
        assertThat(bench.threads).isEqualTo(2);
        assertThat(bench.stack.partitions).isEqualTo(6);
        assertThat(bench.commitIntervalMs).isEqualTo(1000);
    }

    @ParameterizedTest(name = "bench --ledger {0} {1}")
    @CsvSource({
        "--events, 0, Invalid value for option '--events': must be > 0, was 0",
        "--guarantee, exactly_once, 'Invalid value for option ''--guarantee'': must be exactly_once_v2 or at_least_once'",
        "--warmup-events, -1, Invalid value for option '--warmup-events': must be >= 0, was -1",
        "--threads, 0, Invalid value for option '--threads': must be >= 1, was 0",
        "--commit-interval-ms, 0, Invalid value for option '--commit-interval-ms': must be >= 1, was 0",
        "--bootstrap, kafka:9092, Invalid value for option '--bootstrap': --ledger starts its own empty broker"
    })
    void aLedgerValueOutOfRangeIsRefusedBeforeAnythingStarts(String option, String value, String message) {
        Cli.run("bench", "--ledger", option, value).failsWith(message);
    }

    @Test
    void everyOption() {
        BenchCommand bench = Cli.parse(
                BenchCommand.class,
                "bench",
                "--rates",
                "100,300",
                "--duration",
                "5",
                "--warmup",
                "0",
                "--p99-target-ms",
                "50",
                "--search-steps",
                "0",
                "--classifier-cache",
                "--workload",
                "w.jsonl",
                "--bootstrap",
                "kafka:9092");
        assertThat(bench.rates).isEqualTo(List.of(100, 300));
        assertThat(bench.durationSeconds).isEqualTo(5);
        assertThat(bench.warmupSeconds).isZero();
        assertThat(bench.p99TargetMs).isEqualTo(50);
        assertThat(bench.searchSteps).isZero();
        assertThat(bench.classifierCache).isTrue();
        assertThat(bench.workload).isEqualTo(Path.of("w.jsonl"));
        assertThat(bench.stack.bootstrap).isEqualTo("kafka:9092");
    }

    @ParameterizedTest(name = "bench {0} {1}")
    @CsvSource({
        "--rates, '100,fast', Invalid value for option '--rates' (<rates>): 'fast' is not an int",
        "--duration, 1m, Invalid value for option '--duration': '1m' is not an int",
        "--p99-target-ms, 0.5, Invalid value for option '--p99-target-ms': '0.5' is not a long"
    })
    void aValueOfTheWrongTypeIsNamed(String option, String value, String message) {
        Cli.run("bench", option, value).failsWith(message);
    }

    @ParameterizedTest(name = "bench {0} {1}")
    @CsvSource({
        "--rates, '100,0', Invalid value for option '--rates': every rate must be > 0 req/s, was [100, 0]",
        "--duration, 0, Invalid value for option '--duration': must be > 0 seconds, was 0",
        "--warmup, -1, Invalid value for option '--warmup': must be >= 0 seconds, was -1",
        "--p99-target-ms, 0, Invalid value for option '--p99-target-ms': must be > 0, was 0",
        "--search-steps, -2, Invalid value for option '--search-steps': must be >= 0, was -2"
    })
    void aValueOutOfRangeIsRefusedBeforeAnythingStarts(String option, String value, String message) {
        Cli.Run run = Cli.run("bench", option, value).failsWith(message);
        assertThat(run.err()).contains("Usage: tiergate bench");
    }
}
