package io.timeshard.accessnode.api;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.accessnode.session.Session;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.ChunkIndex;
import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.catalog.partitioning.ColumnType;
import io.timeshard.catalog.store.CatalogStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code create_distributed_hypertable}, {@code create_hypertable} and {@code set_replication_factor}.
 *
 * <p>Creating a distributed hypertable (DESIGN.md §2–§3) makes, in one distributed transaction:
 * on every data node, a table of the same schema and name partitioned by range of time (and, per
 * time slice, by range of the space hash) with the default indexes; on the access node, the user's
 * table replaced by a partitioned table of the same shape — its partitions will be postgres_fdw
 * foreign tables, one per chunk (the safety net) — and the catalog rows.
 */
final class HypertableApi {
    /** TimescaleDB's default chunk_time_interval: 7 days, in microseconds. */
    static final long DEFAULT_CHUNK_TIME_INTERVAL = 7L * 24 * 3600 * 1_000_000;

    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;

    HypertableApi(AccessNode node, Session session, Dispatcher dispatcher) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /**
     * @param distributedApi true for create_distributed_hypertable, false for create_hypertable
     * @return {@code (hypertable_id, schema_name, table_name, created)}
     * @throws PgException see TimescaleDB: TS110 already a hypertable, TS170 no or too few data nodes,
     *                     22023 invalid arguments or a non-empty table, 42703 unknown column, 0A000 for
     *                     local hypertables and what is not supported yet
     */
    String[] create(ApiArguments a, boolean distributedApi) {
        if (!distributedApi) {
            String distributed = a.text("distributed");
            boolean rfGiven = a.text("replication_factor") != null;
            if ("false".equals(distributed) && rfGiven) {
                throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "local hypertables cannot set replication_factor");
            }
            if (!"true".equals(distributed) && !rfGiven) {
                throw PgException.notSupported("local hypertables are not supported by Timeshard",
                        "Use create_distributed_hypertable(), or create_hypertable(..., replication_factor => 1).");
            }
        }
        if (session.txn().inBlock) {
            throw new PgException(SqlState.ACTIVE_SQL_TRANSACTION,
                    "create_distributed_hypertable cannot run inside a transaction block in Timeshard yet")
                    .hint("Create the table in its own transaction, then call the function outside BEGIN … COMMIT.");
        }
        String[] rel = splitQualified(a.require("relation"));
        String schema = rel[0];
        String table = rel[1];
        DatabaseCatalog catalog = dispatcher.catalog();
        DatabaseCatalog.Snapshot snap = catalog.reload();
        Optional<Hypertable> existing = catalog.hypertable(schema, table);
        if (existing.isPresent()) {
            if (a.bool("if_not_exists", false)) {
                session.out().notice("table \"" + table + "\" is already a hypertable, skipping");
                return new String[] {Integer.toString(existing.get().id()), schema, table, "f"};
            }
            throw new PgException(SqlState.TS_HYPERTABLE_EXISTS, "table \"" + table + "\" is already a hypertable");
        }
        List<String> nodes = a.array("data_nodes");
        if (nodes == null) nodes = new ArrayList<>(snap.dataNodes().keySet().stream().sorted().toList());
        for (String n : nodes) catalog.dataNode(n);
        if (nodes.isEmpty()) {
            throw new PgException(SqlState.TS_INSUFFICIENT_NUM_DATA_NODES, "no data nodes can be assigned to the hypertable")
                    .hint("Add data nodes using the add_data_node() function.");
        }
        int rf = a.integer("replication_factor") == null ? 1 : a.integer("replication_factor");
        if (rf < 1 || rf > 32767) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid replication factor")
                    .hint("A hypertable's replication factor must be between 1 and 32767.");
        }
        if (rf > nodes.size()) {
            throw new PgException(SqlState.TS_INSUFFICIENT_NUM_DATA_NODES, "replication factor too large for hypertable \"" + table + "\"")
                    .detail("The hypertable has " + nodes.size() + " data nodes attached, while the replication factor is " + rf + ".")
                    .hint("Decrease the replication factor or attach more data nodes to the hypertable.");
        }
        for (String unsupported : List.of("partitioning_func", "time_partitioning_func", "chunk_target_size")) {
            if (a.text(unsupported) != null) {
                throw PgException.notSupported(unsupported + " is not supported by Timeshard yet", null);
            }
        }
        try (Connection an = catalog.connection()) {
            List<Column> columns = catalog.store().columns(an, schema, table);
            String timeCol = a.require("time_column_name");
            Column time = column(columns, timeCol);
            if (ColumnType.isCoarseTimestamp(time.typeName())) {
                // PostgreSQL rounds such values on input; chunk routing would place them by the unrounded value
                throw PgException.notSupported("a time column of type " + time.typeName() + " is not supported by Timeshard yet",
                        "Declare \"" + timeCol + "\" with the default precision (timestamptz or timestamp).");
            }
            ColumnType timeType = ColumnType.fromTypeName(time.typeName()).filter(ColumnType::isTimeDimensionType)
                    .orElseThrow(() -> new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid type for dimension \"" + timeCol + "\"")
                            .hint("Use an integer, timestamp, or date type."));
            String spaceCol = a.text("partitioning_column");
            Column space = spaceCol == null ? null : column(columns, spaceCol);
            if (space != null && ColumnType.fromTypeName(space.typeName()).isEmpty()) {
                throw PgException.notSupported("space partitioning on a column of type " + space.typeName()
                        + " is not supported by Timeshard yet", "Partition by an integer, text, uuid or timestamp column.");
            }
            Integer partitions = a.integer("number_partitions");
            if (space == null && partitions != null) {
                throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid number of partitions: a space partitioning column is needed");
            }
            int numSlices = space == null ? 0 : partitions == null ? nodes.size() : partitions;
            if (space != null && (numSlices < 1 || numSlices > 32767)) {
                throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid number of partitions: must be between 1 and 32767");
            }
            long interval = chunkInterval(a, timeType);
            if (a.bool("migrate_data", false)) {
                throw PgException.notSupported("migrate_data is not supported by Timeshard yet", "Create the hypertable empty, then load the rows.");
            }
            String q = Identifiers.quote(schema) + "." + Identifiers.quote(table);
            if (CatalogStore.queryOne(an, "SELECT EXISTS (SELECT 1 FROM " + q + ")", rs -> rs.getBoolean(1))) {
                throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "table \"" + table + "\" is not empty")
                        .hint("You can migrate data by specifying 'migrate_data => true' when calling this function.");
            }
            if (CatalogStore.queryOne(an, "SELECT count(*) FROM pg_constraint WHERE conrelid = '" + q.replace("'", "''")
                    + "'::regclass AND contype IN ('p', 'u', 'x', 'f')", rs -> rs.getInt(1)) > 0) {
                throw PgException.notSupported("primary key, unique, exclusion and foreign key constraints are not supported on distributed hypertables yet",
                        "Drop the constraint before creating the hypertable.");
            }
            if (CatalogStore.queryOne(an, "SELECT relkind::text FROM pg_class WHERE oid = '" + q.replace("'", "''") + "'::regclass",
                    rs -> rs.getString(1)).equals("p")) {
                throw PgException.notSupported("table \"" + table + "\" is already partitioned", null);
            }
            return createDistributed(an, catalog, schema, table, columns, time, space, numSlices, interval, rf, nodes,
                    a.bool("create_default_indexes", true));
        } catch (SQLException e) {
            throw CatalogStore.translate(e);
        }
    }

    private String[] createDistributed(Connection an, DatabaseCatalog catalog, String schema, String table, List<Column> columns,
                                       Column time, Column space, int numSlices, long interval, int rf, List<String> nodes,
                                       boolean defaultIndexes) throws SQLException {
        String q = Identifiers.quote(schema) + "." + Identifiers.quote(table);
        List<String> checks = CatalogStore.queryList(an, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '"
                + q.replace("'", "''") + "'::regclass AND contype = 'c' ORDER BY conname");
        List<String> indexes = CatalogStore.queryList(an, "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = '"
                + q.replace("'", "''") + "'::regclass ORDER BY indexrelid");
        List<String> allIndexes = new ArrayList<>();
        if (defaultIndexes) {
            allIndexes.addAll(DataNodeTableDdl.defaultIndexes(schema, table, time.name(), space == null ? null : space.name()));
        }
        allIndexes.addAll(indexes);
        String dnTable = new DataNodeTableDdl(schema, table, columns, checks, allIndexes, time.name()).sql();

        int id = CatalogTransaction.run(node, catalog, (an2, dtx) -> {
            for (String n : nodes) dtx.participant(catalog.dataNode(n)).execute(dnTable);
            return convertAndRecord(an2, schema, table, q, time, space, numSlices, interval, rf, nodes);
        });
        catalog.reload();
        return new String[] {Integer.toString(id), schema, table, "t"};
    }

    /**
     * Records the hypertable in the catalog and turns the user's table into the safety net's root: a
     * table of the same shape partitioned by time (its partitions will be the chunks' foreign tables),
     * owned by the same role, with the trigger that refuses direct writes.
     *
     * @return the new hypertable id
     */
    private int convertAndRecord(Connection an, String schema, String table, String q, Column time, Column space, int numSlices,
                                 long interval, int rf, List<String> nodes) throws SQLException {
        int id = CatalogStore.queryOne(an, "INSERT INTO _timescaledb_catalog.hypertable (schema_name, table_name, "
                + "associated_schema_name, associated_table_prefix, num_dimensions, replication_factor) VALUES (?, ?, "
                + "'_timescaledb_internal', '_dist_hyper_' || currval(pg_get_serial_sequence('_timescaledb_catalog.hypertable', 'id')), ?, ?) RETURNING id",
                rs -> rs.getInt(1), schema, table, (short) (space == null ? 1 : 2), (short) rf);
        CatalogStore.exec(an, "INSERT INTO _timescaledb_catalog.dimension (hypertable_id, column_name, column_type, aligned, interval_length) VALUES ("
                + id + ", " + Identifiers.literal(time.name()) + ", " + time.typeOid() + "::oid::regtype, true, " + interval + ")");
        if (space != null) {
            CatalogStore.exec(an, "INSERT INTO _timescaledb_catalog.dimension (hypertable_id, column_name, column_type, aligned, num_slices, "
                    + "partitioning_func_schema, partitioning_func) VALUES (" + id + ", " + Identifiers.literal(space.name()) + ", "
                    + space.typeOid() + "::oid::regtype, false, " + numSlices + ", '_timescaledb_functions', 'get_partition_hash')");
        }
        for (String n : nodes) {
            CatalogStore.exec(an, "INSERT INTO _timescaledb_catalog.hypertable_data_node (hypertable_id, node_hypertable_id, node_name) VALUES ("
                    + id + ", " + id + ", " + Identifiers.literal(n) + ")");
        }
        String old = Identifiers.quote("_timeshard_old_" + id);
        String owner = CatalogStore.queryOne(an, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = '"
                + q.replace("'", "''") + "'::regclass", rs -> rs.getString(1));
        CatalogStore.exec(an, "ALTER TABLE " + q + " RENAME TO " + old + ";\n"
                + "CREATE TABLE " + q + " (LIKE " + Identifiers.quote(schema) + "." + old
                + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING COMMENTS INCLUDING STORAGE) PARTITION BY RANGE ("
                + Identifiers.quote(time.name()) + ");\n"
                + "ALTER TABLE " + q + " ALTER COLUMN " + Identifiers.quote(time.name()) + " SET NOT NULL;\n"
                + "ALTER TABLE " + q + " OWNER TO " + Identifiers.quote(owner) + ";\n"
                + "DROP TABLE " + Identifiers.quote(schema) + "." + old + ";\n"
                + "CREATE TRIGGER _timeshard_block_writes BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON " + q
                + " FOR EACH STATEMENT EXECUTE FUNCTION _timescaledb_functions.block_direct_writes()");
        return id;
    }

    /**
     * @return {@code ("")}: the function returns void
     * @throws PgException 22023 for a factor outside 1..32767; TS170 when larger than the number of
     *                     attached data nodes; TS111 for a table that is not a distributed hypertable
     */
    String[] setReplicationFactor(ApiArguments a) {
        String[] rel = splitQualified(a.require("hypertable"));
        DatabaseCatalog catalog = dispatcher.catalog();
        Hypertable ht = catalog.hypertable(rel[0], rel[1]).orElseThrow(() -> new PgException(SqlState.TS_HYPERTABLE_NOT_DISTRIBUTED,
                "hypertable \"" + rel[1] + "\" is not distributed"));
        int rf = Integer.parseInt(a.require("replication_factor"));
        if (rf < 1 || rf > 32767) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid replication factor")
                    .hint("A hypertable's replication factor must be between 1 and 32767.");
        }
        if (rf > ht.dataNodes().size()) {
            throw new PgException(SqlState.TS_INSUFFICIENT_NUM_DATA_NODES, "replication factor too large for hypertable \"" + ht.tableName() + "\"")
                    .detail("The hypertable has " + ht.dataNodes().size() + " data nodes attached, while the replication factor is " + rf + ".")
                    .hint("Decrease the replication factor or attach more data nodes to the hypertable.");
        }
        try (Connection an = catalog.connection()) {
            CatalogStore.exec(an, "UPDATE _timescaledb_catalog.hypertable SET replication_factor = " + rf + " WHERE id = " + ht.id());
        } catch (SQLException e) {
            throw CatalogStore.translate(e);
        }
        ChunkIndex idx = catalog.snapshot().chunks().get(ht.id());
        if (idx != null && idx.all().stream().mapToInt(c -> c.dataNodes().size()).anyMatch(n -> n < rf)) {
            session.out().notice(new PgException(SqlState.WARNING,
                    "hypertable \"" + ht.tableName() + "\" is under-replicated").severity("WARNING")
                    .detail("Some chunks have less than " + rf + " replicas."));
        }
        catalog.reload();
        return new String[] {""};
    }

    private long chunkInterval(ApiArguments a, ColumnType timeType) {
        boolean timeLike = timeType == ColumnType.TIMESTAMPTZ || timeType == ColumnType.TIMESTAMP || timeType == ColumnType.DATE;
        if (!a.given("chunk_time_interval") || a.text("chunk_time_interval") == null) {
            if (timeLike) return DEFAULT_CHUNK_TIME_INTERVAL;
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "integer dimensions require an explicit interval")
                    .hint("Pass chunk_time_interval => <number of time units per chunk>.");
        }
        String type = a.type("chunk_time_interval");
        String v = a.text("chunk_time_interval");
        long interval;
        if (type.equals("interval")) {
            if (!timeLike) {
                throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid interval type for " + timeType.sqlName() + " dimension")
                        .hint("Use an interval of type integer.");
            }
            interval = Long.parseLong(session.backend().runForValue(
                    "SELECT (extract(epoch FROM " + Identifiers.literal(v) + "::interval) * 1000000)::bigint"));
        } else if (type.equals("bigint") || type.equals("integer") || type.equals("smallint")) {
            interval = Long.parseLong(v);
        } else {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid interval type " + type)
                    .hint("Use an interval or an integer.");
        }
        if (interval <= 0) throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid interval: must be between 1 and 9223372036854775807");
        return interval;
    }

    private static Column column(List<Column> columns, String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) return c;
        }
        throw new PgException(SqlState.UNDEFINED_COLUMN, "column \"" + name + "\" does not exist");
    }

    /** @return {schema, table} of a {@code quote_ident(schema).quote_ident(table)} text */
    static String[] splitQualified(String q) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < q.length() && q.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return new String[] {parts.get(0), parts.get(1)};
    }
}
