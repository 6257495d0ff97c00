package io.tiergate.ledger.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store as its processor last wrote it, with the last {@code capacity} values kept as
 * objects: a read of a recent key skips the store's deserialization (Streams' record cache holds
 * bytes, so a cached store still decodes on every get). Every write still goes to the store, in the
 * same step, so the store and its changelog commit exactly what they did without this cache.
 *
 * <p>Rules for the processor: the values read are the cached objects themselves — a value changed
 * after a read must be written back with {@link #put} in the same step (as it had to be before); a
 * new cache in every {@code init()}, so a task revived after an aborted transaction reads the store
 * again instead of objects that include the aborted step.
 */
final class StoreReadCache<V> {

    private final KeyValueStore<String, V> store;
    private final Map<String, V> recent;

    StoreReadCache(KeyValueStore<String, V> store, int capacity) {
        this.store = store;
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value, or null; from memory if this processor wrote or read it recently. */
    V get(String key) {
        V value = recent.get(key);
        if (value == null) {
            value = store.get(key);
            if (value != null) {
                recent.put(key, value);
            }
        }
        return value;
    }

    void put(String key, V value) {
        store.put(key, value);
        if (value == null) {
            recent.remove(key);
        } else {
            recent.put(key, value);
        }
    }

    void delete(String key) {
        store.delete(key);
        recent.remove(key);
    }

    KeyValueStore<String, V> store() {
        return store;
    }
}
