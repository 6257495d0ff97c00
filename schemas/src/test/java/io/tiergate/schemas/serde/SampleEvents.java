package io.tiergate.schemas.serde;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CalibrationJudge;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.ChatMessage;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostCenter;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.OpsAction;
import io.tiergate.schemas.events.OpsAuditEvent;
import io.tiergate.schemas.events.PrincipalSource;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.ShadowAnswer;
import io.tiergate.schemas.events.ShadowOf;
import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.VirtualKey;
import io.tiergate.schemas.events.WindowKind;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * One instance of every event type with every field set to a non-default value (optional fields
 * present, non-ASCII text, amounts with all nine decimals), so a round trip that drops or mangles
 * any field is caught.
 */
public final class SampleEvents {

    private SampleEvents() {}

    static final Instant T0 = Instant.parse("2026-11-22T10:15:30.123Z");

    public static InferenceRequest inferenceRequest() {
        return InferenceRequest.newBuilder()
                .setRequestId("req-1")
                .setPrompt("Summarise: Grüße aus Köln — 🚀")
                .setSystemPrompt("be brief")
                .setCostCenter("team-a")
                .setTaskTypeHint("SUMMARIZATION")
                .setRequiresDataSovereignty(true)
                .setLatencyBudgetMs(2_500L)
                .setMaxOutputTokens(512)
                .setCreatedAt(T0)
                .setAttributes(new LinkedHashMap<>(Map.of("pipeline", "nightly", "step", "3")))
                .setMessages(List.of(
                        ChatMessage.newBuilder()
                                .setRole("assistant")
                                .setContent("")
                                .setName("helper")
                                .setToolCalls("[{\"id\":\"call_1\",\"type\":\"function\","
                                        + "\"function\":{\"name\":\"lookup\",\"arguments\":\"{}\"}}]")
                                .build(),
                        ChatMessage.newBuilder()
                                .setRole("tool")
                                .setContent("Grüße")
                                .setToolCallId("call_1")
                                .build()))
                .setTools("[{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}]")
                .setToolChoice("\"auto\"")
                .setResponseFormat("{\"type\":\"json_object\"}")
                .setTemperature(0.25)
                .build();
    }

    public static Classification classification() {
        return Classification.newBuilder()
                .setTaskType(TaskType.CODE_REVIEW)
                .setConfidence(0.875)
                .setEvidence(List.of("hint=CODE_REVIEW", "signal=diff"))
                .setEstimatedInputTokens(1_234)
                .setTokenEncoding("o200k_base")
                .setComplexity(0.5)
                .setContainsSensitiveData(true)
                .setSensitiveKinds(List.of("EMAIL"))
                .setHintUsed(true)
                .setClassifierVersion("minilm-1")
                .build();
    }

    public static ClassifiedRequest classifiedRequest() {
        return ClassifiedRequest.newBuilder()
                .setRequest(inferenceRequest())
                .setClassification(classification())
                .setClassifiedAt(T0.plusMillis(5))
                .build();
    }

    public static RoutingDecision routingDecision() {
        return RoutingDecision.newBuilder()
                .setRequestId("req-1")
                .setCostCenter("team-a")
                .setTaskType(TaskType.ARCHITECTURE)
                .setAction(RoutingAction.ROUTE)
                .setTier(Tier.CLOUD)
                .setModel("anthropic/claude-opus-4.6")
                .setCapabilityClass(CapabilityClass.FRONTIER)
                .setFallbackModels(List.of("anthropic/claude-sonnet-4.6"))
                .setEstimatedCostUsd(Money.usd("0.123456789"))
                .setBudgetLevel(BudgetLevel.CONSERVE)
                .setRule("TASK_TABLE")
                .setRationale("ARCHITECTURE needs frontier")
                .setSovereign(false)
                .setDecidedAt(T0.plusMillis(7))
                .setCostCeilingUsd(Money.usd("1.234567891"))
                .build();
    }

