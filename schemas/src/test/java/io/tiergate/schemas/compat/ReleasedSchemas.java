package io.tiergate.schemas.compat;

import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.specific.SpecificData;

/**
 * The released copies of the event schemas in {@code src/main/avro/released/} (one self-contained
 * file per top-level event, named after it; the release in {@code VERSION}) and the current ones
 * (every value type of {@link Topics#ALL}).
 */
final class ReleasedSchemas {

    private ReleasedSchemas() {}

    static Path dir() {
        return Path.of(System.getProperty("basedir", ".")).resolve("src/main/avro/released");
    }

    static String version() {
        try {
            return Files.readString(dir().resolve("VERSION")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Schema> released;

    /** Released schema per event name, each parsed on its own (so each file must be self-contained). */
    static synchronized Map<String, Schema> released() {
        if (released == null) {
            released = readReleased();
        }
        return released;
    }

    private static Map<String, Schema> readReleased() {
        Map<String, Schema> released = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".avsc", "");
                released.put(name, new Schema.Parser().parse(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return released;
    }

    /** Current schema per event name (simple class name). */
    static Map<String, Schema> current() {
        Map<String, Schema> current = new LinkedHashMap<>();
        for (Topic<?> topic : Topics.ALL) {
            current.putIfAbsent(
                    topic.valueType().getSimpleName(), SpecificData.get().getSchema(topic.valueType()));
        }
        return current;
    }

    /** Writes the current schemas as the released copies of {@code version}. */
    static void snapshot(String version) throws IOException {
        Files.createDirectories(dir());
        for (var event : current().entrySet()) {
            Files.writeString(
                    dir().resolve(event.getKey() + ".avsc"),
                    SchemaFormatter.format("json/pretty", event.getValue()) + "\n");
        }
        Files.writeString(dir().resolve("VERSION"), version + "\n");
    }
}
