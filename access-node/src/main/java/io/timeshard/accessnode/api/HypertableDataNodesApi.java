package io.timeshard.accessnode.api;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.accessnode.session.Session;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.ChunkIndex;
import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.DataNode;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.catalog.store.CatalogStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The data node set of distributed hypertables, with TimescaleDB 2.13's semantics and messages
 * (reference/timescaledb-2.13-behaviour.md): {@code attach_data_node} (creates the hypertable on the
 * node; with repartition raises the number of space partitions to the number of data nodes, for new
 * chunks only), {@code detach_data_node} (refuses to lose a chunk's only replica, or without force to
 * leave data behind), {@code block_new_chunks} and {@code allow_new_chunks}. Existing chunks never move.
 */
final class HypertableDataNodesApi {
    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;

    HypertableDataNodesApi(AccessNode node, Session session, Dispatcher dispatcher) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /**
     * @return {@code (hypertable_id, node_hypertable_id, node_name)}
     * @throws PgException TS111 for a table that is not a distributed hypertable; 42704 for an unknown
     *                     node; TS172 when already attached (without if_not_attached); 25001 in a block
     */
    String[] attach(ApiArguments a) {
        refuseInBlock("attach_data_node");
        String name = a.require("node_name");
        DatabaseCatalog catalog = dispatcher.catalog();
        catalog.reload();
        Hypertable ht = hypertable(a.require("hypertable"));
        DataNode dn = catalog.dataNode(name);
        if (ht.dataNodes().contains(name)) {
            if (a.bool("if_not_attached", false)) {
                session.out().notice("data node \"" + name + "\" is already attached to hypertable \"" + ht.tableName() + "\", skipping");
                return new String[] {Integer.toString(ht.id()), Integer.toString(ht.id()), name};
            }
            throw new PgException(SqlState.TS_DATA_NODE_ALREADY_ATTACHED,
                    "data node \"" + name + "\" is already attached to hypertable \"" + ht.tableName() + "\"");
        }
        String ddl = dataNodeDdl(catalog, ht);
        boolean repartition = a.bool("repartition", true) && ht.space() != null
                && ht.space().numSlices() < ht.dataNodes().size() + 1;
        int newSlices = ht.dataNodes().size() + 1;
        CatalogTransaction.run(node, catalog, (an, dtx) -> {
            dtx.participant(dn).execute(ddl);
            CatalogStore.exec(an, "INSERT INTO _timescaledb_catalog.hypertable_data_node (hypertable_id, node_hypertable_id, node_name) VALUES ("
                    + ht.id() + ", " + ht.id() + ", " + Identifiers.literal(name) + ")");
            if (repartition) {
                CatalogStore.exec(an, "UPDATE _timescaledb_catalog.dimension SET num_slices = " + newSlices + " WHERE id = " + ht.space().id());
            }
            return null;
        });
        if (repartition) {
            session.out().notice("the number of partitions in dimension \"" + ht.space().columnName() + "\" was increased to " + newSlices);
        }
        catalog.reload();
        return new String[] {Integer.toString(ht.id()), Integer.toString(ht.id()), name};
    }

    /**
     * @return the number of hypertables the node was detached from
     * @throws PgException TS170 when a chunk would lose its only replica; TS504 when the node still
     *                     holds replicated data and force is false; TS173 when not attached (without
     *                     if_attached); 0A000 for force with replicated data (not supported yet)
     */
    String[] detach(ApiArguments a) {
        refuseInBlock("detach_data_node");
        String name = a.require("node_name");
        DatabaseCatalog catalog = dispatcher.catalog();
        DatabaseCatalog.Snapshot snap = catalog.reload();
        DataNode dn = catalog.dataNode(name);
        List<Hypertable> targets = new ArrayList<>();
        if (a.text("hypertable") != null) {
            Hypertable ht = hypertable(a.text("hypertable"));
            if (!ht.dataNodes().contains(name)) {
                if (a.bool("if_attached", false)) {
                    session.out().notice("data node \"" + name + "\" is not attached to hypertable \"" + ht.tableName() + "\", skipping");
                    return new String[] {"0"};
                }
                throw new PgException(SqlState.TS_DATA_NODE_NOT_ATTACHED,
                        "data node \"" + name + "\" is not attached to hypertable \"" + ht.tableName() + "\"");
            }
            targets.add(ht);
        } else {
            snap.hypertables().values().stream().filter(h -> h.dataNodes().contains(name)).forEach(targets::add);
        }
        for (Hypertable ht : targets) {
            ChunkIndex idx = snap.chunks().get(ht.id());
            List<Chunk> onNode = idx == null ? List.of() : idx.all().stream().filter(c -> c.dataNodes().contains(name)).toList();
            for (Chunk c : onNode) {
                if (c.dataNodes().size() == 1) {
                    throw new PgException(SqlState.TS_INSUFFICIENT_NUM_DATA_NODES, "insufficient number of data nodes")
                            .detail("Distributed hypertable \"" + ht.tableName() + "\" would lose data if data node \"" + name + "\" is detached.")
                            .hint("Ensure all chunks on the data node are fully replicated before detaching it.");
                }
            }
            if (!onNode.isEmpty()) {
                if (!a.bool("force", false)) {
                    throw new PgException(SqlState.TS_DATA_NODE_IN_USE,
                            "data node \"" + name + "\" still holds data for distributed hypertable \"" + ht.tableName() + "\"");
                }
                throw PgException.notSupported("detaching a data node that holds chunk replicas is not supported yet",
                        "Drop those chunks first, or keep the data node attached.");
            }
        }
        boolean dropRemote = a.bool("drop_remote_data", false);
        CatalogTransaction.run(node, catalog, (an, dtx) -> {
            if (dropRemote) for (Hypertable ht : targets) dtx.participant(dn).execute("DROP TABLE IF EXISTS " + ht.qualifiedName() + " CASCADE");
            for (Hypertable ht : targets) {
                CatalogStore.exec(an, "DELETE FROM _timescaledb_catalog.hypertable_data_node WHERE hypertable_id = " + ht.id()
                        + " AND node_name = " + Identifiers.literal(name));
                int remaining = ht.dataNodes().size() - 1;
                if (a.bool("repartition", true) && ht.space() != null && remaining >= 1 && ht.space().numSlices() > remaining) {
                    CatalogStore.exec(an, "UPDATE _timescaledb_catalog.dimension SET num_slices = " + remaining + " WHERE id = " + ht.space().id());
                    session.out().notice("the number of partitions in dimension \"" + ht.space().columnName() + "\" was decreased to " + remaining);
                }
            }
            return null;
        });
        catalog.reload();
        return new String[] {Integer.toString(targets.size())};
    }

