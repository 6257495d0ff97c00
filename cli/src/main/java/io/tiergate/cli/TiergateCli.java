package io.tiergate.cli;

import io.tiergate.schemas.serde.SchemaRegistryException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * Entry point of {@code ./tiergate}. Plain picocli, no application context: the operator commands
 * compose plain classes from the service modules, and booting a context would start those modules'
 * Kafka beans (Kafka Streams is an eager bean) inside the CLI.
 */
public final class TiergateCli {

    private TiergateCli() {}

    public static void main(String[] args) {
        // the service modules on this classpath bring their own logback.xml; the CLI's is quiet and on stderr
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "tiergate-cli-logback.xml");
        }
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TiergateCommand());
        // picocli's own messages for these types end in the exception's class and text; an operator gets the format
        // instead
        cli.registerConverter(BigDecimal.class, TiergateCli::decimal);
        cli.registerConverter(LocalDate.class, TiergateCli::date);
        cli.registerConverter(URI.class, TiergateCli::uri);
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            // an operator gets the reason, not a stack trace; TIERGATE_DEBUG=1 shows the trace
            Throwable refused = connectFailure(e);
            if (refused != null) {
                // an HTTP API (the ledger's) that nothing answers: say which and what to do, not the exception's class
                command.getErr()
                        .println("tiergate: nothing answered at " + ledgerUrl(command)
                                + " (the ledger's API: "
                                + (refused.getMessage() == null ? "connection refused" : refused.getMessage())
                                + "). Is tiergate running (./tiergate up)?"
                                + " Otherwise pass --ledger-url URL (or set TIERGATE_LEDGER_URL).");
            } else {
                command.getErr().println("tiergate: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            String hint = kafkaHint(e);
            if (hint != null) {
                command.getErr().println("tiergate: " + hint);
            }
            if (System.getenv("TIERGATE_DEBUG") != null) {
                e.printStackTrace(command.getErr());
            }
            return 2;
        });
        return cli;
    }

    /**
     * What an operator should do about a Kafka error anywhere in {@code e}'s causes, or {@code null}:
     * a broker that does not answer (or, on a secured cluster, a client that does not authenticate and
     * is dropped until it times out), refused credentials (the cluster's or the schema registry's), or a
     * principal not allowed to do this (docs/security.md, "Client configuration").
     */
    static String kafkaHint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException) {
                return "the Kafka cluster refused the credentials: check the file given as --command-config"
                        + " (./tiergate up --secure writes ops.properties for operators).";
            }
            if (t instanceof AuthorizationException) {
                return "the principal of --command-config may not do this (" + t.getMessage()
                        + "); operator commands run as ops (docs/security.md, \"Principals and ACLs\").";
            }
            if (t instanceof SchemaRegistryException registry
                    && (registry.errorCode() == 401 || registry.errorCode() == 403)) {
                return "the schema registry refused the credentials: check basic.auth.user.info in the file given as"
                        + " --command-config (docs/security.md, \"Client configuration\").";
            }
            if (t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return "no Kafka broker answered. Is tiergate running (./tiergate up)? Otherwise pass --bootstrap"
                        + " host:port; a secured cluster (./tiergate up --secure) also needs --command-config FILE.";
            }
        }
        return null;
    }

    /** The connection failure behind {@code e} (refused, unreachable, timed out), if that is what it is. */
    static Throwable connectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException) {
                return null; // the registry's own message names its URL
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.http.HttpConnectTimeoutException) {
                return t;
            }
        }
        return null;
    }

    private static String ledgerUrl(CommandLine command) {
        return command.getCommandSpec().mixins().values().stream()
                .map(CommandLine.Model.CommandSpec::userObject)
                .filter(ClusterMixin.class::isInstance)
                .map(m -> String.valueOf(((ClusterMixin) m).ledgerUrl))
                .findFirst()
                .orElse("the ledger's URL");
    }

    static BigDecimal decimal(String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a decimal number (e.g. 20 or 0.25)");
        }
    }

    static LocalDate date(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a date (YYYY-MM-DD)");
        }
    }

    static URI uri(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new TypeConversionException(
                    "'" + value + "' is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
    }
}
