package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.platform.metrics.MeterDescriptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every tiergate meter has HELP text on /prometheus ({@code promtool check metrics} flags one without):
 * a meter built with {@code .description(...)} has its own; one registered with a registry shortcut
 * ({@code counter(name, tags)}, {@code timer(...)}) or a builder without a description must be in
 * platform's {@link MeterDescriptions}. Read from every module's main sources.
 */
class MeterHelpTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** {@code registry.counter("tiergate.x", ...)}, {@code meters.timer("tiergate.x", ...)}. */
    private static final Pattern SHORTCUT =
            Pattern.compile("\\.(?:counter|timer|summary|gauge)\\(\\s*\"(tiergate\\.[^\"]+)\"");
    /** {@code Gauge.builder("tiergate.x", ...) ... .register(}: the chain up to its registration. */
    private static final Pattern BUILDER = Pattern.compile(
            "(?:Gauge|Counter|Timer|DistributionSummary|FunctionCounter|FunctionTimer)\\.builder\\(\\s*\"(tiergate\\.[^\"]+)\"(.*?)\\.register\\(",
            Pattern.DOTALL);
    /** A helper taking the name as a literal: {@code gauge(values, "tiergate.x", scope)}. */
    private static final Pattern HELPER = Pattern.compile("\\bgauge\\(\\s*\\w+,\\s*\"(tiergate\\.[^\"]+)\"");

    @Test
    void everyTiergateMeterHasHelpText() throws IOException {
        List<String> missing = new ArrayList<>();
        int meters = 0;
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .toList()) {
                String code = Files.readString(file);
                for (Pattern withoutHelp : List.of(SHORTCUT, HELPER)) {
                    Matcher m = withoutHelp.matcher(code);
                    while (m.find()) {
                        meters++;
                        if (MeterDescriptions.help(m.group(1)).isEmpty()) {
                            missing.add(m.group(1) + " (" + ROOT.relativize(file) + ")");
                        }
                    }
                }
                Matcher b = BUILDER.matcher(code);
                while (b.find()) {
                    meters++;
                    if (!b.group(2).contains(".description(")
                            && MeterDescriptions.help(b.group(1)).isEmpty()) {
                        missing.add(b.group(1) + " (" + ROOT.relativize(file) + ")");
                    }
                }
            }
        }
        assertThat(meters).as("meters found in the sources").isGreaterThan(20);
        assertThat(missing)
                .as("meters without HELP text: add .description(...) or an entry in MeterDescriptions")
                .isEmpty();
    }
}
