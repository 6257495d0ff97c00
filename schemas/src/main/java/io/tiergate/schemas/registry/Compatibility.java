package io.tiergate.schemas.registry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Avro schema resolution rules ({@link SchemaCompatibility}) with messages that name the field
 * that breaks, e.g. {@code InferenceRequest.latencyBudgetMs: TYPE_MISMATCH (reader type: LONG not
 * compatible with writer type: STRING) at /fields/6/type}.
 */
public final class Compatibility {

    private Compatibility() {}

    /**
     * Why {@code reader} cannot read data written with {@code writer}; empty when it can. BACKWARD
     * compatibility of a new schema against the latest registered one is {@code problems(new,
     * latest)}.
     */
    public static List<String> problems(Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        Set<String> messages = new LinkedHashSet<>(); // Avro reports a shared named type once per use
        for (Incompatibility i : result.getResult().getIncompatibilities()) {
            messages.add(fieldAt(reader, i.getLocation())
                    + ": "
                    + i.getType()
                    + " ("
                    + i.getMessage()
                    + ") at "
                    + i.getLocation());
        }
        return new ArrayList<>(messages);
    }

    /**
     * The dotted field path ({@code Record.field.nested}) that an Avro compatibility location such as
     * {@code /fields/2/type/fields/0/type/1} points to in the reader schema.
     */
    static String fieldAt(Schema reader, String location) {
        StringBuilder path = new StringBuilder(reader.getName());
        Schema current = reader;
        String[] steps = location.split("/");
        for (int i = 1; i < steps.length && current != null; i++) {
            String step = steps[i];
            if ("fields".equals(step) && i + 1 < steps.length && current.getType() == Schema.Type.RECORD) {
                int index = Integer.parseInt(steps[++i]);
                if (index >= current.getFields().size()) {
                    break;
                }
                Schema.Field field = current.getFields().get(index);
                path.append('.').append(field.name());
                current = field.schema();
                if (i + 1 < steps.length && "type".equals(steps[i + 1])) {
                    i++;
                }
            } else if ("items".equals(step) && current.getType() == Schema.Type.ARRAY) {
                current = current.getElementType();
            } else if ("values".equals(step) && current.getType() == Schema.Type.MAP) {
                current = current.getValueType();
            } else if (current.getType() == Schema.Type.UNION && step.chars().allMatch(Character::isDigit)) {
                int branch = Integer.parseInt(step);
                current =
                        branch < current.getTypes().size() ? current.getTypes().get(branch) : null;
            } else {
                break; // symbols, name, size…: the path already names the field
            }
        }
        return path.toString();
    }
}
