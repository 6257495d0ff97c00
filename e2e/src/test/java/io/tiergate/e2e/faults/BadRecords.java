package io.tiergate.e2e.faults;

import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.SchemaRegistryClient;
import io.tiergate.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Events for the bad-input and budget scenarios: well-formed ones to corrupt, and ones a newer writer would send. */
final class BadRecords {

    private static final String SONNET = "anthropic/claude-sonnet-4.6";

    private BadRecords() {}

    static byte[] withSchemaId(byte[] framed, int id) {
        byte[] copy = framed.clone();
        copy[1] = (byte) (id >>> 24);
        copy[2] = (byte) (id >>> 16);
        copy[3] = (byte) (id >>> 8);
        copy[4] = (byte) id;
        return copy;
    }

    /**
     * {@code framed} with the UTF-8 bytes of {@code marker} overwritten by {@code replacement} of the
     * same length, so the Avro string length stays valid and only the text's encoding is broken.
     */
    static byte[] withBytesReplaced(byte[] framed, String marker, byte[] replacement) {
        byte[] target = marker.getBytes(StandardCharsets.UTF_8);
        if (target.length != replacement.length) {
            throw new IllegalArgumentException("replacement must be as long as the marker's UTF-8 bytes");
        }
        for (int i = 0; i + target.length <= framed.length; i++) {
            if (Arrays.equals(framed, i, i + target.length, target, 0, target.length)) {
                byte[] copy = framed.clone();
                System.arraycopy(replacement, 0, copy, i, replacement.length);
                return copy;
            }
        }
        throw new IllegalArgumentException("marker '" + marker + "' not in the record");
    }

    static BudgetConfig budget(String scope, String dailyUsd) {
        return BudgetConfig.newBuilder()
                .setScope(scope)
                .setDailyLimitUsd(Money.usd(new BigDecimal(dailyUsd)))
                .setOnExhausted(OnExhausted.REJECT)
                .setUpdatedAt(Instant.now())
                .build();
    }

    /**
     * A routing rule written by a newer producer whose Tier enum has a symbol this build does not
     * know, registered under routing.rules-value (BACKWARD compatible: it only adds a symbol).
     */
    static byte[] ruleWithUnknownTierSymbol(SchemaRegistryClient registry, String taskType, String symbol)
            throws IOException {
        String json = RoutingRule.getClassSchema().toString();
        String symbols = "\"symbols\":[\"LOCAL\",\"CLOUD\",\"NONE\",\"UNKNOWN\"]";
        if (!json.contains(symbols)) {
            throw new IllegalStateException("Tier symbols changed: " + json);
        }
        Schema newer = new Schema.Parser()
                .parse(json.replace(
                        symbols, "\"symbols\":[\"LOCAL\",\"CLOUD\",\"NONE\",\"UNKNOWN\",\"" + symbol + "\"]"));
        int id = registry.register(Topics.ROUTING_RULES.name() + "-value", newer);
        GenericRecord rule = new GenericData.Record(newer);
        rule.put("taskType", taskType);
        rule.put("tier", new GenericData.EnumSymbol(newer.getField("tier").schema(), symbol));
        rule.put("model", "qwen3:8b");
        rule.put("fallbackModels", List.of());
        rule.put("localComplexityThreshold", null);
        rule.put("updatedAt", System.currentTimeMillis());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(newer).write(rule, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static ClassifiedRequest classified(String id, String costCenter) {
        return ClassifiedRequest.newBuilder()
                .setRequest(Upstream.request(id, "Summarize the incident report.", costCenter)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setTaskType(TaskType.SUMMARIZATION)
                        .setConfidence(1.0)
                        .setEstimatedInputTokens(8)
                        .setComplexity(0.1)
                        .build())
                .setClassifiedAt(Instant.now())
                .build();
    }

    static RoutedRequest routed(String id) {
        ClassifiedRequest c = classified(id, "bad");
        RoutingDecision d = RoutingDecision.newBuilder()
                .setRequestId(id)
                .setCostCenter("bad")
                .setTaskType(TaskType.SUMMARIZATION)
                .setAction(RoutingAction.ROUTE)
                .setTier(Tier.CLOUD)
                .setModel(SONNET)
                .setEstimatedCostUsd(Money.usd(new BigDecimal("0.01")))
                .setBudgetLevel(BudgetLevel.NORMAL)
                .setRule("TASK_TABLE")
                .setRationale("test")
                .setSovereign(false)
                .setDecidedAt(Instant.now())
                .build();
        return RoutedRequest.newBuilder().setClassified(c).setDecision(d).build();
    }

    static CostEvent costEvent(String id) {
        BigDecimal zero = Money.ZERO;
        return CostEvent.newBuilder()
                .setRequestId(id)
                .setCostCenter("bad")
                .setTaskType(TaskType.SUMMARIZATION)
                .setTier(Tier.CLOUD)
                .setModel(SONNET)
                .setAttempt(1)
                .setProvider("openrouter")
                .setReason(CostReason.PRIMARY)
                .setCostUsd(Money.usd(new BigDecimal("0.001")))
                .setBreakdown(CostBreakdown.newBuilder()
                        .setSource(CostSource.PRICE_TABLE)
                        .setInputUsd(zero)
                        .setOutputUsd(zero)
                        .setCachedReadUsd(zero)
                        .setCacheWriteUsd(zero)
                        .setEnergyUsd(zero)
                        .setDepreciationUsd(zero)
                        .setMaintenanceUsd(zero)
                        .build())
                .setOccurredAt(Instant.now())
                .build();
    }
}
