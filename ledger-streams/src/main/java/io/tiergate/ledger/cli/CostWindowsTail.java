package io.tiergate.ledger.cli;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicFollower;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows {@code cost.windows} for the CLI ({@code ./tiergate costs tail}), without Micronaut:
 * decoded {@link CostWindow}s, committed data only ({@code read_committed}, as the ledger writes
 * with exactly-once), no consumer group (platform's {@link TopicFollower}: partitions assigned,
 * nothing committed). A record that does not decode is skipped and counted ({@link #skipped()}),
 * never fatal for a tail; a schema registry outage is waited out.
 */
public final class CostWindowsTail implements AutoCloseable {

    private final EventDecoder decoder;
    private final BlockingQueue<CostWindow> windows = new LinkedBlockingQueue<>();
    private final AtomicLong skipped = new AtomicLong();
    private final TopicFollower follower;

    /**
     * @param fromBeginning true: everything still on the topic; false: only what is published from now
     */
    public CostWindowsTail(String bootstrapServers, String schemaRegistryUrl, boolean fromBeginning) {
        this(new KafkaClientSettings(bootstrapServers, schemaRegistryUrl, "tiergate-cli"), fromBeginning);
    }

    /**
     * @param settings the cluster (the CLI's, with the client security of --command-config)
     * @param fromBeginning true: everything still on the topic; false: only what is published from now
     */
    public CostWindowsTail(KafkaClientSettings settings, boolean fromBeginning) {
        String clientId = "tiergate-cli-costs-tail-" + UUID.randomUUID();
        this.decoder = new EventDecoder(settings);
        ReadSpec spec =
                ReadSpec.of(clientId).topic(Topics.COST_WINDOWS, fromBeginning ? StartAt.beginning() : StartAt.end());
        this.follower = TopicFollower.start(settings, spec, this::take);
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            windows.add(decoder.decode(Topics.COST_WINDOWS, record));
        } catch (EventDecoder.DecodeException e) {
            skipped.incrementAndGet();
        }
    }

    /** The windows published since the last poll (waits up to {@code timeout} for the first). */
    public List<CostWindow> poll(Duration timeout) {
        follower.check();
        List<CostWindow> result = new ArrayList<>();
        try {
            CostWindow first = windows.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first != null) {
                result.add(first);
                windows.drainTo(result);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    /** Hands every window to {@code sink} while {@code keepGoing} says so (e.g. until Ctrl-C). */
    public void run(Consumer<CostWindow> sink, BooleanSupplier keepGoing) {
        while (keepGoing.getAsBoolean()) {
            poll(Duration.ofMillis(500)).forEach(sink);
        }
    }

    /** Records that did not decode as CostWindow. */
    public long skipped() {
        return skipped.get();
    }

    /** One line per window, e.g. {@code 2026-11-22T10:00:00Z HOUR ci-agents CODE_REVIEW/CLOUD model spend=… closed}. */
    public static String format(CostWindow window) {
        return String.format(
                "%s %-5s %-16s %s/%s %s spend=%s rework=%s calibration=%s requests=%d tokens=%d/%d avgLatencyMs=%.0f%s",
                window.getWindowStart(),
                window.getWindowKind(),
                window.getScope(),
                window.getTaskType(),
                window.getTier(),
                window.getModel(),
                Money.usd(window.getSpendUsd()).toPlainString(),
                Money.usd(window.getReworkSpendUsd()).toPlainString(),
                Money.usd(window.getCalibrationSpendUsd()).toPlainString(),
                window.getRequestCount(),
                window.getInputTokens(),
                window.getOutputTokens(),
                window.getAvgLatencyMs(),
                window.getClosed() ? " closed" : "");
    }

    @Override
    public void close() {
        follower.close();
    }
}
