package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tiergate capacity}: options, output and usage errors (the model itself: capacity/*Test). */
class CapacityCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void defaults() {
        CapacityCommand capacity = Cli.parse(CapacityCommand.class, "capacity");
        assertThat(capacity.rates).containsExactly(400.0, 4000.0, 40000.0);
        assertThat(capacity.sharedCores).isEqualTo(2);
        assertThat(capacity.costCenters).isEqualTo(5);
        assertThat(capacity.planRate).isNull();
        assertThat(capacity.p99TargetMs).isEqualTo(100);
        assertThat(capacity.requests).isEqualTo(200_000);
        assertThat(capacity.json).isFalse();
    }

    @Test
    void jsonPrintsOneLinePerRate() throws Exception {
        Cli.Run run = Cli.run("capacity", "--routing-only", "--rate", "400,2000", "--requests", "2000", "--json")
                .succeeds();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("rate").asDouble()).isEqualTo(400);
        assertThat(first.get("saturatesFirst").asText()).isEqualTo("classifier");
        assertThat(first.get("maxRate").asDouble()).isCloseTo(1000 / 0.84, within(0.01));
        assertThat(first.get("saturated").asBoolean()).isFalse();
        assertThat(first.get("simulatedRoutingP99Ms").isNumber()).isTrue();
        assertThat(first.get("stages").get("classifier").get("utilisation").asDouble())
                .isCloseTo(400 * 0.84 / 1000, within(1e-9));
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("saturated").asBoolean()).isTrue();
        assertThat(second.get("routingP99Ms").isNull()).isTrue();
        assertThat(second.has("simulatedRoutingP99Ms")).isFalse();
    }

    @Test
    void instancesAndPartitionsMoveTheLimit() throws Exception {
        Cli.Run run = Cli.run(
                        "capacity",
                        "--routing-only",
                        "--shared-cores",
                        "0",
                        "--instances",
                        "classifier=4",
                        "--partitions",
                        "3,classifier=2",
                        "--rate",
                        "100",
                        "--requests",
                        "0",
                        "--json")
                .succeeds();
        JsonNode line = JSON.readTree(run.out());
        assertThat(line.get("stages").get("classifier").get("servers").asInt()).isEqualTo(2);
        assertThat(line.get("stages").get("classifier").get("limitRate").asDouble())
                .isCloseTo(2 * 1000 / 0.84, within(0.01));
    }

    @Test
    void thePlanNamesInstancesPartitionsAndCores() throws Exception {
        Cli.Run run = Cli.run("capacity", "--plan", "10000", "--requests", "0", "--json")
                .succeeds();
        List<String> lines = run.out().lines().toList();
        JsonNode plan = JSON.readTree(lines.get(0));
        assertThat(plan.get("feasible").asBoolean()).isTrue();
        assertThat(plan.get("brokers").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(plan.get("services").get("classifier").get("instances").asInt())
                .isEqualTo(plan.get("partitions").get("inference.requests").asInt());
        assertThat(plan.get("totalCores").asInt()).isPositive();
        JsonNode at = JSON.readTree(lines.get(1));
        assertThat(at.get("rate").asDouble()).isEqualTo(10000);
        assertThat(at.get("routingP99Ms").asDouble()).isLessThanOrEqualTo(100);
    }

    @Test
    void theTableSaysWhatSaturatesFirst() {
        Cli.Run run = Cli.run("capacity", "--rate", "400", "--requests", "1000").succeeds();
        assertThat(run.out())
                .contains("CPU per request 3.67 ms")
                .contains("rate 400 req/s")
                .contains("classifier")
                .contains("saturates first:");
    }

    @ParameterizedTest(name = "capacity {0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--rate|0|every --rate must be > 0 req/s",
                "--instances|frontend=2|unknown service 'frontend'",
                "--instances|classifier=0|instances of classifier must be >= 1",
                "--cost|sorter=1|--cost: unknown stage 'sorter'",
                "--cost|classifier=-1|--cost: cost of classifier must be >= 0 ms",
                "--partitions|many|--partitions: 'many' is not a whole number",
                "--partitions|gateway=2|--partitions: gateway reads no partitioned topic",
                "--service-times|uniform|--service-times must be exponential, measured or lognormal:CV",
                "--plan|-5|--plan must be > 0 req/s",
                "--requests|10|--requests must be 0 or >= 100",
                "--cost-centers|0|active cost centers must be >= 1"
            })
    void aValueOutOfRangeIsNamed(String option, String value, String message) {
        Cli.Run run = Cli.run("capacity", option, value).failsWith(message);
        assertThat(run.err()).contains("Usage: tiergate capacity");
    }
}
