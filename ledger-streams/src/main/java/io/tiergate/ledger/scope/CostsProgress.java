package io.tiergate.ledger.scope;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A progress marker on the {@code by-scope} topic: every {@code inference.costs} record of
 * {@code partition} below {@code nextOffset} has been processed (counted, recognised as a
 * redelivery, or dead-lettered) and, if it counts for a scope, is on this topic before this marker.
 * The marker goes to every partition of {@code by-scope}, so each budget task learns how far its
 * statuses cover the cost topic (docs/ledger.md, "Heartbeat and counted offsets").
 */
public record CostsProgress(int partition, long nextOffset) implements ScopeInput {

    /** The key of markers on the repartition topic; never a scope (scopes never start with "~"). */
    public static final String KEY = "~inference.costs-progress";

    @Override
    public String scope() {
        return KEY;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeByte(1);
        out.writeInt(partition);
        out.writeLong(nextOffset);
    }

    static CostsProgress readFrom(DataInput in) throws IOException {
        byte version = in.readByte();
        if (version != 1) {
            throw new IOException("Unknown CostsProgress version " + version);
        }
        return new CostsProgress(in.readInt(), in.readLong());
    }
}
