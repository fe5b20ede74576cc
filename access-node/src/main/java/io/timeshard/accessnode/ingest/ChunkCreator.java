package io.timeshard.accessnode.ingest;

import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.accessnode.session.TransactionState;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.ChunkIndex;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.catalog.partitioning.ClosedDimensionSlicer;
import io.timeshard.catalog.partitioning.ColumnType;
import io.timeshard.catalog.partitioning.OpenDimensionSlicer;
import io.timeshard.catalog.partitioning.SliceRange;
import io.timeshard.catalog.partitioning.TimeValues;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the chunk of a point (internal time, space hash) and creates missing ones, with TimescaleDB's
 * semantics (DESIGN.md §3): the time slice is the chunk interval aligned to the Unix epoch, the space
 * slice one of {@code number_partitions} equal ranges of the 31-bit hash, and the replicas the data
 * node at the slice's index (round-robin over the hypertable's data nodes) and the ones after it.
 *
 * <p>A new chunk is recorded in the transaction: its tables are created on the data nodes inside the
 * transaction (by the caller, with {@link #dataNodeDdl}), its catalog rows and its foreign table
 * (the safety net) at the commit point. One per statement; not thread-safe.
 */
final class ChunkCreator {
    private final DatabaseCatalog catalog;
    private final TransactionState txn;
    private final Hypertable ht;
    private final ColumnType timeType;
    private final Consumer<PgException> warnings;

    /**
     * @param warnings receives warnings for the client (fewer replicas than the replication factor)
     */
    ChunkCreator(DatabaseCatalog catalog, TransactionState txn, Hypertable ht, Consumer<PgException> warnings) {
        this.catalog = catalog;
        this.warnings = warnings;
        this.txn = txn;
        this.ht = ht;
        this.timeType = ColumnType.fromTypeName(ht.time().columnType()).orElseThrow(() -> new PgException(
                SqlState.FEATURE_NOT_SUPPORTED, "unsupported time column type " + ht.time().columnType()));
    }

    /** @return the chunk holding the point, committed or created earlier in this transaction, or null */
    Chunk find(long time, int hash) {
        ChunkIndex idx = catalog.snapshot().chunks().get(ht.id());
        Chunk c = idx == null ? null : idx.find(time, hash);
        if (c != null) return c;
        for (TransactionState.PendingChunk p : txn.pendingChunks()) {
            if (p.chunk().hypertableId() == ht.id() && p.chunk().contains(time, hash)) return p.chunk();
        }
        return null;
    }

    /**
     * Creates the chunk for a point, after taking the hypertable's chunk creation lock (another
     * session may have created it meanwhile: then that one is returned).
     *
     * @throws PgException TS170 when the hypertable has no data node to place it on
     */
    Chunk create(long time, int hash) {
        try {
            txn.lockChunkCreation(catalog, ht.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
        }
        Chunk existing = find(time, hash);
        if (existing != null) return existing;
        SliceRange timeRange = OpenDimensionSlicer.sliceFor(timeType, time, ht.time().intervalLength());
        SliceRange spaceRange = null;
        int placement;
        if (ht.space() != null) {
            spaceRange = cutToFreeRange(ClosedDimensionSlicer.sliceFor(hash, ht.space().numSlices()), hash, timeRange);
            placement = ClosedDimensionSlicer.sliceIndex(hash, ht.space().numSlices());
        } else {
            placement = (int) Math.floorMod(Math.floorDiv(timeRange.start(), ht.time().intervalLength()), (long) Integer.MAX_VALUE);
        }
        List<String> candidates = ht.availableDataNodes();
        if (candidates.isEmpty()) {
            throw new PgException(SqlState.TS_INSUFFICIENT_NUM_DATA_NODES, "insufficient number of data nodes")
                    .hint("Increase the number of available data nodes on hypertable \"" + ht.tableName() + "\".");
        }
        if (candidates.size() < ht.replicationFactor()) {
            warnings.accept(new PgException(SqlState.WARNING, "insufficient number of data nodes").severity("WARNING")
                    .detail("There are not enough data nodes to replicate chunks according to the configured replication factor.")
                    .hint("Attach " + (ht.replicationFactor() - candidates.size()) + " or more data nodes to hypertable \""
                            + ht.tableName() + "\"."));
        }
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < Math.min(ht.replicationFactor(), candidates.size()); i++) {
            nodes.add(candidates.get((placement + i) % candidates.size()));
        }
        int chunkId;
        int timeSliceId;
        int spaceSliceId = 0;
        try (Connection c = catalog.connection()) {
            chunkId = catalog.store().nextChunkId(c);
            timeSliceId = sliceId(c, ht.time().id(), timeRange);
            if (spaceRange != null) spaceSliceId = sliceId(c, ht.space().id(), spaceRange);
        } catch (SQLException e) {
            throw io.timeshard.catalog.store.CatalogStore.translate(e);
        }
        Chunk chunk = new Chunk(chunkId, ht.id(), "_timescaledb_internal", ht.chunkPrefix() + "_" + chunkId + "_chunk",
                timeSliceId, timeRange, spaceSliceId, spaceRange, nodes);
        txn.pendingChunks().add(new TransactionState.PendingChunk(chunk, accessNodeSql(chunk)));
        return chunk;
    }

    /**
     * Cuts a space slice so that it overlaps no chunk of the same time slice: after repartitioning
     * ({@code attach_data_node}) the new slicing may cross the ranges of chunks created with the old one.
     * TimescaleDB does the same ({@code chunk_collision_resolve}). The point's hash lies in no existing
     * chunk, so every colliding range ends before it or starts after it.
     */
    private SliceRange cutToFreeRange(SliceRange natural, int hash, SliceRange timeRange) {
        long start = natural.start();
        long end = natural.end();
        for (Chunk other : inTimeSlice(timeRange.start())) {
            SliceRange o = other.spaceSlice();
            if (o == null || !o.overlaps(new SliceRange(start, end))) continue;
            if (o.end() <= hash) start = Math.max(start, o.end());
            else end = Math.min(end, o.start());
        }
        return new SliceRange(start, end);
    }

    private List<Chunk> inTimeSlice(long start) {
        List<Chunk> out = new ArrayList<>();
        ChunkIndex idx = catalog.snapshot().chunks().get(ht.id());
        if (idx != null) out.addAll(idx.inTimeSlice(start));
        for (TransactionState.PendingChunk p : txn.pendingChunks()) {
            if (p.chunk().hypertableId() == ht.id() && p.chunk().timeSlice().start() == start) out.add(p.chunk());
        }
        return out;
    }

    /** Reuses the id of an existing slice (in this transaction or the catalog), else allocates one. */
    private int sliceId(Connection c, int dimensionId, SliceRange range) {
        for (Chunk other : inTimeSlice(range.start())) {
            if (dimensionId == ht.time().id() && other.timeSlice().equals(range)) return other.timeSliceId();
        }
        for (TransactionState.PendingChunk p : txn.pendingChunks()) {
            Chunk o = p.chunk();
            if (o.hypertableId() == ht.id() && ht.space() != null && dimensionId == ht.space().id() && range.equals(o.spaceSlice())) {
                return o.spaceSliceId();
            }
        }
        Optional<Integer> existing = catalog.store().sliceId(c, dimensionId, range);
        return existing.orElseGet(() -> catalog.store().nextSliceId(c));
    }

    /** @return the name of the partition holding one time slice's chunks (hypertables with a space dimension) */
    private String timeSliceTable(Chunk chunk) {
        return Identifiers.quote("_timescaledb_internal") + "." + Identifiers.quote(ht.chunkPrefix() + "_" + chunk.timeSliceId() + "_slice");
    }

    private String timeBounds(SliceRange r) {
        return "FOR VALUES FROM (" + bound(r.start()) + ") TO (" + bound(r.end()) + ")";
    }

    private String bound(long v) {
        if (v == Long.MIN_VALUE) return "MINVALUE";
        if (v == Long.MAX_VALUE) return "MAXVALUE";
        return switch (timeType) {
            case TIMESTAMPTZ -> TimeValues.toPgTimestamptzLiteral(v);
            case TIMESTAMP -> TimeValues.toPgTimestampLiteral(v);
            case DATE -> TimeValues.toPgDateLiteral(v);
            default -> Long.toString(v);
        };
    }

    private static String hashBound(long v) {
        if (v == Long.MIN_VALUE) return "MINVALUE";
        if (v == Long.MAX_VALUE) return "MAXVALUE";
        return Long.toString(v);
    }

    private String partitionOf(Chunk chunk) {
        if (ht.space() == null) return ht.qualifiedName() + " " + timeBounds(chunk.timeSlice());
        return timeSliceTable(chunk) + " FOR VALUES FROM (" + hashBound(chunk.spaceSlice().start()) + ") TO ("
                + hashBound(chunk.spaceSlice().end()) + ")";
    }

    private String timeSliceDdl(Chunk chunk) {
        if (ht.space() == null) return "";
        return "CREATE TABLE IF NOT EXISTS " + timeSliceTable(chunk) + " PARTITION OF " + ht.qualifiedName() + " "
                + timeBounds(chunk.timeSlice()) + " PARTITION BY RANGE (" + spaceKey(ht) + ");\n";
    }

    /**
     * @return the space partition key of the per-time-slice partitions: the partition hash, with NULL
     *         (a NULL space value) counted as 0 — the first slice, where the router puts such rows, as
     *         TimescaleDB does — since a NULL range-partition key would fit no partition
     */
    static String spaceKey(Hypertable ht) {
        return "coalesce(_timescaledb_functions.get_partition_hash(" + Identifiers.quote(ht.space().columnName()) + "), 0)";
    }

    /** @return the DDL that creates the chunk's table on a data node (inside its remote transaction) */
    String dataNodeDdl(Chunk chunk) {
        return timeSliceDdl(chunk) + "CREATE TABLE " + chunk.qualifiedName() + " PARTITION OF " + partitionOf(chunk);
    }

    /** @return the SQL run at the commit point: the chunk's foreign table and catalog rows */
    private String accessNodeSql(Chunk chunk) {
        StringBuilder sb = new StringBuilder(timeSliceDdl(chunk));
        sb.append("CREATE FOREIGN TABLE ").append(chunk.qualifiedName()).append(" PARTITION OF ").append(partitionOf(chunk))
                .append(" SERVER ").append(Identifiers.quote(chunk.dataNodes().getFirst()))
                .append(" OPTIONS (schema_name ").append(Identifiers.literal(chunk.schemaName()))
                .append(", table_name ").append(Identifiers.literal(chunk.tableName())).append(");\n");
        sliceRow(sb, chunk.timeSliceId(), ht.time().id(), chunk.timeSlice());
        if (chunk.spaceSlice() != null) sliceRow(sb, chunk.spaceSliceId(), ht.space().id(), chunk.spaceSlice());
        sb.append("INSERT INTO _timescaledb_catalog.chunk (id, hypertable_id, schema_name, table_name) VALUES (")
                .append(chunk.id()).append(", ").append(ht.id()).append(", ").append(Identifiers.literal(chunk.schemaName()))
                .append(", ").append(Identifiers.literal(chunk.tableName())).append(");\n");
        constraintRow(sb, chunk, ht.time().id(), chunk.timeSlice());
        if (chunk.spaceSlice() != null) constraintRow(sb, chunk, ht.space().id(), chunk.spaceSlice());
        for (String node : chunk.dataNodes()) {
            sb.append("INSERT INTO _timescaledb_catalog.chunk_data_node (chunk_id, node_chunk_id, node_name) VALUES (")
                    .append(chunk.id()).append(", ").append(chunk.id()).append(", ").append(Identifiers.literal(node)).append(");\n");
        }
        return sb.toString();
    }

    private static void sliceRow(StringBuilder sb, int id, int dimensionId, SliceRange r) {
        sb.append("INSERT INTO _timescaledb_catalog.dimension_slice (id, dimension_id, range_start, range_end) VALUES (")
                .append(id).append(", ").append(dimensionId).append(", ").append(r.start()).append(", ").append(r.end())
                .append(") ON CONFLICT DO NOTHING;\n");
    }

    private static void constraintRow(StringBuilder sb, Chunk chunk, int dimensionId, SliceRange r) {
        sb.append("INSERT INTO _timescaledb_catalog.chunk_constraint (chunk_id, dimension_slice_id) SELECT ")
                .append(chunk.id()).append(", id FROM _timescaledb_catalog.dimension_slice WHERE dimension_id = ")
                .append(dimensionId).append(" AND range_start = ").append(r.start()).append(" AND range_end = ")
                .append(r.end()).append(";\n");
    }
}
