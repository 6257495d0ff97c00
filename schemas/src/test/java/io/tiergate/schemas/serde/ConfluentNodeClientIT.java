package io.tiergate.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.registry.EmbeddedSchemaRegistry;
import io.tiergate.schemas.registry.TopicSchemas;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wire compatibility proved with a client we did not write: npm's
 * {@code @kafkajs/confluent-schema-registry} (Confluent wire format, avsc for Avro) against our
 * {@link EmbeddedSchemaRegistry}. It decodes what our serializer wrote and re-encodes it
 * byte-for-byte; it registers and encodes a record of its own, which our deserializer reads.
 *
 * <p>Skipped, with a message, only when {@code node} or the npm package is missing; install with
 * {@code schemas/src/test/node/install.sh}.
 */
class ConfluentNodeClientIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    private static Path nodeDir() {
        return Path.of(System.getProperty("basedir", ".")).resolve("src/test/node");
    }

    @BeforeEach // not @BeforeAll: surefire then reports the test as skipped, with the reason
    void requireNodeAndTheClient() {
        Assumptions.assumeTrue(
                nodeAnswers(), "Skipped: `node` is not on the PATH (ConfluentNodeClientIT needs Node.js 18+)");
        Assumptions.assumeTrue(
                Files.isDirectory(nodeDir().resolve("node_modules/@kafkajs/confluent-schema-registry")),
                "Skipped: npm package @kafkajs/confluent-schema-registry is not installed; run schemas/src/test/node/install.sh");
    }

    private static boolean nodeAnswers() {
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aThirdPartyConfluentClientReadsOurBytesAndWeReadItsBytes() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0, dir.resolve("registry.json"))) {
            // our side: every event type, written by the serializer as a service would
            var ours = new AvroSerializer<SpecificRecord>(
                    new HttpSchemaRegistryClient(registry.url(), Optional.empty(), 2, Duration.ofMillis(10)), false);
            Map<String, byte[]> written = new HashMap<>();
            ObjectNode input = JSON.createObjectNode().put("nodeSubject", "node.worker.health-value");
            ArrayNode records = input.putArray("records");
            for (var sample : SampleEvents.all().entrySet()) {
                String type = sample.getKey().getSimpleName();
                byte[] bytes = ours.serialize("interop." + type, sample.getValue());
                written.put(type, bytes);
                records.addObject().put("type", type).put("hex", HEX.formatHex(bytes));
            }

            JsonNode output = runNode(registry.url(), input);

            // their decode + re-encode of every event is byte-identical to what we wrote
            assertThat(output.get("records")).hasSize(written.size());
            for (JsonNode record : output.get("records")) {
                String type = record.get("type").asText();
                assertThat(record.get("reencodedHex").asText())
                        .as("%s re-encoded by the node client", type)
                        .isEqualTo(HEX.formatHex(written.get(type)));
            }
            // and it decoded real values, not just bytes it passed through
            Map<String, JsonNode> decoded = new HashMap<>();
            output.get("records").forEach(r -> decoded.put(r.get("type").asText(), r.get("decoded")));
            InferenceRequest request = SampleEvents.inferenceRequest();
            assertThat(decoded.get("InferenceRequest").get("prompt").asText()).isEqualTo(request.getPrompt());
            assertThat(decoded.get("InferenceRequest").get("createdAt").asLong())
                    .isEqualTo(request.getCreatedAt().toEpochMilli());
            assertThat(decoded.get("InferenceRequest")
                            .get("attributes")
                            .get("pipeline")
                            .asText())
                    .isEqualTo("nightly");
            CostEvent cost = SampleEvents.costEvent();
            assertThat(decoded.get("CostEvent").get("costUsd").asText())
                    .as("decimal(20,9) as big-endian two's complement of the unscaled value")
                    .isEqualTo(HEX.formatHex(cost.getCostUsd().unscaledValue().toByteArray()));
            assertThat(decoded.get("CostEvent").get("breakdown").get("source").asText())
                    .isEqualTo("PRICE_TABLE");
            assertThat(decoded.get("WorkerHealth").get("circuit").asText()).isEqualTo("HALF_OPEN");

            // their own schema and record, read by our deserializer through a client of its own
            byte[] theirs = HEX.parseHex(output.get("node").get("hex").asText());
            int theirId = output.get("node").get("id").asInt();
            assertThat(theirs).startsWith(0, theirId >>> 24, theirId >>> 16, theirId >>> 8, theirId);
            var deserializer = new AvroDeserializer<>(
                    new HttpSchemaRegistryClient(registry.url() + "/", Optional.empty(), 2, Duration.ofMillis(10)),
                    WorkerHealth.class);
            assertThat(deserializer.deserialize("node.worker.health", theirs))
                    .isEqualTo(WorkerHealth.newBuilder()
                            .setWorkerId("node-1")
                            .setTier(Tier.CLOUD)
                            .setQueueDepth(5)
                            .setQueueLimit(9)
                            .setCircuit(CircuitState.OPEN)
                            .setUpdatedAt(Instant.ofEpochMilli(1_700_000_000_123L))
                            .build());
        }
    }

    @Test
    void aProducerThatOnlyLooksUpTheLatestSchemaWorksOnAFreshRegistryOnceTopicsAreProvisioned() throws Exception {
        List<BigDecimal> amounts = List.of(
                new BigDecimal("0.789277838"),
                new BigDecimal("-0.000000001"),
                new BigDecimal("0.000000000"),
                new BigDecimal("12345678901.123456789"));
        ObjectNode input = JSON.createObjectNode();
        ArrayNode decimals = input.putArray("decimalsHex");
        amounts.forEach(a -> decimals.add(HEX.formatHex(a.unscaledValue().toByteArray())));
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0, dir.resolve("registry.json"))) {
            // the reported first hour: a fresh registry has no inference.requests-value subject
            NodeRun before = node("produce-by-latest-schema.js", registry.url(), input);
            assertThat(before.exitCode()).isNotZero();
            assertThat(before.log()).contains("not found");

            new TopicSchemas(new HttpSchemaRegistryClient(registry.url(), Optional.empty(), 2, Duration.ofMillis(10)))
                    .registerAll();
            NodeRun after = node("produce-by-latest-schema.js", registry.url(), input);
            assertThat(after.exitCode()).as("node producer:%n%s", after.log()).isZero();

            JsonNode output = JSON.readTree(dir.resolve("output.json").toFile());
            var deserializer = new AvroDeserializer<>(
                    new HttpSchemaRegistryClient(registry.url(), Optional.empty(), 2, Duration.ofMillis(10)),
                    InferenceRequest.class);
            InferenceRequest request = deserializer.deserialize(
                    "inference.requests", HEX.parseHex(output.get("hex").asText()));
            assertThat(request.getRequestId()).isEqualTo("r-1");
            assertThat(request.getCostCenter()).isEqualTo("team-a");
            assertThat(request.getLatencyBudgetMs()).isEqualTo(5000L);
            assertThat(request.getSystemPrompt())
                    .as("omitted: the schema default")
                    .isNull();
            assertThat(request.getAttributes()).isEmpty();
            assertThat(request.getCreatedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
            // the page's decimalUsd gives the exact amount back
            List<String> converted = new ArrayList<>();
            output.get("decimals").forEach(d -> converted.add(d.asText()));
            assertThat(converted)
                    .containsExactlyElementsOf(
                            amounts.stream().map(BigDecimal::toPlainString).toList());
        }
    }

    private record NodeRun(int exitCode, String log) {}

    private NodeRun node(String script, String registryUrl, JsonNode input) throws IOException, InterruptedException {
        Path in = dir.resolve("input.json");
        Path out = dir.resolve("output.json");
        Path log = dir.resolve("node.log");
        Files.writeString(in, JSON.writeValueAsString(input));
        Process node = new ProcessBuilder("node", script, registryUrl, in.toString(), out.toString())
                .directory(nodeDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("node client did not finish within 60 s: " + Files.readString(log));
        }
        return new NodeRun(node.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private JsonNode runNode(String registryUrl, JsonNode input) throws IOException, InterruptedException {
        Path in = dir.resolve("input.json");
        Path out = dir.resolve("output.json");
        Path log = dir.resolve("node.log");
        Files.writeString(in, JSON.writeValueAsString(input));
        Process node = new ProcessBuilder("node", "confluent-interop.js", registryUrl, in.toString(), out.toString())
                .directory(nodeDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("node client did not finish within 60 s: " + Files.readString(log));
        }
        assertThat(node.exitValue())
                .as("node client failed:%n%s", Files.readString(log, StandardCharsets.UTF_8))
                .isZero();
        return JSON.readTree(out.toFile());
    }
}
