package io.timeshard.catalog.partitioning;

import io.timeshard.catalog.errors.PgException;
import java.time.ZoneId;
import java.util.Objects;
import java.util.UUID;

/**
 * TimescaleDB's default space partitioning function {@code _timescaledb_functions.get_partition_hash(anyelement)}
 * ({@code ts_get_partition_hash} in {@code src/partitioning.c}): the hash of the value's type from its
 * default hash operator class ({@link PgHash}), masked to 31 bits ({@code & 0x7fffffff}) so that it
 * falls in {@code [0, 2^31)}, the range {@link ClosedDimensionSlicer} slices. Stateless and
 * thread-safe.
 */
public final class SpaceHash {
    private SpaceHash() {}

    /**
     * The partition hash of a value given in PostgreSQL's text form, parsed as the type's input
     * function does ({@link TimeValues#toInternal} for date and timestamps).
     *
     * @param type        the column's type; never null
     * @param textValue   the value's text, never null (SQL NULL is not hashed: TimescaleDB's
     *                    {@code hypertable_calculate_point} gives it coordinate 0, the first slice); for
     *                    varchar(n)/character(n) already coerced to the column's length
     * @param sessionZone the session's TimeZone, needed for a timestamptz without an offset; may be
     *                    null for other types
     * @return the hash, {@code 0..2147483647}
     * @throws TimeValues.NotParsed for date/time or float text the Java parsers do not handle with
     *                              certainty; ask the server ({@code get_partition_hash('…'::type)})
     * @throws PgException 22P02 for text the type's input function rejects, 22003 for an integer out
     *                     of its type's range
     */
    public static int partitionHash(ColumnType type, String textValue, ZoneId sessionZone) throws TimeValues.NotParsed {
        Objects.requireNonNull(textValue, "textValue");
        return switch (type) {
            case BOOL -> partitionHash(PgTextInput.bool(textValue));
            case NAME -> mask(PgHash.hashName(textValue));
            case INT2 -> partitionHash(PgTextInput.int2(textValue));
            case INT4 -> partitionHash(PgTextInput.int4(textValue));
            case INT8 -> partitionHash(PgTextInput.int8(textValue));
            case TEXT, VARCHAR -> mask(PgHash.hashText(textValue));
            case BPCHAR -> mask(PgHash.hashBpchar(textValue));
            case OID -> partitionHashOfOid(PgTextInput.oid(textValue));
            case FLOAT4 -> partitionHash(PgTextInput.float4(textValue));
            case FLOAT8 -> partitionHash(PgTextInput.float8(textValue));
            case UUID -> partitionHash(PgTextInput.uuid(textValue));
            case DATE, TIMESTAMP, TIMESTAMPTZ ->
                    partitionHashOfInternalTime(type, TimeValues.toInternal(type, textValue, sessionZone));
        };
    }

    /**
     * The partition hash of a time value in TimescaleDB's internal form, converted back to what the
     * column stores (days since 2000 for date, µs since 2000 for timestamps).
     *
     * @param type     a time dimension type; never null
     * @param internal {@link TimeValues#toInternal}'s value: µs since the Unix epoch, or the integer;
     *                 for date a multiple of a day
     * @return the hash, {@code 0..2147483647}
     * @throws IllegalArgumentException for a date value that is not a whole day, or an integer out of
     *                                  its type's range
     * @throws PgException 0A000 for a type that is not a time type
     */
    public static int partitionHashOfInternalTime(ColumnType type, long internal) {
        return switch (type) {
            case INT2 -> partitionHash((short) checkRange(internal, Short.MIN_VALUE, Short.MAX_VALUE));
            case INT4 -> partitionHash((int) checkRange(internal, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT8 -> partitionHash(internal);
            case DATE -> {
                if (internal % TimeValues.MICROS_PER_DAY != 0) {
                    throw new IllegalArgumentException("date value " + internal + " µs is not a whole day");
                }
                yield mask(PgHash.hashDate(Math.toIntExact(internal / TimeValues.MICROS_PER_DAY - TimeValues.PG_EPOCH_DAYS)));
            }
            case TIMESTAMP, TIMESTAMPTZ -> mask(PgHash.hashTimestamp(internal - TimeValues.PG_EPOCH_MICROS));
            default -> throw PgException.notSupported("type " + type.sqlName() + " is not a time type",
                    "Use an integer, date, timestamp or timestamptz column.");
        };
    }

    /** @return the partition hash of a {@code smallint} */
    public static int partitionHash(short v) { return mask(PgHash.hashInt2(v)); }

    /** @return the partition hash of an {@code integer} */
    public static int partitionHash(int v) { return mask(PgHash.hashInt4(v)); }

    /** @return the partition hash of a {@code bigint} */
    public static int partitionHash(long v) { return mask(PgHash.hashInt8(v)); }

    /** @return the partition hash of a {@code real} */
    public static int partitionHash(float v) { return mask(PgHash.hashFloat4(v)); }

    /** @return the partition hash of a {@code double precision} */
    public static int partitionHash(double v) { return mask(PgHash.hashFloat8(v)); }

    /** @return the partition hash of a {@code boolean} */
    public static int partitionHash(boolean v) { return mask(PgHash.hashBool(v)); }

    /** @param v never null
     *  @return the partition hash of a {@code uuid} */
    public static int partitionHash(UUID v) { return mask(PgHash.hashUuid(v)); }

    /** @param v never null
     *  @return the partition hash of a {@code text} or {@code varchar} */
    public static int partitionHashOfText(String v) { return mask(PgHash.hashText(v)); }

    /** @param oid the OID as an unsigned 32-bit value in a Java int
     *  @return the partition hash of an {@code oid} */
    public static int partitionHashOfOid(int oid) { return mask(PgHash.hashOid(oid)); }

    /** @return {@code hash & 0x7fffffff}, as {@code ts_get_partition_hash} */
    public static int mask(int hash) {
        return hash & 0x7fffffff;
    }

    private static long checkRange(long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("value " + v + " is out of range " + min + ".." + max);
        }
        return v;
    }
}
