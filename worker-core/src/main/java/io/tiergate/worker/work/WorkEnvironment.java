package io.tiergate.worker.work;

import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What every {@link Work} of one worker shares: which tier it serves, how attempts are priced,
 * where results, costs and hand-offs go, and the clock.
 *
 * @param tier the tier this worker serves (the tier of its results and cost events)
 * @param workerId this instance's id (logs, health)
 * @param handOffTopics target tier → topic ({@link Topics#TIER_LOCAL}, {@link Topics#TIER_CLOUD} by
 *     default; tests remap to isolated topics). A hand-off to a topic mapped from {@link Tier#CLOUD}
 *     or named in {@link Topics#CLOUD_TOPICS} is refused for a sovereign request.
 */
public record WorkEnvironment(
        Tier tier,
        String workerId,
        AttemptPricer pricer,
        Topic<InferenceResult> resultsTopic,
        Topic<CostEvent> costsTopic,
        Map<Tier, Topic<RoutedRequest>> handOffTopics,
        Clock clock) {

    public WorkEnvironment {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(pricer, "pricer");
        Objects.requireNonNull(resultsTopic, "resultsTopic");
        Objects.requireNonNull(costsTopic, "costsTopic");
        Objects.requireNonNull(clock, "clock");
        handOffTopics = Map.copyOf(handOffTopics);
    }

    /** The production topics of {@link Topics}, system clock. */
    public static WorkEnvironment of(Tier tier, String workerId, AttemptPricer pricer) {
        Map<Tier, Topic<RoutedRequest>> handOff = new EnumMap<>(Tier.class);
        handOff.put(Tier.LOCAL, Topics.TIER_LOCAL);
        handOff.put(Tier.CLOUD, Topics.TIER_CLOUD);
        return new WorkEnvironment(
                tier, workerId, pricer, Topics.INFERENCE_RESULTS, Topics.INFERENCE_COSTS, handOff, Clock.systemUTC());
    }

    public WorkEnvironment withTopics(
            Topic<InferenceResult> results, Topic<CostEvent> costs, Map<Tier, Topic<RoutedRequest>> handOff) {
        return new WorkEnvironment(tier, workerId, pricer, results, costs, handOff, clock);
    }

    public WorkEnvironment withClock(Clock otherClock) {
        return new WorkEnvironment(tier, workerId, pricer, resultsTopic, costsTopic, handOffTopics, otherClock);
    }

    public Optional<Topic<RoutedRequest>> handOffTopic(Tier target) {
        return Optional.ofNullable(handOffTopics.get(target));
    }

    /** True when {@code topicName} carries cloud-tier work (the sovereignty guard checks it). */
    public boolean isCloudTopic(String topicName) {
        Topic<RoutedRequest> mapped = handOffTopics.get(Tier.CLOUD);
        return (mapped != null && mapped.name().equals(topicName))
                || Topics.CLOUD_TOPICS.stream().anyMatch(t -> t.name().equals(topicName));
    }
}
