package io.tiergate.schemas.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * In-JVM registry behind {@code mock://<scope>} URLs, shared by every serde of that scope, as
 * Confluent's serializer offers for single-process runs and tests. Ids are global within a scope
 * and stable for equal schemas; registering checks BACKWARD compatibility against the subject's
 * latest version, like the real registry's default.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

  private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

  private final Map<Schema, Integer> idsBySchema = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();

  private MockSchemaRegistry() {}

  /** The registry for this scope, created on first use. */
  public static MockSchemaRegistry forScope(String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new MockSchemaRegistry());
  }

  /** Forgets a scope (tests that want a fresh registry). */
  public static void drop(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(schema) && !versions.isEmpty()) {
      Schema latest = versions.get(versions.size() - 1);
      var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, latest);
      if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
        throw new SchemaRegistryException(
            SchemaRegistryException.INCOMPATIBLE,
            "Schema being registered is incompatible with an earlier schema for subject \""
                + subject
                + "\": "
                + result.getResult().getIncompatibilities());
      }
    }
    Integer id = idsBySchema.get(schema);
    if (id == null) {
      id = idsBySchema.size() + 1;
      idsBySchema.put(schema, id);
      schemasById.put(id, schema);
    }
    if (!versions.contains(schema)) {
      versions.add(schema);
    }
    return id;
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(
          SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }
    return schema;
  }
}
