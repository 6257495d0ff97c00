package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tiergate bench --ledger} on a small input: its own broker process (port 31492, below the ephemeral range), the real
 * ledger topology, one JSON line whose totals (warm-up included) match what was produced. Nothing about speed is
 * asserted: the numbers are in docs/benchmarks/ledger-streams.md.
 */
class BenchLedgerIT {

    @TempDir
    Path data;

    @Test
    void countsEveryEventOnceToTheNanoDollar() throws Exception {
        Cli.Run run = Cli.run(
                "bench",
                "--ledger",
                "--events",
                "1500",
                "--warmup-events",
                "500",
                "--broker-port",
                "31492",
                "--data-dir",
                data.toString());

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).as("stdout").hasSize(1);
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        assertThat(json.get("exact").asBoolean()).isTrue();
        assertThat(json.get("events").asLong()).isEqualTo(1500);
        // 3 % of the events are sent twice: redeliveries the ledger must not count again
        assertThat(json.get("records").asLong()).isGreaterThan(1500).isLessThan(1600);
        assertThat(json.get("warmupEvents").asInt()).isEqualTo(500);
        assertThat(json.get("guarantee").asText()).isEqualTo("exactly_once_v2");
        assertThat(json.get("threads").asInt()).isEqualTo(1);
        assertThat(json.get("partitions").asInt()).isEqualTo(3);
        assertThat(json.get("commitIntervalMs").asLong()).isPositive();
        assertThat(json.get("eventsPerSecond").asLong()).isPositive();
        assertThat(json.get("streamThreadCpuSeconds").asDouble()).isPositive();
        assertThat(json.get("compilerCpuSeconds").asDouble()).isNotNegative();
        assertThat(json.get("gcCpuSeconds").asDouble()).isNotNegative();
        assertThat(new BigDecimal(json.get("totalUsd").asText())).isPositive();
        assertThat(run.err()).contains("[bench] warm-up counted after");
    }
}
