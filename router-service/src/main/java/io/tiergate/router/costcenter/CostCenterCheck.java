package io.tiergate.router.costcenter;

import io.tiergate.schemas.topics.Topics;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which cost center a request is charged to (docs/security.md, "Cost centers"): a registered one as
 * asked; an unknown one is charged to the default cost center or refused, as configured; while no
 * cost center is registered at all every name stands as asked, so a deployment that never registers
 * one (the embedded default) works as before.
 */
public final class CostCenterCheck {

    /** Lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** What happens to a request whose cost center is not registered. */
    public enum Unknown {
        CHARGE_DEFAULT,
        REJECT
    }

    /** The outcome for one request. */
    public sealed interface Outcome permits Charge, Refuse {}

    /** Charged to {@code costCenter}; {@code substituted}: not the one the request named. */
    public record Charge(String costCenter, boolean substituted) implements Outcome {}

    /** Refused, with a reason an upstream developer can act on. */
    public record Refuse(String message) implements Outcome {}

    private final Unknown unknown;
    private final String defaultCostCenter;

    public CostCenterCheck(Unknown unknown, String defaultCostCenter) {
        this.unknown = Objects.requireNonNull(unknown, "unknown");
        this.defaultCostCenter = Objects.requireNonNull(defaultCostCenter, "defaultCostCenter");
    }

    /**
     * Why {@code name} cannot be a cost center, or null when it can: it is a budget scope and a
     * metric label value, so it is kept to a small alphabet, and {@code global} is the global budget's.
     */
    public static String problemWith(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "must be 1-64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit, was '" + name
                    + "'";
        }
        if (name.equals(Topics.GLOBAL_SCOPE)) {
            return "'" + Topics.GLOBAL_SCOPE + "' is the global budget's scope, not a cost center";
        }
        return null;
    }

    public Outcome check(String requested, Set<String> registered) {
        if (registered.isEmpty() || registered.contains(requested)) {
            return new Charge(requested, false);
        }
        if (unknown == Unknown.CHARGE_DEFAULT) {
            return new Charge(defaultCostCenter, true);
        }
        return new Refuse("cost center '" + requested + "' is not registered (./tiergate cost-centers list shows the"
                + " registered ones; ops register one with ./tiergate cost-centers add)");
    }
}
