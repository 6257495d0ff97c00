package io.tiergate.platform.kafka.read;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.topics.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's own copy of compacted topics (budget.status, routing.rules, budget.config,
 * worker.health): every instance reads every partition from the beginning, without a consumer
 * group, to the end offsets of its start ({@link #awaitCaughtUp}: serve nothing before), then
 * follows. Each record is decoded and handed to the topic's {@link Change} as (key, latest value),
 * a tombstone as (key, {@code null}); the owner keeps what it needs. {@code read_committed}, since
 * ledger-streams writes transactionally.
 *
 * <ul>
 *   <li>A schema registry outage is retried (the partition waits and reads the record again), never
 *       taken for a bad record.
 *   <li>A record that does not decode is counted ({@link #undecodableRecords}) and skipped, and one
 *       the owner rejects with {@link InvalidInputException} is skipped: the previous value stays.
 *       Dead-lettering is not a view's job: every instance reads every record, so a group listener
 *       (or the writer) reports bad records once.
 *   <li>Any other exception from a {@link Change} stops the view ({@link #check}).
 * </ul>
 *
 * A view may also read a non-compacted topic along from a chosen point ({@link Builder#alsoRead}),
 * caught up by the same {@link #awaitCaughtUp}: the router settles reservations from recent costs.
 */
public final class CompactedView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedView.class);

    /** What a view hands its owner: a key and its new value, {@code null} for a tombstone. */
    @FunctionalInterface
    public interface Change<V> {
        void accept(String key, V value);
    }

    /** What {@link Builder#alsoReadWithPositions} hands its owner: a record, its value and where it is. */
    @FunctionalInterface
    public interface PositionedRecord<V> {
        void accept(String key, V value, int partition, long offset);
    }

    private final TopicFollower follower;
    private final Dispatch dispatch;

    private CompactedView(TopicFollower follower, Dispatch dispatch) {
        this.follower = follower;
        this.dispatch = dispatch;
    }

    public static Builder builder(KafkaClientSettings settings, EventDecoder decoder, String clientId) {
        return new Builder(settings, decoder, clientId);
    }

    /** Which topics, with whose changes. */
    public static final class Builder {
        private final KafkaClientSettings settings;
        private final ReadSpec spec;
        private final Dispatch dispatch;

        private Builder(KafkaClientSettings settings, EventDecoder decoder, String clientId) {
            this.settings = settings;
            this.spec = ReadSpec.of(clientId).readCommitted(true);
            this.dispatch = new Dispatch(decoder, clientId);
        }

        /** A compacted topic, from its beginning. */
        public <V extends SpecificRecord> Builder topic(Topic<V> topic, Change<V> onChange) {
            return read(topic, StartAt.beginning(), onChange);
        }

        /** A topic read along from {@code start}: every record (not only the latest per key) is handed over. */
        public <V extends SpecificRecord> Builder alsoRead(Topic<V> topic, StartAt start, Change<V> onRecord) {
            return read(topic, start, onRecord);
        }

        /**
         * As {@link #alsoRead}, with each record's partition and offset (the router matches the costs it
         * holds against the offsets the ledger reports as counted).
         */
        public <V extends SpecificRecord> Builder alsoReadWithPositions(
                Topic<V> topic, StartAt start, PositionedRecord<V> onRecord) {
            spec.topic(topic, start);
            dispatch.add(topic, onRecord);
            return this;
        }

        private <V extends SpecificRecord> Builder read(Topic<V> topic, StartAt start, Change<V> handler) {
            spec.topic(topic, start);
            dispatch.add(topic, (key, value, partition, offset) -> handler.accept(key, value));
            return this;
        }

        public Builder pollTimeout(Duration pollTimeout) {
            spec.pollTimeout(pollTimeout);
            return this;
        }

        public Builder maxPollRecords(int maxPollRecords) {
            spec.maxPollRecords(maxPollRecords);
            return this;
        }

        public Builder registryRetryDelay(Duration delay) {
            spec.registryRetryDelay(delay);
            return this;
        }

        /** Positions the view on the caller's thread, then reads and follows on its own. */
        public CompactedView start() {
            return new CompactedView(TopicFollower.start(settings, spec, dispatch::accept), dispatch);
        }

        /**
         * Reads the topics to their current end once, on the calling thread, and stops (a one-shot
         * view, for the CLI).
         *
         * @return the number of records that did not decode
         */
        public long loadOnce(Duration timeout) {
            TopicSnapshot.read(settings, spec, timeout, dispatch::accept);
            return dispatch.undecodable.get();
        }
    }

    /** Decodes by topic and hands the value over, skipping what is bad. */
    private static final class Dispatch {
        private final EventDecoder decoder;
        private final String name;
        private final Map<String, RecordHandler> byTopic = new HashMap<>();
        private final AtomicLong undecodable = new AtomicLong();

        Dispatch(EventDecoder decoder, String name) {
            this.decoder = decoder;
            this.name = name;
        }

        <V extends SpecificRecord> void add(Topic<V> topic, PositionedRecord<V> change) {
            byTopic.put(
                    topic.name(),
                    record -> change.accept(
                            record.key(),
                            record.value() == null ? null : decoder.decode(topic, record),
                            record.partition(),
                            record.offset()));
        }

        void accept(ConsumerRecord<String, byte[]> record) {
            RecordHandler handler = byTopic.get(record.topic());
            if (handler == null) {
                return;
            }
            try {
                handler.accept(record);
            } catch (EventDecoder.DecodeException e) {
                undecodable.incrementAndGet();
                LOG.warn("{}: skipped an undecodable record: {}", name, e.getMessage());
            } catch (InvalidInputException e) {
                LOG.warn(
                        "{}: ignored {} record {}@{} key {}: {}",
                        name,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        e.getMessage());
            }
        }
    }

    /**
     * Waits until everything on the topics when the view started has been handed over.
     *
     * @return false when {@code timeout} passed first
     * @throws IllegalStateException when the view stopped on a failure
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** Records skipped because they did not decode. */
    public long undecodableRecords() {
        return dispatch.undecodable.get();
    }

    /** Throws if the view stopped on a failure. */
    public void check() {
        follower.check();
    }

    @Override
    public void close() {
        follower.close();
    }
}
