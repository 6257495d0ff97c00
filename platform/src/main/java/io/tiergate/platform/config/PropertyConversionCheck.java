package io.tiergate.platform.config;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.ConfigurationReader;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Fails start-up when a {@code tiergate.*} property is set to a value its setting cannot read
 * ({@code max-in-flight: lots}), naming the property.
 *
 * <p>The configuration records bind each property as an {@code Optional} and take the record's
 * default when it is empty, so a default lives in one place (the record). Micronaut also hands them
 * an empty {@code Optional} when the value is there but does not convert, which would silently run
 * the service on the default; this check tries the conversion again for every {@code Optional}
 * argument of every {@code tiergate.*} configuration's creator and reports what fails. A blank value
 * counts as not set (application.yml maps environment variables as {@code ${NAME:}}).
 */
@Context
public final class PropertyConversionCheck {

    public PropertyConversionCheck(BeanContext beans, Environment environment) {
        List<String> problems = new ArrayList<>();
        for (BeanDefinition<?> definition :
                beans.getBeanDefinitions(Qualifiers.byStereotype(ConfigurationReader.class))) {
            String prefix = definition
                    .stringValue(ConfigurationReader.class, ConfigurationReader.PREFIX)
                    .orElse("");
            if (!prefix.startsWith("tiergate.")) {
                continue;
            }
            for (String path : paths(prefix, environment)) {
                for (Argument<?> argument : definition.getConstructor().getArguments()) {
                    problem(path, argument, environment).ifPresent(problems::add);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }
    }

    /** The prefix itself, or for {@code @EachProperty} ({@code a.b.*}) one path per configured entry. */
    private static List<String> paths(String prefix, Environment environment) {
        if (!prefix.endsWith(".*")) {
            return List.of(prefix);
        }
        String parent = prefix.substring(0, prefix.length() - 2);
        return environment.getPropertyEntries(parent).stream()
                .map(entry -> parent + "." + entry)
                .toList();
    }

    private static Optional<String> problem(String path, Argument<?> argument, Environment environment) {
        if (argument.getType() != Optional.class) {
            return Optional.empty(); // required values, nested configurations and names fail in Micronaut itself
        }
        Argument<?> type = argument.getFirstTypeVariable().orElse(Argument.OBJECT_ARGUMENT);
        if (Map.class.isAssignableFrom(type.getType()) || Collection.class.isAssignableFrom(type.getType())) {
            return Optional.empty(); // read from nested keys, not one value
        }
        String key = path + "." + NameUtils.hyphenate(argument.getName());
        Optional<String> raw = environment.getProperty(key, String.class).filter(v -> !v.isBlank());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        ArgumentConversionContext<?> conversion = ConversionContext.of(type);
        if (environment.getProperty(key, conversion).isPresent()) {
            return Optional.empty();
        }
        String reason = conversion
                .getLastError()
                .map(e -> ": " + e.getCause().getMessage())
                .orElse("");
        return Optional.of(key + " must be " + describe(type.getType()) + ", was \"" + raw.get() + "\"" + reason);
    }

    private static String describe(Class<?> type) {
        if (type == Duration.class) {
            return "a duration (500ms, 30s, 5m, 7d)";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == Long.class || type == Short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            return "one of " + String.join(", ", names);
        }
        return "a " + type.getSimpleName();
    }
}
