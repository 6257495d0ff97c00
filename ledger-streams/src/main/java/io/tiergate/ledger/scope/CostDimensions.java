package io.tiergate.ledger.scope;

import io.tiergate.ledger.codec.Binary;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Function;

/**
 * The dimensions a cost is counted by: scope × task type × tier × model (any may be null before
 * the first cost of a group).
 */
public record CostDimensions(String scope, TaskType taskType, Tier tier, String model) {

    /**
     * The binary state format of a value kept per dimension ({@link ScopedCost}, {@code
     * WindowTotals}): a version byte, the four dimensions, then the value's own fields. It is
     * persisted (stores, changelogs, repartition topics): a different layout needs a new version.
     */
    public static final class Format<T> {

        /** Writes a value's own fields, after its dimensions. */
        @FunctionalInterface
        public interface FieldsWriter<T> {
            void write(T value, DataOutput out) throws IOException;
        }

        /** Reads a value's own fields and builds it with the dimensions read before them. */
        @FunctionalInterface
        public interface FieldsReader<T> {
            T read(CostDimensions dimensions, DataInput in) throws IOException;
        }

        /** Reads a value's own fields as format {@code version} laid them out. */
        @FunctionalInterface
        public interface VersionedFieldsReader<T> {
            T read(int version, CostDimensions dimensions, DataInput in) throws IOException;
        }

        private final String type;
        private final int version;
        private final int oldestReadable;
        private final Function<T, CostDimensions> dimensions;
        private final FieldsWriter<T> writer;
        private final VersionedFieldsReader<T> reader;

        /**
         * A format with one version, written and read.
         *
         * @param type the value's name, for the error on an unknown version
         * @param dimensions the value's dimensions
         */
        public Format(
                String type,
                int version,
                Function<T, CostDimensions> dimensions,
                FieldsWriter<T> writer,
                FieldsReader<T> reader) {
            this(type, version, version, dimensions, writer, (v, d, in) -> reader.read(d, in));
        }

        /**
         * A format that writes {@code version} and still reads the versions since {@code
         * oldestReadable} (state written by a previous release).
         */
        public Format(
                String type,
                int version,
                int oldestReadable,
                Function<T, CostDimensions> dimensions,
                FieldsWriter<T> writer,
                VersionedFieldsReader<T> reader) {
            this.type = type;
            this.version = version;
            this.oldestReadable = oldestReadable;
            this.dimensions = dimensions;
            this.writer = writer;
            this.reader = reader;
        }

        public byte[] toBytes(T value) {
            return Binary.write(out -> write(value, out));
        }

        public T fromBytes(byte[] data) {
            return Binary.read(data, this::read);
        }

        public void write(T value, DataOutput out) throws IOException {
            out.writeByte(version);
            CostDimensions d = dimensions.apply(value);
            Binary.writeString(out, d.scope());
            Binary.writeEnum(out, d.taskType());
            Binary.writeEnum(out, d.tier());
            Binary.writeString(out, d.model());
            writer.write(value, out);
        }

        public T read(DataInput in) throws IOException {
            int read = Binary.readVersion(in, oldestReadable, version, type);
            CostDimensions d = new CostDimensions(
                    Binary.readString(in),
                    Binary.readEnum(in, TaskType.class, TaskType.UNKNOWN),
                    Binary.readEnum(in, Tier.class, Tier.UNKNOWN),
                    Binary.readString(in));
            return reader.read(read, d, in);
        }
    }
}