    /**
     * @param block true for block_new_chunks, false for allow_new_chunks
     * @return the number of hypertables changed
     * @throws PgException TS170 when blocking leaves fewer available nodes than the replication factor (without force)
     */
    String[] setBlocked(ApiArguments a, boolean block) {
        String name = a.require("data_node_name");
        DatabaseCatalog catalog = dispatcher.catalog();
        DatabaseCatalog.Snapshot snap = catalog.reload();
        catalog.dataNode(name);
        List<Hypertable> targets = new ArrayList<>();
        if (a.text("hypertable") != null) {
            Hypertable ht = hypertable(a.text("hypertable"));
            if (!ht.dataNodes().contains(name)) {
                throw new PgException(SqlState.TS_DATA_NODE_NOT_ATTACHED,
                        "data node \"" + name + "\" is not attached to hypertable \"" + ht.tableName() + "\"");
            }
            targets.add(ht);
        } else {
            snap.hypertables().values().stream().filter(h -> h.dataNodes().contains(name)).forEach(targets::add);
        }
        int changed = 0;
        try (Connection an = catalog.connection()) {
            for (Hypertable ht : targets) {
                if (ht.blockedDataNodes().contains(name) == block) continue;
                if (block && ht.availableDataNodes().size() - 1 < ht.replicationFactor()) {
                    if (!a.bool("force", false)) {
                        throw new PgException(SqlState.TS_INSUFFICIENT_NUM_DATA_NODES,
                                "insufficient number of data nodes for distributed hypertable \"" + ht.tableName() + "\"")
                                .detail("Reducing the number of available data nodes on distributed hypertable \"" + ht.tableName()
                                        + "\" prevents full replication of new chunks.")
                                .hint("Use force => true to force this operation.");
                    }
                    session.out().notice(new PgException(SqlState.WARNING, "insufficient number of data nodes for distributed hypertable \"" + ht.tableName() + "\"").severity("WARNING"));
                }
                CatalogStore.exec(an, "UPDATE _timescaledb_catalog.hypertable_data_node SET block_chunks = " + block
                        + " WHERE hypertable_id = " + ht.id() + " AND node_name = " + Identifiers.literal(name));
                changed++;
            }
        } catch (SQLException e) {
            throw CatalogStore.translate(e);
        }
        catalog.reload();
        return new String[] {Integer.toString(changed)};
    }

    /** The DDL of the hypertable's root on a new data node, read from the access node and an attached node. */
    private String dataNodeDdl(DatabaseCatalog catalog, Hypertable ht) {
        String q = ht.qualifiedName().replace("'", "''");
        try (Connection an = catalog.connection()) {
            List<Column> columns = catalog.store().columns(an, ht.schemaName(), ht.tableName());
            List<String> checks = CatalogStore.queryList(an, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '"
                    + q + "'::regclass AND contype = 'c' ORDER BY conname");
            List<String> indexes;
            try (Connection existing = node.pools().connect(catalog.dataNode(ht.dataNodes().getFirst()))) {
                indexes = CatalogStore.queryList(existing, "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = '"
                        + q + "'::regclass ORDER BY indexrelid");
            }
            return new DataNodeTableDdl(ht.schemaName(), ht.tableName(), columns, checks, indexes, ht.time().columnName()).sql();
        } catch (SQLException e) {
            throw CatalogStore.translate(e);
        }
    }

    private Hypertable hypertable(String qualified) {
        String[] rel = HypertableApi.splitQualified(qualified);
        return dispatcher.catalog().hypertable(rel[0], rel[1]).orElseThrow(() -> new PgException(
                SqlState.TS_HYPERTABLE_NOT_DISTRIBUTED, "hypertable \"" + rel[1] + "\" is not distributed"));
    }

    private void refuseInBlock(String function) {
        if (session.txn().inBlock) {
            throw new PgException(SqlState.ACTIVE_SQL_TRANSACTION, function + " cannot run inside a transaction block");
        }
    }
}
