package io.tiergate.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --reason}: why an ops change is made, recorded with it in {@code ops.audit}
 * (docs/security.md, "Audit"). Required on every command that changes budgets, rules or cost
 * centers: an audit trail that says who but not why answers half the question a reviewer asks.
 * Checked after a command's own arguments, before anything is written.
 */
public class ReasonMixin {

    @Option(
            names = "--reason",
            paramLabel = "<text>",
            description = "Why this change is made (required; recorded in ops.audit with who made it).")
    String reason;

    /** The reason; a usage error naming the option when it is missing or blank. */
    String require(CommandSpec command) {
        if (reason == null || reason.isBlank()) {
            throw new ParameterException(
                    command.commandLine(),
                    "Missing required option: '--reason=<text>': say why (recorded in ops.audit with who made the change)");
        }
        return reason.strip();
    }
}
