package io.timeshard.catalog.model;

import java.util.Objects;

/**
 * A partitioning dimension of a hypertable (TimescaleDB's {@code _timescaledb_catalog.dimension}).
 * An <em>open</em> dimension (time) is cut into slices of {@code intervalLength}; a <em>closed</em>
 * dimension (space) hashes the column with {@code _timescaledb_functions.get_partition_hash} and
 * splits {@code [0, 2^31)} into {@code numSlices} slices.
 *
 * @param id             catalog id
 * @param columnName     partitioning column, never null
 * @param columnType     the column's type as {@code format_type} prints it, never null
 * @param open           true for the time dimension, false for a space dimension
 * @param numSlices      number of space partitions (closed dimensions), 0 for open ones
 * @param intervalLength chunk interval of an open dimension: microseconds for timestamptz,
 *                       timestamp and date columns, integer units for integer columns; 0 for closed
 */
public record Dimension(int id, String columnName, String columnType, boolean open, int numSlices, long intervalLength) {
    public Dimension {
        Objects.requireNonNull(columnName, "columnName");
        Objects.requireNonNull(columnType, "columnType");
        if (open && intervalLength <= 0) throw new IllegalArgumentException("open dimension needs a positive interval");
        if (!open && numSlices < 1) throw new IllegalArgumentException("closed dimension needs at least one slice");
    }

    /** @return a copy with another number of space partitions (closed dimensions only) */
    public Dimension withNumSlices(int n) {
        return new Dimension(id, columnName, columnType, open, n, intervalLength);
    }
}
