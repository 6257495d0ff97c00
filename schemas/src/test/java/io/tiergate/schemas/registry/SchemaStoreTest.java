package io.tiergate.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.events.WorkerHealth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaStoreTest {

    @TempDir
    Path dir;

    @Test
    void aRegistrationThatCannotBePersistedIsForgotten() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-directory"), "");
        SchemaStore store = SchemaStore.persistentAt(blocker.resolve("registry.json"));

        assertThatThrownBy(() -> store.register("worker.health-value", WorkerHealth.getClassSchema()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("Cannot write schema registry state");
        assertThat(store.subjects()).isEmpty();
        assertThat(store.schemaText(1)).isEmpty();
    }

    @Test
    void aCorruptStateFileFailsNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("registry.json"), "{\"format\":1,\"schemas\":{\"1\":\"{not avro\"}}");

        assertThatThrownBy(() -> SchemaStore.persistentAt(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot read schema registry state from " + file);
    }

    @Test
    void invalidSchemaTextIs42201() {
        assertThatThrownBy(() -> SchemaStore.inMemory().register("s", "{\"type\":\"record\",\"name\":\"R\"}"))
                .isInstanceOfSatisfying(
                        io.tiergate.schemas.serde.SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(42201))
                .hasMessageContaining("Invalid schema");
    }
}
