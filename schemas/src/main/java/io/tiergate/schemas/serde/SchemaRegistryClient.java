package io.tiergate.schemas.serde;

import org.apache.avro.Schema;

/**
 * The calls a serde needs from a Confluent-compatible schema registry. Implementations are
 * thread-safe and cache: a schema is registered once per subject, an id is fetched once.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (or finds it already registered) and returns its
     * global id.
     *
     * @throws SchemaRegistryException with the registry's error code on 409 (incompatible), 422
     *     (invalid schema) and other failures
     */
    int register(String subject, Schema schema);

    /**
     * The id of {@code schema} if it is already registered under {@code subject}, without
     * registering it (the serializer's {@code auto.register.schemas=false}).
     *
     * @throws SchemaRegistryException 40401 unknown subject, 40403 schema not registered there
     */
    int idOf(String subject, Schema schema);

    /**
     * The schema with this global id.
     *
     * @throws SchemaRegistryException 40403 when the registry does not know the id
     */
    Schema schemaById(int id);
}
