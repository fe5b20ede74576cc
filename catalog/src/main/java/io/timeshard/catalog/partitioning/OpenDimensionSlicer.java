package io.timeshard.catalog.partitioning;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;

/**
 * Slices of an open (time) dimension, as TimescaleDB's {@code calculate_open_range_default}
 * ({@code src/dimension.c}): ranges of {@code interval} aligned to multiples of the interval from 0 —
 * the Unix epoch for time types. For a negative value the range is found from its end,
 * {@code end = ((value + 1) / interval) * interval} (C division truncates toward zero, as Java's),
 * {@code start = end - interval}. A range that would pass the lowest value of the column type starts
 * at {@code Long.MIN_VALUE}; one that would pass the highest ends at {@code Long.MAX_VALUE}.
 * Stateless and thread-safe.
 */
public final class OpenDimensionSlicer {
    /**
     * Internal (Unix epoch, µs) value of PostgreSQL's lowest timestamp, 4714-11-24 00:00 BC UTC:
     * TimescaleDB's {@code ts_time_get_min} for {@code date}, {@code timestamp}, {@code timestamptz}.
     */
    public static final long TIMESTAMP_INTERNAL_MIN = -210_866_803_200_000_000L;
    /**
     * One above the highest internal timestamp TimescaleDB accepts, 294247-01-02 00:00 UTC:
     * {@code TS_TIMESTAMP_END} ({@code src/time_utils.h}, PostgreSQL's {@code END_TIMESTAMP} less the
     * 1970-to-2000 epoch difference, so that the Unix-epoch value fits a bigint) moved to the Unix epoch.
     */
    public static final long TIMESTAMP_INTERNAL_END = 9_223_371_331_200_000_000L;

    private OpenDimensionSlicer() {}

    /**
     * The slice for a {@code bigint} time dimension (bounds {@code Long.MIN_VALUE}/{@code MAX_VALUE}).
     *
     * @param value    the internal time value: µs since the Unix epoch, or the integer itself
     * @param interval the chunk interval in the same units, {@code > 0}
     * @return the slice holding {@code value}
     * @throws PgException XX000 for {@code value == Long.MAX_VALUE} ("time value out of range"),
     *                     22023 for a non-positive interval
     */
    public static SliceRange sliceFor(long value, long interval) {
        return sliceFor(value, interval, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The slice for a time dimension of {@code type}, clamped at the type's range as TimescaleDB's
     * {@code ts_time_get_min}/{@code ts_time_get_max} do: int2/int4 columns get an unbounded first or
     * last slice near their own limits, time types near 4714-11-24 BC and 294247-01-02 AD.
     *
     * @param type     a time dimension type ({@link ColumnType#isTimeDimensionType()}); never null
     * @param value    the internal value ({@link TimeValues#toInternal})
     * @param interval the chunk interval in internal units, {@code > 0}
     * @return the slice holding {@code value}
     * @throws PgException XX000 for a value at or past the type's highest value, 22023 for a
     *                     non-positive interval, 0A000 for a type that is not a time dimension type
     */
    public static SliceRange sliceFor(ColumnType type, long value, long interval) {
        return switch (type) {
            case INT2 -> sliceFor(value, interval, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT4 -> sliceFor(value, interval, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT8 -> sliceFor(value, interval, Long.MIN_VALUE, Long.MAX_VALUE);
            case DATE, TIMESTAMP, TIMESTAMPTZ ->
                    sliceFor(value, interval, TIMESTAMP_INTERNAL_MIN, TIMESTAMP_INTERNAL_END - 1);
            default -> throw PgException.notSupported("type " + type.sqlName() + " cannot be a time dimension",
                    "Use an integer, date, timestamp or timestamptz column.");
        };
    }

    private static SliceRange sliceFor(long value, long interval, long dimMin, long dimMax) {
        if (interval <= 0) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid chunk interval " + interval)
                    .detail("The chunk interval must be positive.");
        }
        long start;
        long end;
        if (value < 0) {
            end = ((value + 1) / interval) * interval;
            start = dimMin - end > -interval ? Long.MIN_VALUE : end - interval;
        } else {
            if (value >= dimMax) {
                throw new PgException(SqlState.INTERNAL_ERROR, "time value out of range")
                        .detail("Value " + value + " is at or beyond the end of the dimension's type.");
            }
            start = (value / interval) * interval;
            end = dimMax - start < interval ? Long.MAX_VALUE : start + interval;
        }
        return new SliceRange(start, end);
    }
}
