package io.tiergate.schemas.serde;

import org.apache.avro.Schema;

/**
 * The two calls a serde needs from a Confluent-compatible schema registry. Implementations cache
 * both directions: a schema is registered once per subject, an id is fetched once.
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
   * The schema with this global id.
   *
   * @throws SchemaRegistryException 40403 when the registry does not know the id
   */
  Schema schemaById(int id);
}
