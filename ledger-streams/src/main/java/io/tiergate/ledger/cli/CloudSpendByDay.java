package io.tiergate.ledger.cli;

import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.scope.CostEventValidator;
import io.tiergate.ledger.scope.InvalidCostEventException;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.TopicSnapshot;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The ledger's cloud spend per UTC day and model, for reconciling it with a provider's usage export
 * ({@code ./tiergate costs reconcile}): read from {@code inference.costs} up to its end offsets at
 * the start ({@code read_committed}, platform's {@link TopicSnapshot}), counted by the ledger's own
 * rules — a record that does not decode or that {@link CostEventValidator} rejects is not counted,
 * and each {@code (requestId, attempt)} counts once, the first copy winning (docs/ledger.md,
 * "Dedupe") — and kept when its tier is not LOCAL, it is not simulated (a simulated call reached no
 * provider), its {@code provider} label is the one asked for and its UTC day of {@code occurredAt}
 * lies in [from, to].
 *
 * <p>Why the topic and not the ledger's daily windows: windows carry no provider, are kept 100 days
 * and need the ledger running; the topic holds every attempt with its provider label and tokens.
 */
public final class CloudSpendByDay {

    /** Everything providers are asked for: no provider filter. */
    public static final String ALL_PROVIDERS = "all";

    /**
     * Spend of one model on one UTC day; input tokens are all input (uncached + cache read + cache
     * write). {@code inDoubtUsd} and {@code inDoubtCalls} are the part of it billed in doubt: calls
     * whose worker died before reporting them, at their worst case (docs/delivery.md, "Write-ahead attempts").
     */
    public record Spend(
            LocalDate day,
            String model,
            BigDecimal costUsd,
            long inputTokens,
            long outputTokens,
            long calls,
            BigDecimal inDoubtUsd,
            long inDoubtCalls) {

        /** Spend with nothing in doubt. */
        public Spend(LocalDate day, String model, BigDecimal costUsd, long inputTokens, long outputTokens, long calls) {
            this(day, model, costUsd, inputTokens, outputTokens, calls, Money.ZERO, 0);
        }
    }

    /** What the read saw and left out, for the operator. */
    public record Counts(
            long counted,
            long duplicates,
            long invalid,
            long undecodable,
            long local,
            long simulated,
            long otherProviders,
            long outsideDays) {}

    private record Key(LocalDate day, String model) {}

    private final String provider;
    private final LocalDate from;
    private final LocalDate to;
    private final CostEventValidator validator;
    private final long nowMs;
    private final Set<String> seen = new HashSet<>();
    private final Map<Key, Spend> spend =
            new TreeMap<>(Comparator.comparing(Key::day).thenComparing(Key::model));
    private long counted;
    private long duplicates;
    private long invalid;
    private long undecodable;
    private long local;
    private long simulated;
    private long otherProviders;
    private long outsideDays;

    /**
     * @param provider the {@code provider} label to keep (e.g. {@code openrouter}), or {@link #ALL_PROVIDERS}
     * @param from first UTC day, or null for no lower bound
     * @param to last UTC day (inclusive), or null
     * @param nowMs the wall clock the validator compares {@code occurredAt} with
     */
    public CloudSpendByDay(String provider, LocalDate from, LocalDate to, long nowMs) {
        this.provider = provider;
        this.from = from;
        this.to = to;
        LedgerSettings d = LedgerSettings.defaults();
        this.validator = new CostEventValidator(d.maxClockSkew(), d.maxCostUsdPerEvent(), d.maxTokensPerEvent());
        this.nowMs = nowMs;
    }

    /**
     * Reads {@code inference.costs} to its end offsets at the start.
     *
     * @throws IllegalStateException when the topic is not read to its end within {@code timeout}
     */
    public static CloudSpendByDay read(
            String bootstrapServers,
            String schemaRegistryUrl,
            String provider,
            LocalDate from,
            LocalDate to,
            Duration timeout) {
        return read(
                new KafkaClientSettings(bootstrapServers, schemaRegistryUrl, "tiergate-cli"),
                provider,
                from,
                to,
                timeout);
    }

    /** {@link #read(String, String, String, LocalDate, LocalDate, Duration)} with the given cluster settings. */
    public static CloudSpendByDay read(
            KafkaClientSettings settings, String provider, LocalDate from, LocalDate to, Duration timeout) {
        EventDecoder decoder = new EventDecoder(settings);
        CloudSpendByDay tally = new CloudSpendByDay(provider, from, to, System.currentTimeMillis());
        ReadSpec spec = ReadSpec.of("tiergate-cli-costs-reconcile-" + UUID.randomUUID())
                .topic(Topics.INFERENCE_COSTS.name())
                .maxPollRecords(5000)
                .metadataTimeout(timeout);
        TopicSnapshot.read(settings, spec, timeout, record -> {
            if (record.value() == null) {
                tally.invalid++;
                return;
            }
            CostEvent event;
            try {
                event = decoder.decode(Topics.INFERENCE_COSTS, record);
            } catch (EventDecoder.DecodeException e) {
                tally.undecodable++;
                return;
            }
            tally.accept(event);
        });
        return tally;
    }

    /** Counts one decoded cost event by the rules above. */
    public void accept(CostEvent event) {
        try {
            validator.validate(event, nowMs);
        } catch (InvalidCostEventException e) {
            invalid++;
            return;
        }
        if (!seen.add(event.getRequestId() + "|" + event.getAttempt())) {
            duplicates++;
            return;
        }
        if (event.getTier() == Tier.LOCAL) {
            local++;
            return;
        }
        if (event.getSimulated()) {
            simulated++;
            return;
        }
        if (!ALL_PROVIDERS.equals(provider) && !provider.equals(event.getProvider())) {
            otherProviders++;
            return;
        }
        LocalDate day = event.getOccurredAt().atOffset(ZoneOffset.UTC).toLocalDate();
        if ((from != null && day.isBefore(from)) || (to != null && day.isAfter(to))) {
            outsideDays++;
            return;
        }
        counted++;
        long input = event.getInputTokens() + event.getCachedReadTokens() + event.getCacheWriteTokens();
        spend.merge(
                new Key(day, event.getModel()),
                new Spend(
                        day,
                        event.getModel(),
                        Money.usd(event.getCostUsd()),
                        input,
                        event.getOutputTokens(),
                        1,
                        event.getInDoubt() ? Money.usd(event.getCostUsd()) : Money.ZERO,
                        event.getInDoubt() ? 1 : 0),
                (a, b) -> new Spend(
                        day,
                        a.model(),
                        Money.sum(a.costUsd(), b.costUsd()),
                        a.inputTokens() + b.inputTokens(),
                        a.outputTokens() + b.outputTokens(),
                        a.calls() + b.calls(),
                        Money.sum(a.inDoubtUsd(), b.inDoubtUsd()),
                        a.inDoubtCalls() + b.inDoubtCalls()));
    }

    /** Per day and model, ordered by day, then model. */
    public List<Spend> spend() {
        return new ArrayList<>(spend.values());
    }

    public Counts counts() {
        return new Counts(counted, duplicates, invalid, undecodable, local, simulated, otherProviders, outsideDays);
    }
}
