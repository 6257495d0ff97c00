package io.tiergate.schemas.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka (Streams) {@link Serde}s for specific records, configured from a registry URL. */
public final class AvroSerdes {

    private AvroSerdes() {}

    /** A configured value serde for {@code type} against the registry at {@code registryUrl}. */
    public static <T extends SpecificRecord> Serde<T> value(Class<T> type, String registryUrl) {
        return forType(type, Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
    }

    public static <T extends SpecificRecord> Serde<T> forType(Class<T> type, Map<String, ?> configs, boolean isKey) {
        Map<String, Object> all = new HashMap<>(configs);
        all.put(isKey ? SerdeConfig.KEY_TYPE : SerdeConfig.VALUE_TYPE, type);
        AvroSerializer<T> serializer = new AvroSerializer<>();
        AvroDeserializer<T> deserializer = new AvroDeserializer<>();
        serializer.configure(all, isKey);
        deserializer.configure(all, isKey);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
