package io.tiergate.classifier.classify;

import io.tiergate.schemas.events.TaskType;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an upstream {@code taskTypeHint}. Accepted: the name of one of the nine task types in any
 * case, surrounding blanks ignored, with '-' or ' ' for '_' ("code-review", "Code Review",
 * "CODE_REVIEW"). Not accepted: UNKNOWN (a reader's fallback, not a type), anything else. A blank
 * hint counts as no hint.
 */
public final class TaskTypeHint {

    private TaskTypeHint() {}

    /** The task type the hint names, if it names one. */
    public static Optional<TaskType> parse(String hint) {
        if (hint == null || hint.isBlank()) {
            return Optional.empty();
        }
        String name = hint.strip().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (TaskType t : TaskType.values()) {
            if (t != TaskType.UNKNOWN && t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The hint as it may appear in evidence: at most 40 printable characters. */
    public static String quoted(String hint) {
        String printable = hint.strip().replaceAll("[^\\x20-\\x7E]", "?");
        return "'" + (printable.length() > 40 ? printable.substring(0, 40) + "…" : printable) + "'";
    }
}
