package io.tiergate.classifier.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.tiergate.classifier.classify.RequestClassifier;
import io.tiergate.classifier.classify.RequestClassifier.Source;
import io.tiergate.schemas.events.TaskType;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The classifier's meters on /prometheus: classifications by task type and source
 * ({@code tiergate.classifier.classifications{type,source}}, source = hint, fast-model or
 * embedding-model), the confidence distribution ({@code tiergate.classifier.confidence}) and the
 * classification latency by source ({@code tiergate.classifier.latency}). All registered at start,
 * so a dashboard sees zeros instead of gaps, and a meter misconfiguration fails the start, not a
 * record. Dead letters are counted by the platform ({@code tiergate.dlq.records{topic}}).
 */
@Singleton
@Requires(notEnv = Environment.CLI)
public class ClassifierMetrics {

    private static final double[] CONFIDENCE_BUCKETS = {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0};

    private final DistributionSummary confidence;
    private final Map<Source, Map<TaskType, Counter>> classifications = new EnumMap<>(Source.class);
    private final Map<Source, Timer> latency = new EnumMap<>(Source.class);

    public ClassifierMetrics(MeterRegistry registry) {
        this.confidence = DistributionSummary.builder("tiergate.classifier.confidence")
                .description("Confidence of each task-type decision (1.0 for an upstream hint)")
                .serviceLevelObjectives(CONFIDENCE_BUCKETS)
                .register(registry);
        for (Source source : Source.values()) {
            Map<TaskType, Counter> byType = new EnumMap<>(TaskType.class);
            for (TaskType type : TaskType.values()) {
                if (type != TaskType.UNKNOWN) {
                    byType.put(
                            type,
                            Counter.builder("tiergate.classifier.classifications")
                                    .description("Requests classified, by task type and how the type was decided")
                                    .tag("type", type.name())
                                    .tag("source", source.tag())
                                    .register(registry));
                }
            }
            classifications.put(source, byType);
            latency.put(
                    source,
                    Timer.builder("tiergate.classifier.latency")
                            .description("Time to classify one request (tokens, signals, model, sensitive data)")
                            .tag("source", source.tag())
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofNanos(10_000))
                            .maximumExpectedValue(Duration.ofSeconds(1))
                            .register(registry));
        }
    }

    public void record(RequestClassifier.Result result, long nanos) {
        Counter counter =
                classifications.get(result.source()).get(result.classification().getTaskType());
        if (counter != null) {
            counter.increment();
        }
        confidence.record(result.classification().getConfidence());
        latency.get(result.source()).record(Duration.ofNanos(nanos));
    }
}
