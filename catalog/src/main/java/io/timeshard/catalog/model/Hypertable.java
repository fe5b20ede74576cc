package io.timeshard.catalog.model;

import java.util.List;
import java.util.Objects;

/**
 * A distributed hypertable as the access node sees it. Immutable; a change in the catalog gives a
 * new instance.
 *
 * @param id                catalog id ({@code _timescaledb_catalog.hypertable.id})
 * @param schemaName        schema of the root table, the same on the access node and on every data node
 * @param tableName         name of the root table
 * @param replicationFactor number of data nodes each chunk is written to, ≥ 1
 * @param time              the open (time) dimension, never null
 * @param space             the first closed (space) dimension, or null when partitioned by time only
 * @param dataNodes         names of the attached data nodes, ordered by name
 * @param blockedDataNodes  attached data nodes that take no new chunks ({@code block_new_chunks})
 * @param columns           the root table's columns in attribute order
 */
public record Hypertable(int id, String schemaName, String tableName, int replicationFactor, Dimension time,
                         Dimension space, List<String> dataNodes, List<String> blockedDataNodes, List<Column> columns) {
    public Hypertable {
        Objects.requireNonNull(schemaName, "schemaName");
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(time, "time");
        dataNodes = List.copyOf(dataNodes);
        blockedDataNodes = List.copyOf(blockedDataNodes);
        columns = List.copyOf(columns);
        if (replicationFactor < 1) throw new IllegalArgumentException("replication factor must be ≥ 1");
    }

    /** @return the schema-qualified, quoted name, e.g. {@code "public"."conditions"} */
    public String qualifiedName() {
        return Identifiers.quote(schemaName) + "." + Identifiers.quote(tableName);
    }

    /** @return the attached data nodes that accept new chunks, in order */
    public List<String> availableDataNodes() {
        return dataNodes.stream().filter(n -> !blockedDataNodes.contains(n)).toList();
    }

    /** @return the column index (0-based) of {@code name}, or -1 */
    public int columnIndex(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) return i;
        }
        return -1;
    }

    /** @return the prefix of chunk table names, {@code _dist_hyper_<id>} as in TimescaleDB */
    public String chunkPrefix() {
        return "_dist_hyper_" + id;
    }
}
