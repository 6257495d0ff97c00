package io.tiergate.schemas.registry;

import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SchemaRegistryClient;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificData;

/**
 * Registers every topic's value schema under its subject ({@code <topic>-value}, Confluent's
 * TopicNameStrategy) when the topics are provisioned, so a producer written in another language with a
 * Confluent client that does not register schemas itself finds them on a fresh registry
 * (docs/getting-started.md, "Producing from another language"). Idempotent: a schema already there
 * keeps its id.
 */
public final class TopicSchemas {

    private final SchemaRegistryClient registry;

    public TopicSchemas(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /**
     * Registers the value schema of each topic in {@link Topics#ALL}; returns the schema id per subject.
     *
     * @throws io.tiergate.schemas.serde.SchemaRegistryException when the registry refuses a schema (an
     *     incompatible one already registered under the subject) or cannot be reached
     */
    public Map<String, Integer> registerAll() {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Topic<?> topic : Topics.ALL) {
            String subject = AvroSerializer.subject(topic.name(), false);
            ids.put(subject, registry.register(subject, SpecificData.get().getSchema(topic.valueType())));
        }
        return ids;
    }
}
