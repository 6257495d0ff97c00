package io.tiergate.classifier.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.classifier.classify.OnnxSentenceEmbedder;
import io.tiergate.schemas.events.CalibrationJudge;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.ShadowAnswer;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.money.Money;
import io.tiergate.worker.simulated.SimulatedAnswers;
import io.tiergate.worker.simulated.SimulatedQuality;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The judges on real answers' shapes, and on the simulated backends' planted errors. */
class ShadowJudgesTest {

    private static OnnxSentenceEmbedder minilm;
    private static ShadowJudges judges;

    @BeforeAll
    static void load() {
        minilm = new OnnxSentenceEmbedder(OnnxSentenceEmbedder.Spec.MINILM, 1, 128);
        judges = new ShadowJudges(
                new FieldsJudge(0.9),
                new EmbeddingJudge(minilm, 0.8),
                Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void labelsAgreeExactlyWhateverTheirQuotingAndCase() {
        assertThat(judges.judge(TaskType.CLASSIFICATION, "\"Bug.\"", "bug").agreed())
                .isTrue();
        assertThat(judges.judge(TaskType.CLASSIFICATION, "`billing`", "Billing").agreement())
                .isEqualTo(1.0);
        Verdict wrong = judges.judge(TaskType.CLASSIFICATION, "feature", "bug");
        assertThat(wrong.judge()).isEqualTo(CalibrationJudge.LABEL);
        assertThat(wrong.agreement()).isZero();
        assertThat(wrong.agreed()).isFalse();
    }

    @Test
    void extractionAgreesFieldByField() {
        String reference = "{\"invoice\": \"INV-2041\", \"total\": 118.40, \"currency\": \"EUR\", \"city\": \"Köln\"}";
        Verdict same = judges.judge(
                TaskType.EXTRACTION,
                "```json\n{\"city\": \"köln \", \"total\": 118.4, \"currency\": \"EUR\", \"invoice\": \"INV-2041\"}\n```",
                reference);
        assertThat(same.agreement()).isEqualTo(1.0);
        assertThat(same.agreed()).isTrue();
        Verdict missing = judges.judge(
                TaskType.EXTRACTION,
                "{\"invoice\": \"INV-2041\", \"total\": 118.40, \"currency\": \"EUR\"}",
                reference);
        assertThat(missing.agreement()).isEqualTo(0.75);
        assertThat(missing.agreed()).isFalse();
        Verdict prose = judges.judge(TaskType.EXTRACTION, "The invoice is INV-2041.", reference);
        assertThat(prose.agreement()).isZero();
    }

    @Test
    void proseAgreesBySentenceEmbeddingAndOffTopicDoesNot() {
        Verdict paraphrase = judges.judge(
                TaskType.SUMMARIZATION,
                "The outage was caused by an expired TLS certificate on the load balancer and lasted two hours.",
                "An expired TLS certificate on the load balancer caused the two-hour outage.");
        Verdict offTopic = judges.judge(
                TaskType.SUMMARIZATION,
                "Migrating birds navigate by the stars, the sun and the earth's magnetic field.",
                "An expired TLS certificate on the load balancer caused the two-hour outage.");
        assertThat(paraphrase.judge()).isEqualTo(CalibrationJudge.EMBEDDING);
        assertThat(paraphrase.agreement()).isGreaterThan(0.8);
        assertThat(paraphrase.agreed()).isTrue();
        assertThat(offTopic.agreement()).isLessThan(0.5);
        assertThat(offTopic.agreed()).isFalse();
    }

    @Test
    void theJudgesFindThePlantedSimulatedErrorsAndOnlyThose() {
        SimulatedAnswers reference = new SimulatedAnswers(SimulatedQuality.NONE);
        for (TaskType type : new TaskType[] {TaskType.CLASSIFICATION, TaskType.EXTRACTION, TaskType.CONVERSATION}) {
            SimulatedAnswers local = new SimulatedAnswers(new SimulatedQuality(Map.of(type, 0.3), Map.of()));
            int planted = 0;
            int disagreed = 0;
            int n = 200;
            for (int i = 0; i < n; i++) {
                String id = "cal-" + type + "-" + i;
                String prompt = "Request " + i + ": the customer Jörg reports that the export to CSV fails on Mondays";
                Map<String, String> labels = Map.of("labels", "bug,billing,feature,question");
                boolean wrong = local.wrong(id, type);
                Verdict v = judges.judge(
                        type,
                        local.answer(id, "qwen3:8b", type, prompt, labels),
                        reference.answer(id, "anthropic/claude-sonnet-4.6", type, prompt, labels));
                planted += wrong ? 1 : 0;
                disagreed += v.agreed() ? 0 : 1;
                assertThat(v.agreed())
                        .as("%s %s planted wrong=%s", type, id, wrong)
                        .isEqualTo(!wrong);
            }
            assertThat(disagreed).isEqualTo(planted).isBetween(40, 80);
        }
    }

    @Test
    void aSampleCarriesTheCallersCostCenterKeyedByTaskTypeAndLocalModel() {
        ShadowAnswer answer = ShadowAnswer.newBuilder()
                .setRequestId("r1")
                .setCostCenter("team-a")
                .setTaskType(TaskType.EXTRACTION)
                .setPrompt("Extract")
                .setLocalModel("qwen3:8b")
                .setLocalAnswer("{\"a\": 1}")
                .setReferenceModel("anthropic/claude-sonnet-4.6")
                .setReferenceAnswer("{\"a\": 1, \"b\": 2}")
                .setShadowCostUsd(Money.usd("0.0012"))
                .setSimulated(true)
                .setAnsweredAt(Instant.parse("2026-12-05T11:59:00Z"))
                .build();
        CalibrationSample sample = judges.sample(answer);
        assertThat(ShadowJudges.key(sample)).isEqualTo("EXTRACTION|qwen3:8b");
        assertThat(sample.getCostCenter()).isEqualTo("team-a");
        assertThat(sample.getAgreement()).isEqualTo(0.5);
        assertThat(sample.getAgreed()).isFalse();
        assertThat(sample.getShadowCostUsd()).isEqualByComparingTo("0.0012");
        assertThat(sample.getJudgeCostUsd()).isZero();
        assertThat(sample.getSimulated()).isTrue();
    }
}
