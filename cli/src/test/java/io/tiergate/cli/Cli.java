package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Runs {@code ./tiergate} in the test JVM, exactly as {@link TiergateCli#main} configures it, and
 * captures what an operator would see. Parsing tests use {@link #parse}, which builds the command
 * objects without running them (no broker, no model, no processes).
 */
final class Cli {

    private Cli() {}

    /** What a run printed, and its exit code. */
    record Run(int exitCode, String out, String err) {

        /** Exit code 2 with {@code message} on stderr, no stack trace, nothing on stdout. */
        Run failsWith(String message) {
            assertThat(exitCode).as("exit code; stderr:%n%s", err).isEqualTo(2);
            assertThat(err).contains(message);
            if (System.getenv("TIERGATE_DEBUG") == null) { // TIERGATE_DEBUG=1 asks for the trace on purpose
                assertThat(err).as("no stack trace").doesNotContain("\tat ").doesNotContain("Caused by");
            }
            assertThat(out).as("stdout").isEmpty();
            return this;
        }

        /** Exit code 0, nothing on stderr. */
        Run succeeds() {
            assertThat(exitCode).as("exit code; stderr:%n%s", err).isZero();
            assertThat(err).as("stderr").isEmpty();
            return this;
        }
    }

    /**
     * Executes {@code args}. Commands write to picocli's out/err and, where they print results or
     * build their own error reports, to System.out/System.err: both are captured.
     */
    static synchronized Run run(String... args) {
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
            CommandLine cli = TiergateCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int exitCode = cli.execute(args);
            System.out.flush();
            System.err.flush();
            return new Run(
                    exitCode,
                    out + capturedOut.toString(StandardCharsets.UTF_8),
                    err + capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(systemOut);
            System.setErr(systemErr);
        }
    }

    /** Parses {@code args} and returns the innermost command's object, with its options set; runs nothing. */
    static <T> T parse(Class<T> command, String... args) {
        ParseResult result = TiergateCli.commandLine().parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return command.cast(result.commandSpec().userObject());
    }

    /** The value of environment variable {@code name}, or {@code fallback}: ClusterMixin's defaults read the environment. */
    static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
