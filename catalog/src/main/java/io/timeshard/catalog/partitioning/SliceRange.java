package io.timeshard.catalog.partitioning;

/**
 * A dimension slice's range {@code [start, end)} in the dimension's internal units: microseconds
 * since the Unix epoch for timestamp and date time dimensions, the value for integer time dimensions,
 * the 31-bit hash for space dimensions. {@code Long.MIN_VALUE} as start and {@code Long.MAX_VALUE} as
 * end stand for "unbounded" (TimescaleDB's {@code DIMENSION_SLICE_MINVALUE}/{@code MAXVALUE}), as in
 * {@code _timescaledb_catalog.dimension_slice}. Immutable.
 *
 * @param start first value in the slice (inclusive)
 * @param end   first value after the slice (exclusive); greater than {@code start}
 */
public record SliceRange(long start, long end) {
    /** @throws IllegalArgumentException if {@code start >= end} */
    public SliceRange {
        if (start >= end) {
            throw new IllegalArgumentException("slice range start " + start + " must be below its end " + end);
        }
    }

    /** @return whether {@code start <= value < end} */
    public boolean contains(long value) {
        return value >= start && value < end;
    }

    /** @param other another range; never null
     *  @return whether the two ranges share at least one value */
    public boolean overlaps(SliceRange other) {
        return start < other.end && other.start < end;
    }
}