    public static RoutedRequest routedRequest() {
        return RoutedRequest.newBuilder()
                .setClassified(classifiedRequest())
                .setDecision(routingDecision())
                .setAttempt(2)
                .setEscalationReason("local timeout")
                .setPriorCostUsd(Money.usd("0.000123456"))
                .setPriorReasons(List.of("LOCAL_TIMEOUT"))
                // every field set (RoundTripTest); a tier topic's request never carries a shadow
                .setShadow(ShadowOf.newBuilder()
                        .setCostCenter("team-ä")
                        .setLocalModel("qwen3:8b")
                        .setLocalAnswer("{\"name\": \"Jörg\"}")
                        .setLocalSimulated(true)
                        .setSampledAt(T0)
                        .build())
                .build();
    }

    public static ShadowAnswer shadowAnswer() {
        return ShadowAnswer.newBuilder()
                .setRequestId("req-1")
                .setCostCenter("team-ä")
                .setTaskType(TaskType.EXTRACTION)
                .setAttributes(Map.of("labels", "a,b"))
                .setPrompt("Extract the name: Jörg")
                .setLocalModel("qwen3:8b")
                .setLocalAnswer("{\"name\": \"Jörg\"}")
                .setReferenceModel("anthropic/claude-sonnet-4.5")
                .setReferenceAnswer("{\"name\": \"Jörg\", \"city\": \"Köln\"}")
                .setShadowCostUsd(Money.usd("0.004521000"))
                .setSimulated(true)
                .setAnsweredAt(T0)
                .build();
    }

    public static InferenceResult inferenceResult() {
        return InferenceResult.newBuilder()
                .setRequestId("req-1")
                .setCostCenter("team-a")
                .setTaskType(TaskType.DEBUGGING)
                .setStatus(ResultStatus.FAILED)
                .setTier(Tier.CLOUD)
                .setModel("anthropic/claude-sonnet-4.6")
                .setCapabilityClass(CapabilityClass.STRONG)
                .setProvider("openrouter")
                .setSimulated(true)
                .setOutput("partial")
                .setErrorCode("UPSTREAM_5XX")
                .setErrorMessage("bad gateway")
                .setAttempts(3)
                .setReasons(List.of("RETRY", "ESCALATION"))
                .setInputTokens(1_000L)
                .setOutputTokens(200L)
                .setTotalCostUsd(Money.usd("12345678901.000000001"))
                .setLatencyMs(4_321L)
                .setTtftMs(350L)
                .setCompletedAt(T0.plusSeconds(5))
                .setToolCalls("[{\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Köln\\\"}\"}}]")
                .setFinishReason("tool_calls")
                .build();
    }

    public static CostEvent costEvent() {
        return CostEvent.newBuilder()
                .setRequestId("req-1")
                .setAttempt(2)
                .setCostCenter("team-a")
                .setTaskType(TaskType.IMPLEMENTATION)
                .setTier(Tier.CLOUD)
                .setModel("anthropic/claude-haiku-4.5")
                .setProvider("anthropic")
                .setSimulated(true)
                .setReason(CostReason.ESCALATION)
                .setSuccess(false)
                .setInputTokens(10_000L)
                .setOutputTokens(2_000L)
                .setCachedReadTokens(300L)
                .setCacheWriteTokens(40L)
                .setCostUsd(Money.usd("0.020000001"))
                .setBreakdown(CostBreakdown.newBuilder()
                        .setSource(CostSource.PRICE_TABLE)
                        .setInputUsd(Money.usd("0.01"))
                        .setOutputUsd(Money.usd("0.01"))
                        .setCachedReadUsd(Money.usd("0.000000001"))
                        .setCacheWriteUsd(Money.usd("0"))
                        .setEnergyUsd(Money.usd("-0.000000001"))
                        .setDepreciationUsd(Money.usd("0.000000002"))
                        .setMaintenanceUsd(Money.usd("0.000000003"))
                        .setPriceTableVersion("2026-11-01")
                        .build())
                .setLatencyMs(900L)
                .setOccurredAt(T0.plusSeconds(6))
                .setInDoubt(true)
                .build();
    }

    public static AttemptStarted attemptStarted() {
        return AttemptStarted.newBuilder()
                .setRequestId("req-1")
                .setAttempt(2)
                .setSourceTopic("inference.tier.cloud")
                .setSourcePartition(3)
                .setSourceOffset(12_345L)
                .setWorkerId("cloud-1")
                .setStartedAt(T0.plusSeconds(5))
                .setWorstCase(costEvent())
                .build();
    }

