package io.timeshard.datanode.txn;

import io.timeshard.catalog.model.DataNode;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.catalog.store.CatalogStore;
import io.timeshard.datanode.pool.DataNodePools;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles in-doubt (prepared, never finished) remote transactions on a data node, as TimescaleDB's
 * {@code remote_txn_heal_data_node} does: a gid with a record in {@code _timescaledb_catalog.remote_txn}
 * committed, so it gets COMMIT PREPARED; a gid without a record whose access node transaction is no
 * longer in progress ({@code txid_status}) aborted, so it gets ROLLBACK PREPARED; one still in
 * progress is left alone.
 */
public final class InDoubtResolver {
    private static final Logger LOG = LoggerFactory.getLogger(InDoubtResolver.class);

    private final DataNodePools pools;

    /** @param pools where connections to data nodes come from */
    public InDoubtResolver(DataNodePools pools) {
        this.pools = pools;
    }

    /**
     * @param node        the data node to heal
     * @param accessNode  a connection to the access node database that holds the commit records
     * @return the number of transactions resolved
     */
    public int heal(DataNode node, Connection accessNode) {
        int resolved = 0;
        Connection dn = pools.connect(node);
        try {
            List<String> gids = CatalogStore.queryList(dn,
                    "SELECT gid FROM pg_catalog.pg_prepared_xacts WHERE gid LIKE 'ts-1-%' AND database = current_database()");
            for (String gid : gids) {
                String[] parts = gid.split("-", 4);
                long xid = Long.parseLong(parts[2]);
                boolean committed = CatalogStore.queryOne(accessNode,
                        "SELECT EXISTS (SELECT 1 FROM _timescaledb_catalog.remote_txn WHERE remote_transaction_id = ?)",
                        rs -> rs.getBoolean(1), gid);
                String status = committed ? "committed" : CatalogStore.queryOne(accessNode,
                        "SELECT coalesce(txid_status(?), 'aborted')", rs -> rs.getString(1), xid);
                if ("in progress".equals(status)) continue;
                try (Statement st = dn.createStatement()) {
                    st.execute((committed ? "COMMIT PREPARED " : "ROLLBACK PREPARED ") + Identifiers.literal(gid));
                }
                LOG.info("resolved in-doubt transaction {} on {}: {}", gid, node.name(), committed ? "committed" : "rolled back");
                resolved++;
            }
            forgetFinished(accessNode, node, dn);
        } catch (SQLException e) {
            throw CatalogStore.translate(e);
        } finally {
            pools.release(dn, false);
        }
        return resolved;
    }

    /** Deletes commit records of this node whose prepared transaction no longer exists on it. */
    private static void forgetFinished(Connection accessNode, DataNode node, Connection dn) throws SQLException {
        List<String> pending = CatalogStore.queryList(dn, "SELECT gid FROM pg_catalog.pg_prepared_xacts WHERE gid LIKE 'ts-1-%'");
        try (PreparedStatement ps = accessNode.prepareStatement(
                "DELETE FROM _timescaledb_catalog.remote_txn WHERE data_node_name = ? AND NOT (remote_transaction_id = ANY (?))")) {
            ps.setString(1, node.name());
            ps.setArray(2, accessNode.createArrayOf("text", pending.toArray()));
            ps.executeUpdate();
        }
    }

}
