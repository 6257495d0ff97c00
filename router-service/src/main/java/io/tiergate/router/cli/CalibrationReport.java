package io.tiergate.router.cli;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicSnapshot;
import io.tiergate.router.calibration.TrafficTally;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inputs of {@code ./tiergate rules recommend}, read once from the cluster (committed data
 * only): the latest {@code routing.calibration} value per key, and the {@code inference.costs} of
 * the look-back summed per task type. A record that does not decode is skipped and counted (the
 * ledger has dead-lettered it already); a registry outage is retried until the timeout.
 *
 * @param stats taskType|localModel → its latest calibration
 * @param traffic the recorded traffic since {@code since}
 * @param skipped records that did not decode
 */
public record CalibrationReport(Map<String, CalibrationStat> stats, TrafficTally traffic, Instant since, long skipped) {

    public static CalibrationReport read(KafkaClientSettings client, Duration lookBack, Duration timeout) {
        EventDecoder decoder = new EventDecoder(client);
        Map<String, CalibrationStat> stats = new LinkedHashMap<>();
        long[] skipped = {0};
        TopicSnapshot.read(
                client,
                ReadSpec.of("tiergate-cli-calibration-" + System.nanoTime()).topic(Topics.CALIBRATION.name()),
                timeout,
                record -> {
                    if (record.value() == null) {
                        stats.remove(record.key());
                        return;
                    }
                    try {
                        stats.put(record.key(), decoder.decode(Topics.CALIBRATION, record));
                    } catch (EventDecoder.DecodeException e) {
                        skipped[0]++;
                    }
                });
        Instant since = Instant.now().minus(lookBack);
        TrafficTally traffic = new TrafficTally();
        TopicSnapshot.read(
                client,
                ReadSpec.of("tiergate-cli-traffic-" + System.nanoTime())
                        .topic(Topics.INFERENCE_COSTS, StartAt.at(since)),
                timeout,
                record -> {
                    try {
                        CostEvent event = decoder.decode(Topics.INFERENCE_COSTS, record);
                        if (event != null && !event.getOccurredAt().isBefore(since)) {
                            traffic.add(event);
                        }
                    } catch (EventDecoder.DecodeException e) {
                        skipped[0]++;
                    }
                });
        return new CalibrationReport(stats, traffic, since, skipped[0]);
    }
}
