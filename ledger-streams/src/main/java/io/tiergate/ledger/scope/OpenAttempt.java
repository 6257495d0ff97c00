package io.tiergate.ledger.scope;

import io.tiergate.ledger.codec.Binary;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * A change of a scope's open spend (docs/ledger.md, "Open attempts"): an attempt started without a
 * cost event yet counts at its worst case ({@code deltaUsd} positive, from {@code inference.attempts})
 * until its cost event is counted, which takes the same amount out again ({@code deltaUsd} negative),
 * in the period of {@code startedAtMs}. Like a cost, it counts for the cost center and for global.
 */
public record OpenAttempt(String scope, Tier tier, long startedAtMs, BigDecimal deltaUsd) implements ScopeInput {

    public OpenAttempt {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(deltaUsd, "deltaUsd");
    }

    /** The cost center's share of an attempt that opens (the store keeps this one per open attempt). */
    public static OpenAttempt opened(AttemptStarted started) {
        return new OpenAttempt(
                started.getWorstCase().getCostCenter(),
                started.getWorstCase().getTier(),
                started.getStartedAt().toEpochMilli(),
                started.getWorstCase().getCostUsd());
    }

    /** This change for the cost center and for the global scope (once when the cost center is "global"). */
    public List<OpenAttempt> forScopes() {
        if (Topics.GLOBAL_SCOPE.equals(scope)) {
            return List.of(this);
        }
        return List.of(this, new OpenAttempt(Topics.GLOBAL_SCOPE, tier, startedAtMs, deltaUsd));
    }

    /** The change that settles this one: the same worst case, taken out. */
    public OpenAttempt settled() {
        return new OpenAttempt(scope, tier, startedAtMs, deltaUsd.negate());
    }

    public static byte[] toBytes(OpenAttempt open) {
        return Binary.write(open::writeTo);
    }

    public static OpenAttempt fromBytes(byte[] data) {
        return Binary.read(data, OpenAttempt::readFrom);
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeByte(1);
        Binary.writeString(out, scope);
        Binary.writeEnum(out, tier);
        out.writeLong(startedAtMs);
        Binary.writeDecimal(out, deltaUsd);
    }

    static OpenAttempt readFrom(DataInput in) throws IOException {
        Binary.checkVersion(in, 1, "OpenAttempt");
        return new OpenAttempt(
                Binary.readString(in),
                Binary.readEnum(in, Tier.class, Tier.UNKNOWN),
                in.readLong(),
                Binary.readDecimal(in));
    }
}
