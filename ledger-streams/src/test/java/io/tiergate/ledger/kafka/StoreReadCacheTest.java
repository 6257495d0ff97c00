package io.tiergate.ledger.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The budget tracker's read cache: reads skip decoding, writes always reach the store. */
class StoreReadCacheTest {

    private final AtomicInteger decoded = new AtomicInteger();
    private KeyValueStore<String, String> store;

    @BeforeEach
    void store() {
        Deserializer<String> counting = (topic, data) -> {
            decoded.incrementAndGet();
            return new StringDeserializer().deserialize(topic, data);
        };
        Serde<String> values = Serdes.serdeFrom(Serdes.String().serializer(), counting);
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("spend"), Serdes.String(), values)
                .withLoggingDisabled()
                .withCachingDisabled()
                .build();
        MockProcessorContext<String, String> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
    }

    @Test
    void aValueWrittenIsInTheStoreAndReadBackWithoutDecoding() {
        StoreReadCache<String> cache = new StoreReadCache<>(store, 10);
        cache.put("ci-agents", "1.5");

        assertThat(cache.get("ci-agents")).isEqualTo("1.5");
        assertThat(decoded).hasValue(0);
        assertThat(store.get("ci-agents")).isEqualTo("1.5");
    }

    @Test
    void aValueReadFromTheStoreIsDecodedOnce() {
        store.put("global", "7");
        StoreReadCache<String> cache = new StoreReadCache<>(store, 10);

        assertThat(cache.get("global")).isEqualTo("7");
        assertThat(cache.get("global")).isEqualTo("7");
        assertThat(decoded).hasValue(1);
        assertThat(cache.get("unknown")).isNull();
    }

    @Test
    void beyondItsCapacityTheLeastRecentlyUsedIsReadFromTheStoreAgain() {
        StoreReadCache<String> cache = new StoreReadCache<>(store, 2);
        cache.put("a", "1");
        cache.put("b", "2");
        cache.get("a");
        cache.put("c", "3"); // b is the least recently used

        assertThat(cache.get("a")).isEqualTo("1");
        assertThat(cache.get("c")).isEqualTo("3");
        assertThat(decoded).hasValue(0);
        assertThat(cache.get("b")).isEqualTo("2");
        assertThat(decoded).hasValue(1);
    }

    @Test
    void deletesAndNullsReachTheStoreAndTheCache() {
        StoreReadCache<String> cache = new StoreReadCache<>(store, 10);
        cache.put("a", "1");
        cache.put("b", "2");
        cache.delete("a");
        cache.put("b", null);

        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isNull();
        assertThat(store.get("a")).isNull();
        assertThat(store.get("b")).isNull();
    }

    @Test
    void aNewCacheReadsTheStoreNotWhatAnEarlierOneHeld() {
        StoreReadCache<String> before = new StoreReadCache<>(store, 10);
        before.put("a", "1");
        store.put("a", "2"); // e.g. the state a revived task restored

        assertThat(new StoreReadCache<>(store, 10).get("a")).isEqualTo("2");
    }
}
