package io.tiergate.platform.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The checks a configuration record runs on its values, each failing with the property's full name
 * and the value it was given ({@code tiergate.router.reservation-timeout must be > 0, was -5s}), so
 * a service that is misconfigured stops at start with a message an operator can act on. Plain Java:
 * records built without Micronaut (batch mode, tests) get the same checks and messages.
 */
public final class PropertyCheck {

    private final String prefix;

    private PropertyCheck(String prefix) {
        this.prefix = prefix;
    }

    /** Checks for the properties under {@code prefix} ({@code tiergate.router}). */
    public static PropertyCheck under(String prefix) {
        return new PropertyCheck(prefix);
    }

    /**
     * A text value bound from configuration, with blank read as not set: application.yml maps
     * environment variables as {@code ${NAME:}}, which is blank when the variable is unset, and the
     * setting's default applies then.
     */
    public static Optional<String> text(Optional<String> value) {
        return value.filter(v -> !v.isBlank());
    }

    /** The full property name of {@code name}. */
    public String key(String name) {
        return prefix + "." + name;
    }

    public int positive(String name, int value) {
        return check(value > 0, name, "> 0", value, value);
    }

    public int notNegative(String name, int value) {
        return check(value >= 0, name, ">= 0", value, value);
    }

    public long positive(String name, long value) {
        return check(value > 0, name, "> 0", value, value);
    }

    public long notNegative(String name, long value) {
        return check(value >= 0, name, ">= 0", value, value);
    }

    public double atLeast(String name, double value, double min) {
        return check(value >= min, name, ">= " + min, value, value);
    }

    /** {@code min <= value <= max}; NaN fails. */
    public double between(String name, double value, double min, double max) {
        return check(value >= min && value <= max, name, "between " + min + " and " + max, value, value);
    }

    public Duration positive(String name, Duration value) {
        return check(required(name, value).compareTo(Duration.ZERO) > 0, name, "> 0", format(value), value);
    }

    public Duration notNegative(String name, Duration value) {
        return check(!required(name, value).isNegative(), name, ">= 0", format(value), value);
    }

    public BigDecimal greaterThan(String name, BigDecimal value, BigDecimal min) {
        return check(
                required(name, value).compareTo(min) > 0,
                name,
                "> " + min.toPlainString(),
                value.toPlainString(),
                value);
    }

    public BigDecimal notNegative(String name, BigDecimal value) {
        return check(required(name, value).signum() >= 0, name, ">= 0", value.toPlainString(), value);
    }

    public String notBlank(String name, String value) {
        return check(
                value != null && !value.isBlank(),
                name,
                "set (not blank)",
                value == null ? "nothing" : "\"" + value + "\"",
                value);
    }

    /** One of {@code allowed}, exactly as spelled. */
    public String oneOf(String name, String value, String... allowed) {
        List<String> options = Arrays.asList(allowed);
        return check(options.contains(value), name, "one of " + String.join(", ", options), "\"" + value + "\"", value);
    }

    public <T> T required(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(key(name) + " must be set");
        }
        return value;
    }

    /** A failure of a rule the methods above do not cover: {@code <key> must be <requirement>, was <value>}. */
    public IllegalArgumentException invalid(String name, String requirement, Object value) {
        return new IllegalArgumentException(key(name) + " must be " + requirement + ", was " + value);
    }

    private <T> T check(boolean ok, String name, String requirement, Object shown, T value) {
        if (!ok) {
            throw invalid(name, requirement, shown);
        }
        return value;
    }

    /** A duration as it is written in configuration: {@code 5m}, {@code -5s}, {@code 100ms}; ISO-8601 otherwise. */
    public static String format(Duration d) {
        if (d.toNanosPart() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
