package io.timeshard.catalog.partitioning;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.util.ArrayList;
import java.util.List;

/**
 * Slices of a closed (space) dimension, as TimescaleDB's {@code calculate_closed_range_default}
 * ({@code src/dimension.c}): {@code [0, 2^31-1)} split into {@code numSlices} slices of
 * {@code interval = 2147483647 / numSlices}; the last slice starts at
 * {@code interval * (numSlices - 1)} and takes the remainder up to {@code Long.MAX_VALUE}; the first
 * slice's start 0 is stored as {@code Long.MIN_VALUE}. With 2 slices the boundary is 1073741823.
 * Stateless and thread-safe.
 */
public final class ClosedDimensionSlicer {
    /** {@code DIMENSION_SLICE_CLOSED_MAX}: {@code PG_INT32_MAX}. */
    public static final long CLOSED_MAX = Integer.MAX_VALUE;
    /** {@code num_slices} is an int2 in {@code _timescaledb_catalog.dimension}. */
    public static final int MAX_SLICES = Short.MAX_VALUE;

    private ClosedDimensionSlicer() {}

    /**
     * @param hash      the partitioning value, e.g. {@link SpaceHash}'s 31-bit hash; {@code >= 0}
     * @param numSlices number of slices, 1..32767
     * @return the slice holding {@code hash}
     * @throws PgException XX000 for a negative value (TimescaleDB: "invalid value … for dimension"),
     *                     22023 for a bad slice count
     */
    public static SliceRange sliceFor(long hash, int numSlices) {
        long interval = interval(numSlices);
        long lastStart = interval * (numSlices - 1);
        checkValue(hash);
        long start;
        long end;
        if (hash >= lastStart) {
            start = lastStart; // integer-division overflow goes into the last slice
            end = Long.MAX_VALUE;
        } else {
            start = (hash / interval) * interval;
            end = start + interval;
        }
        return new SliceRange(start == 0 ? Long.MIN_VALUE : start, end);
    }

    /**
     * @param hash      as {@link #sliceFor}
     * @param numSlices as {@link #sliceFor}
     * @return the 0-based position of {@code hash}'s slice among {@link #allSlices}
     * @throws PgException as {@link #sliceFor}
     */
    public static int sliceIndex(long hash, int numSlices) {
        long interval = interval(numSlices);
        checkValue(hash);
        return (int) Math.min(hash / interval, numSlices - 1);
    }

    /**
     * @param numSlices number of slices, 1..32767
     * @return the slices in ascending order; together they cover every long
     * @throws PgException 22023 for a bad slice count
     */
    public static List<SliceRange> allSlices(int numSlices) {
        long interval = interval(numSlices);
        List<SliceRange> slices = new ArrayList<>(numSlices);
        for (int i = 0; i < numSlices; i++) {
            slices.add(sliceFor(interval * i, numSlices));
        }
        return List.copyOf(slices);
    }

    private static long interval(int numSlices) {
        if (numSlices < 1 || numSlices > MAX_SLICES) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid number of partitions: " + numSlices)
                    .hint("The number of partitions must be between 1 and " + MAX_SLICES + ".");
        }
        return CLOSED_MAX / numSlices;
    }

    private static void checkValue(long hash) {
        if (hash < 0) {
            throw new PgException(SqlState.INTERNAL_ERROR, "invalid value " + hash + " for closed dimension")
                    .detail("Space partitioning functions must return values between 0 and " + CLOSED_MAX + ".");
        }
    }
}
