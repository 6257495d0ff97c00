package io.tiergate.worker.simulated;

import io.tiergate.schemas.events.TaskType;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How often and how a simulated model answers wrong, per task type (docs/calibration.md, "Simulated
 * quality"). Whether a request's answer is wrong is decided by its request id and task type only —
 * not by the model, the attempt or the backend's seed — so a local and a cloud backend configured
 * with different rates disagree on a planted share of requests instead of at random: with a local
 * rate of 0.3 and a cloud rate of 0 the local answer is wrong on exactly the requests whose draw is
 * below 0.3, and the cloud answer on none.
 *
 * @param errorRates task type → probability in [0, 1] that an answer is wrong (absent: 0)
 * @param styles task type → how a wrong answer is wrong (absent: {@link ErrorStyle#defaultFor})
 */
public record SimulatedQuality(Map<TaskType, Double> errorRates, Map<TaskType, ErrorStyle> styles) {

    /** How a wrong simulated answer is wrong. */
    public enum ErrorStyle {
        /** A CLASSIFICATION answer names another label than the right one. */
        WRONG_LABEL,
        /** An EXTRACTION answer (JSON) lacks one of the fields the right answer has. */
        MISSING_FIELD,
        /** The answer is fluent text about something else. */
        OFF_TOPIC;

        /** The style a task type's errors take unless configured: the natural mistake of its answer form. */
        public static ErrorStyle defaultFor(TaskType type) {
            return switch (type) {
                case CLASSIFICATION -> WRONG_LABEL;
                case EXTRACTION -> MISSING_FIELD;
                default -> OFF_TOPIC;
            };
        }
    }

    /** Every answer right. */
    public static final SimulatedQuality NONE = new SimulatedQuality(Map.of(), Map.of());

    public SimulatedQuality {
        errorRates = Map.copyOf(Objects.requireNonNull(errorRates, "errorRates"));
        styles = Map.copyOf(Objects.requireNonNull(styles, "styles"));
        errorRates.forEach((type, rate) -> {
            if (rate == null || rate < 0 || rate > 1 || rate.isNaN()) {
                throw new IllegalArgumentException("error rate of " + type + " must be in [0, 1], was " + rate);
            }
        });
    }

    public double errorRate(TaskType type) {
        return errorRates.getOrDefault(type, 0.0);
    }

    public ErrorStyle style(TaskType type) {
        return styles.getOrDefault(type, ErrorStyle.defaultFor(type));
    }

    /**
     * From configuration maps as Micronaut gives them for {@code <prefix>.errors.*} and {@code
     * <prefix>.error-styles.*}: keys are task type names (any case, {@code -} for {@code _}), values a
     * rate ({@code 0.3}) or a style name ({@code missing-field}).
     *
     * @param where the property prefix, for messages
     * @throws IllegalArgumentException naming the property when a key or value is not understood
     */
    public static SimulatedQuality parse(String where, Map<String, ?> rates, Map<String, ?> errorStyles) {
        Map<TaskType, Double> r = new EnumMap<>(TaskType.class);
        rates.forEach((key, value) -> {
            TaskType type = taskType(where + ".errors", key);
            try {
                r.put(type, Double.parseDouble(String.valueOf(value).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        where + ".errors." + key + " must be a number in [0, 1], was '" + value + "'");
            }
            if (r.get(type) < 0 || r.get(type) > 1) {
                throw new IllegalArgumentException(where + ".errors." + key + " must be in [0, 1], was " + value);
            }
        });
        Map<TaskType, ErrorStyle> s = new EnumMap<>(TaskType.class);
        errorStyles.forEach((key, value) -> {
            TaskType type = taskType(where + ".error-styles", key);
            String name = String.valueOf(value).strip().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                s.put(type, ErrorStyle.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".error-styles." + key + " must be one of wrong-label,"
                        + " missing-field, off-topic; was '" + value + "'");
            }
        });
        return new SimulatedQuality(r, s);
    }

    private static TaskType taskType(String where, String key) {
        String name = key.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return TaskType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "." + key + ": '" + key + "' is not a task type");
        }
    }
}
