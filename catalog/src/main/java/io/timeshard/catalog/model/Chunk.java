package io.timeshard.catalog.model;

import io.timeshard.catalog.partitioning.SliceRange;
import java.util.List;
import java.util.Objects;

/**
 * A chunk: the rows of a hypertable inside one hypercube (a time slice × a space slice), stored as a
 * table {@code _timescaledb_internal._dist_hyper_<hypertable>_<chunk>_chunk} on each of its replica
 * data nodes.
 *
 * @param id           catalog id
 * @param hypertableId owning hypertable
 * @param schemaName   chunk table schema ({@code _timescaledb_internal})
 * @param tableName    chunk table name
 * @param timeSliceId  catalog id of the time slice
 * @param timeSlice    [start, end) in internal time units (microseconds since the Unix epoch for time types)
 * @param spaceSliceId catalog id of the space slice, 0 when the hypertable has no space dimension
 * @param spaceSlice   [start, end) of the 31-bit space hash, or null without a space dimension
 * @param dataNodes    replica data nodes; the first one serves reads
 */
public record Chunk(int id, int hypertableId, String schemaName, String tableName, int timeSliceId, SliceRange timeSlice,
                   int spaceSliceId, SliceRange spaceSlice, List<String> dataNodes) {
    public Chunk {
        Objects.requireNonNull(schemaName, "schemaName");
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(timeSlice, "timeSlice");
        dataNodes = List.copyOf(dataNodes);
        if (dataNodes.isEmpty()) throw new IllegalArgumentException("a chunk needs at least one data node");
    }

    /** @return true when the point (internal time, space hash) lies in this chunk's hypercube */
    public boolean contains(long time, int spaceHash) {
        return timeSlice.contains(time) && (spaceSlice == null || spaceSlice.contains(spaceHash));
    }

    /** @return the schema-qualified, quoted table name */
    public String qualifiedName() {
        return Identifiers.quote(schemaName) + "." + Identifiers.quote(tableName);
    }
}
