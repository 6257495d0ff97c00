package io.tiergate.schemas.cost;

import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.TaskType;

/**
 * The "minimum capability" column of the task table in docs/architecture.md ("Task types and
 * models"). A request is served well when the class of the model that produced its final answer is
 * at or above its type's minimum.
 */
public final class MinimumCapability {

    private MinimumCapability() {}

    public static CapabilityClass of(TaskType type) {
        return switch (type) {
            case CLASSIFICATION, EXTRACTION, SUMMARIZATION, CONVERSATION, BOILERPLATE -> CapabilityClass.LOCAL;
            case IMPLEMENTATION -> CapabilityClass.STANDARD;
            case CODE_REVIEW, DEBUGGING -> CapabilityClass.STRONG;
            case ARCHITECTURE -> CapabilityClass.FRONTIER;
            case UNKNOWN -> CapabilityClass.LOCAL;
        };
    }

    /** True when {@code served} is at or above the minimum for {@code type}; UNKNOWN classes never are. */
    public static boolean servedWell(TaskType type, CapabilityClass served) {
        if (served == null || served == CapabilityClass.UNKNOWN) {
            return false;
        }
        return served.ordinal() >= of(type).ordinal();
    }
}
