package io.tiergate.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.schemas.serde.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The state of a Confluent-style schema registry: schemas with global ids, subjects with versions,
 * BACKWARD compatibility against a subject's latest version on register. An equal schema (same
 * canonical text) gets the same id in every subject, as in Confluent's registry. Optionally
 * persisted to a JSON file, rewritten atomically after every change, so ids survive a restart.
 * Thread-safe (every method synchronizes on the store).
 */
public final class SchemaStore {

    /** One version of a subject, as Confluent's {@code GET /subjects/{s}/versions/{v}} reports it. */
    public record Version(String subject, int id, int version, String schema) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    private final Path file;
    private final TreeMap<Integer, String> textById = new TreeMap<>();
    private final Map<Integer, Schema> schemaById = new HashMap<>();
    private final Map<String, Integer> idByText = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new TreeMap<>();

    private SchemaStore(Path file) {
        this.file = file;
    }

    /** A store that lives as long as the JVM (the {@code mock://} registry). */
    public static SchemaStore inMemory() {
        return new SchemaStore(null);
    }

    /** A store backed by {@code file}: loaded if it exists, rewritten after every registration. */
    public static SchemaStore persistentAt(Path file) {
        SchemaStore store = new SchemaStore(file);
        if (Files.exists(file)) {
            store.load();
        }
        return store;
    }

    /**
     * Registers {@code schemaText} under {@code subject}, or returns the id it already has there.
     *
     * @throws SchemaRegistryException 42201 when the text is not a valid Avro schema, 409 when it
     *     cannot read data written with the subject's latest version (BACKWARD)
     */
    public synchronized Version register(String subject, String schemaText) {
        return register(subject, parse(schemaText));
    }

    /** As {@link #register(String, String)} for a parsed schema. */
    public synchronized Version register(String subject, Schema schema) {
        String canonical = schema.toString();
        List<Integer> versions = idsBySubject.getOrDefault(subject, List.of());
        Integer existing = idByText.get(canonical);
        if (existing != null && versions.contains(existing)) {
            return new Version(subject, existing, versions.indexOf(existing) + 1, canonical);
        }
        if (!versions.isEmpty()) {
            int latest = versions.get(versions.size() - 1);
            List<String> problems = Compatibility.problems(schema, schemaById.get(latest));
            if (!problems.isEmpty()) {
                throw new SchemaRegistryException(
                        SchemaRegistryException.INCOMPATIBLE,
                        "Schema being registered is incompatible with an earlier schema for subject \""
                                + subject
                                + "\" (BACKWARD, against version "
                                + versions.size()
                                + ", id "
                                + latest
                                + "): "
                                + String.join("; ", problems));
            }
        }
        int id = existing != null ? existing : nextId();
        if (existing == null) {
            textById.put(id, canonical);
            schemaById.put(id, schema);
            idByText.put(canonical, id);
        }
        List<Integer> subjectIds = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        subjectIds.add(id);
        try {
            save();
        } catch (RuntimeException e) { // not durable: forget it, so memory never runs ahead of the file
            subjectIds.remove(subjectIds.size() - 1);
            if (subjectIds.isEmpty()) {
                idsBySubject.remove(subject);
            }
            if (existing == null) {
                textById.remove(id);
                schemaById.remove(id);
                idByText.remove(canonical);
            }
            throw e;
        }
        return new Version(subject, id, subjectIds.size(), canonical);
    }

    /**
     * The version of {@code subject} that holds {@code schema} (Confluent's {@code POST
     * /subjects/{subject}}).
     *
     * @throws SchemaRegistryException 40401 unknown subject, 40403 schema not registered under it
     */
    public synchronized Version lookup(String subject, Schema schema) {
        List<Integer> versions = versionsOf(subject);
        Integer id = idByText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found under subject \"" + subject + "\"");
        }
        return new Version(subject, id, versions.indexOf(id) + 1, textById.get(id));
    }

    /** Problems a new schema would have against the subject's latest version; empty if none. */
    public synchronized List<String> compatibilityProblems(String subject, Schema schema) {
        List<Integer> versions = versionsOf(subject);
        return Compatibility.problems(schema, schemaById.get(versions.get(versions.size() - 1)));
    }

    /** @throws SchemaRegistryException 40403 when no schema has this id */
    public synchronized Schema schema(int id) {
        Schema schema = schemaById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    /** The schema text stored under this id (as registered, canonical form). */
    public synchronized Optional<String> schemaText(int id) {
        return Optional.ofNullable(textById.get(id));
    }

    public synchronized List<String> subjects() {
        return List.copyOf(idsBySubject.keySet());
    }

    /** Version numbers 1..n of the subject. @throws SchemaRegistryException 40401 if unknown */
    public synchronized List<Integer> versions(String subject) {
        int count = versionsOf(subject).size();
        List<Integer> numbers = new ArrayList<>(count);
        for (int v = 1; v <= count; v++) {
            numbers.add(v);
        }
        return numbers;
    }

    /**
     * Version {@code version} (1-based) of the subject, or its latest when {@code version} is -1.
     *
     * @throws SchemaRegistryException 40401 unknown subject, 40402 unknown version
     */
    public synchronized Version version(String subject, int version) {
        List<Integer> ids = versionsOf(subject);
        int number = version == -1 ? ids.size() : version;
        if (number < 1 || number > ids.size()) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found.");
        }
        int id = ids.get(number - 1);
        return new Version(subject, id, number, textById.get(id));
    }

    private List<Integer> versionsOf(String subject) {
        List<Integer> versions = idsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private int nextId() {
        return textById.isEmpty() ? 1 : textById.lastKey() + 1;
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException | NullPointerException e) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage(), e);
        }
    }

    /*
     * File format: {"format":1,"schemas":{"1":"<schema>"},"subjects":{"<subject>":[1,2]}}.
     * Written to a sibling temp file, forced to disk, then moved over the old file atomically, so a
     * crash leaves either the old or the new state, never half a file.
     */
    private void save() {
        if (file == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT);
        ObjectNode schemas = root.putObject("schemas");
        textById.forEach((id, text) -> schemas.put(String.valueOf(id), text));
        ObjectNode subjects = root.putObject("subjects");
        idsBySubject.forEach((subject, ids) -> ids.forEach(subjects.withArray(subject)::add));
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve(file.getFileName() + ".tmp");
            try (FileChannel out = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root)));
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write schema registry state to " + file, e);
        }
    }

    private void load() {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root.path("format").asInt() != FORMAT) {
                throw new IllegalStateException(
                        "Unknown schema registry file format in " + file + ": " + root.path("format"));
            }
            root.path("schemas").properties().forEach(e -> {
                int id = Integer.parseInt(e.getKey());
                Schema schema = new Schema.Parser().parse(e.getValue().asText());
                textById.put(id, e.getValue().asText());
                schemaById.put(id, schema);
                idByText.put(schema.toString(), id);
            });
            root.path("subjects").properties().forEach(e -> {
                List<Integer> ids = new ArrayList<>();
                e.getValue().forEach(id -> ids.add(id.asInt()));
                idsBySubject.put(e.getKey(), ids);
            });
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot read schema registry state from " + file + ": " + e.getMessage(), e);
        }
    }
}
