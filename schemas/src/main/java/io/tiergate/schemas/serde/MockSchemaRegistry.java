package io.tiergate.schemas.serde;

import io.tiergate.schemas.registry.SchemaStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * In-JVM registry behind {@code mock://<scope>} URLs, shared by every serde of that scope, as
 * Confluent's serializer offers for single-process runs and tests. Same rules as the real registry
 * (and {@link io.tiergate.schemas.registry.EmbeddedSchemaRegistry}, which shares {@link
 * SchemaStore}): ids are global within a scope and stable for equal schemas; registering checks
 * BACKWARD compatibility against the subject's latest version. Nothing is persisted, and other
 * processes cannot see it: separate processes need an {@code http://} registry.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final SchemaStore store = SchemaStore.inMemory();

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
    public int register(String subject, Schema schema) {
        return store.register(subject, schema).id();
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return store.lookup(subject, schema).id();
    }

    @Override
    public Schema schemaById(int id) {
        return store.schema(id);
    }
}