    public static StreamChunk streamChunk() {
        return StreamChunk.newBuilder()
                .setRequestId("req-1")
                .setAttempt(2)
                .setSeq(7)
                .setDelta(" Grüße — 🚀")
                .setFinishReason("length")
                .setInputTokens(1_000L)
                .setOutputTokens(200L)
                .setModel("qwen3:8b")
                .setTier(Tier.LOCAL)
                .setProducedAt(T0.plusSeconds(4))
                .build();
    }

    public static CostWindow costWindow() {
        return CostWindow.newBuilder()
                .setScope("team-a")
                .setTaskType(TaskType.BOILERPLATE)
                .setTier(Tier.LOCAL)
                .setModel("qwen3:8b")
                .setWindowKind(WindowKind.HOUR)
                .setWindowStart(Instant.parse("2026-11-22T10:00:00Z"))
                .setWindowEnd(Instant.parse("2026-11-22T11:00:00Z"))
                .setSpendUsd(Money.usd("1.5"))
                .setReworkSpendUsd(Money.usd("0.25"))
                .setCalibrationSpendUsd(Money.usd("0.125"))
                .setInputTokens(100_000L)
                .setOutputTokens(20_000L)
                .setRequestCount(42L)
                .setAvgLatencyMs(812.5)
                .setClosed(true)
                .setUpdatedAt(T0)
                .build();
    }

    public static BudgetConfig budgetConfig() {
        return BudgetConfig.newBuilder()
                .setScope("team-a")
                .setDailyLimitUsd(Money.usd("10"))
                .setMonthlyLimitUsd(Money.usd("200.5"))
                .setConserveThreshold(0.7)
                .setCriticalThreshold(0.9)
                .setOnExhausted(OnExhausted.DEFER)
                .setTimezone("Europe/Berlin")
                .setUpdatedAt(T0)
                .build();
    }

    public static BudgetStatus budgetStatus() {
        return BudgetStatus.newBuilder()
                .setScope("global")
                .setLevel(BudgetLevel.CRITICAL_ONLY)
                .setOnExhausted(OnExhausted.REJECT)
                .setDailySpendUsd(Money.usd("9.6"))
                .setDailyLimitUsd(Money.usd("10"))
                .setMonthlySpendUsd(Money.usd("100"))
                .setMonthlyLimitUsd(Money.usd("200"))
                .setUtilization(0.96)
                .setBurnRateUsdPerHour(Money.usd("0.333333333"))
                .setForecastExhaustionAt(T0.plusSeconds(3_600))
                .setAnomaly(true)
                .setPeriodDayStart(Instant.parse("2026-11-22T00:00:00Z"))
                .setPeriodMonthStart(Instant.parse("2026-11-01T00:00:00Z"))
                .setUpdatedAt(T0)
                .setCountedCostOffsets(countedCostOffsets())
                .setDailyOpenAttemptsUsd(Money.usd("0.250000000"))
                .setMonthlyOpenAttemptsUsd(Money.usd("1.250000000"))
                .build();
    }

    public static RoutingRule routingRule() {
        return RoutingRule.newBuilder()
                .setTaskType("BOILERPLATE")
                .setTier(Tier.LOCAL)
                .setModel("qwen3:8b")
                .setFallbackModels(List.of("deepseek/deepseek-chat"))
                .setLocalComplexityThreshold(0.6)
                .setUpdatedAt(T0)
                .build();
    }

    public static WorkerHealth workerHealth() {
        return WorkerHealth.newBuilder()
                .setWorkerId("cloud-worker-1")
                .setTier(Tier.CLOUD)
                .setQueueDepth(7)
                .setQueueLimit(64)
                .setCircuit(CircuitState.HALF_OPEN)
                .setUpdatedAt(T0)
                .build();
    }

    public static CostCenter costCenter() {
        return CostCenter.newBuilder()
                .setName("team-search")
                .setDescription("Suche & Empfehlungen — Köln")
                .setRegisteredAt(T0)
                .build();
    }

