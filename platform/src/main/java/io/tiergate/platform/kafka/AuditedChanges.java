package io.tiergate.platform.kafka;

import io.tiergate.platform.audit.OpsPrincipal;
import io.tiergate.schemas.events.OpsAction;
import io.tiergate.schemas.events.OpsAuditEvent;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes ops changes of the compacted config topics ({@code budget.config}, {@code routing.rules},
 * {@code cost.centers}) together with their {@code ops.audit} record, in one Kafka transaction: a
 * change is visible to its readers (all {@code read_committed}) only with its audit record, and an
 * audit record only with its change (docs/security.md, "Audit"). Every change names who made it
 * ({@link OpsPrincipal}, from this client's configuration) and why (a reason that must not be blank).
 * One instance per tool run; not thread-safe.
 */
public final class AuditedChanges implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One record to write: a value, or a tombstone when {@code value} is null. */
    public record Change<V extends SpecificRecord>(Topic<V> topic, String key, V value) {

        public static <V extends SpecificRecord> Change<V> set(Topic<V> topic, String key, V value) {
            return new Change<>(topic, key, value);
        }

        public static <V extends SpecificRecord> Change<V> remove(Topic<V> topic, String key) {
            return new Change<>(topic, key, null);
        }
    }

    private final KafkaProducer<String, SpecificRecord> producer;
    private final OpsPrincipal principal;
    private final String host;

    /** @param tool names the writing tool in client and transactional ids (e.g. {@code budget-admin}) */
    public AuditedChanges(KafkaClientSettings settings, String tool) {
        Map<String, Object> config = settings.base();
        this.principal = OpsPrincipal.of(config);
        this.host = OpsPrincipal.localHost();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "tiergate-ops-" + tool);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // a one-shot tool: a fresh transactional id per run (nothing to fence), expired by the broker
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tiergate-ops-" + tool + "-" + UUID.randomUUID());
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TIMEOUT.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(config, new StringSerializer(), avroSerializer(config));
        this.producer.initTransactions();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AvroSerializer<SpecificRecord> avroSerializer(Map<String, Object> config) {
        AvroSerializer serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }

    /** Who the changes of this instance are attributed to. */
    public OpsPrincipal principal() {
        return principal;
    }

    /**
     * Writes {@code changes} and one audit record for each, in one transaction, and waits until it is
     * committed; returns the audit records.
     *
     * @throws IllegalArgumentException when {@code reason} is blank (nothing is written)
     * @throws IllegalStateException when the transaction cannot be committed (nothing is visible)
     */
    public List<OpsAuditEvent> write(List<? extends Change<?>> changes, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be empty: say why the change is made");
        }
        Instant now = Instant.now();
        List<OpsAuditEvent> audits = new ArrayList<>();
        List<Future<?>> sends = new ArrayList<>();
        String target = changes.isEmpty()
                ? Topics.Names.OPS_AUDIT
                : changes.get(0).topic().name();
        try {
            producer.beginTransaction();
            for (Change<?> change : changes) {
                OpsAuditEvent audit = OpsAuditEvent.newBuilder()
                        .setAuditId(UUID.randomUUID().toString())
                        .setOccurredAt(now)
                        .setPrincipal(principal.name())
                        .setPrincipalSource(principal.source())
                        .setReason(reason.strip())
                        .setAction(change.value() == null ? OpsAction.REMOVE : OpsAction.SET)
                        .setTopic(change.topic().name())
                        .setKey(change.key())
                        .setValue(change.value() == null ? null : change.value().toString())
                        .setHost(host)
                        .build();
                sends.add(producer.send(new ProducerRecord<>(change.topic().name(), change.key(), change.value())));
                sends.add(producer.send(new ProducerRecord<>(
                        Topics.OPS_AUDIT.name(), change.topic().name() + "/" + change.key(), audit)));
                audits.add(audit);
            }
            producer.commitTransaction();
            for (Future<?> send : sends) {
                send.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS); // done after the commit; surfaces a send error
            }
            return audits;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new IllegalStateException("Interrupted while writing " + target, e);
        } catch (KafkaException | ExecutionException | TimeoutException e) {
            abort();
            throw new IllegalStateException(
                    "Cannot write " + target + " with its " + Topics.OPS_AUDIT.name() + " record: " + e.getMessage(),
                    e);
        }
    }

    /** One change with its audit record. */
    public OpsAuditEvent write(Change<?> change, String reason) {
        return write(List.of(change), reason).get(0);
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (KafkaException | IllegalStateException ignored) {
            // nothing was committed; the broker aborts an unfinished transaction at its timeout anyway
        }
    }

    @Override
    public void close() {
        producer.close(TIMEOUT);
    }
}