    public static OpsAuditEvent opsAuditEvent() {
        return OpsAuditEvent.newBuilder()
                .setAuditId("5d1f0c1e-8a4e-4f7b-9d55-0c7f1b2a3e44")
                .setOccurredAt(T0)
                .setPrincipal("alice")
                .setPrincipalSource(PrincipalSource.KAFKA_SASL)
                .setReason("Q4 freeze: halve the daily cloud budget — approved by Jörg")
                .setAction(OpsAction.SET)
                .setTopic(Topics.Names.BUDGET_CONFIG)
                .setKey("team-search")
                .setValue("{\"scope\": \"team-search\"}")
                .setHost("ops-laptop-7")
                .build();
    }

    public static VirtualKey virtualKey() {
        return VirtualKey.newBuilder()
                .setKeyHash("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setKeyPrefix("tg-Ab3dE")
                .setCostCenter("team-ä")
                .setName("nightly pipeline")
                .setMaxOutputTokens(2_048)
                .setRequireSovereignty(true)
                .setCreatedAt(T0)
                .setRevokedAt(T0.plusSeconds(60))
                .build();
    }

    public static CalibrationSample calibrationSample() {
        return CalibrationSample.newBuilder()
                .setRequestId("req-cal-1")
                .setCostCenter("team-ä")
                .setTaskType(TaskType.EXTRACTION)
                .setLocalModel("qwen3:8b")
                .setReferenceModel("anthropic/claude-sonnet-4.5")
                .setJudge(CalibrationJudge.FIELDS)
                .setAgreement(0.75)
                .setAgreed(true)
                .setShadowCostUsd(Money.usd("0.004521000"))
                .setJudgeCostUsd(Money.usd("0.000100001"))
                .setSimulated(true)
                .setOccurredAt(T0)
                .build();
    }

    public static CalibrationStat calibrationStat() {
        return CalibrationStat.newBuilder()
                .setTaskType(TaskType.EXTRACTION)
                .setLocalModel("qwen3:8b")
                .setReferenceModel("anthropic/claude-sonnet-4.5")
                .setJudge(CalibrationJudge.FIELDS)
                .setSamples(40)
                .setAgreed(28)
                .setAgreementRate(0.7)
                .setLower95(0.545)
                .setUpper95(0.819)
                .setSampleCostUsd(Money.usd("0.180840040"))
                .setRecentSamples(12)
                .setRecentAgreed(9)
                .setFirstSampleAt(T0)
                .setLastSampleAt(T0.plusSeconds(3_600))
                .build();
    }

    /** One sample per event type, keyed by class: every value type of {@link Topics#ALL}. */
    public static Map<Class<? extends SpecificRecord>, SpecificRecord> all() {
        Map<Class<? extends SpecificRecord>, SpecificRecord> all = new LinkedHashMap<>();
        for (SpecificRecord r : List.of(
                inferenceRequest(),
                classifiedRequest(),
                routingDecision(),
                routedRequest(),
                inferenceResult(),
                costEvent(),
                attemptStarted(),
                streamChunk(),
                costWindow(),
                budgetConfig(),
                budgetStatus(),
                routingRule(),
                workerHealth(),
                costCenter(),
                opsAuditEvent(),
                virtualKey(),
                calibrationSample(),
                calibrationStat(),
                shadowAnswer())) {
            all.put(r.getClass(), r);
        }
        for (Topic<?> topic : Topics.ALL) {
            if (!all.containsKey(topic.valueType())) {
                throw new IllegalStateException(
                        "SampleEvents lacks a sample of " + topic.valueType().getName());
            }
        }
        return all;
    }

    /** The sample for a topic's value type. */
    @SuppressWarnings("unchecked")
    public static <V extends SpecificRecord> V forTopic(Topic<V> topic) {
        return (V) all().get(topic.valueType());
    }

    /**
     * In ascending key order: an Avro map is encoded in iteration order, and the npm Confluent client
     * (ConfluentNodeClientIT) holds maps as JavaScript objects, which iterate integer-like keys in
     * ascending order, so only this order re-encodes byte for byte.
     */
    private static Map<String, Long> countedCostOffsets() {
        Map<String, Long> offsets = new java.util.LinkedHashMap<>();
        offsets.put("0", 1_234L);
        offsets.put("2", 77L);
        return offsets;
    }
}
