package io.timeshard.accessnode.api;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.store.CatalogStore;
import io.timeshard.datanode.txn.DistributedTransaction;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * DDL on data nodes and catalog changes in the access node database, committed together with
 * two-phase commit (DESIGN.md §6) for API functions that run outside the client's transaction
 * ({@code create_distributed_hypertable}, {@code attach_data_node}, {@code detach_data_node}): the
 * catalog connection's COMMIT, with the gids recorded, is the commit point.
 */
final class CatalogTransaction {
    private CatalogTransaction() {}

    /** Work inside the transaction: catalog SQL on {@code an}, data node DDL through {@code dtx}. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection an, DistributedTransaction dtx) throws SQLException;
    }

    /**
     * @return what {@code work} returned, once committed everywhere
     * @throws PgException the work's error or a commit failure; everything is then rolled back
     */
    static <T> T run(AccessNode node, DatabaseCatalog catalog, Work<T> work) {
        DistributedTransaction dtx = new DistributedTransaction(node.pools());
        try (Connection an = catalog.connection()) {
            an.setAutoCommit(false);
            try {
                T result = work.run(an, dtx);
                long xid = CatalogStore.queryOne(an, "SELECT txid_current()", rs -> rs.getLong(1));
                dtx.commit(xid, gids -> {
                    try {
                        for (var g : gids.entrySet()) CatalogStore.exec(an, CatalogStore.remoteTxnRecordSql(g.getKey(), g.getValue()));
                        an.commit();
                    } catch (SQLException e) {
                        throw CatalogStore.translate(e);
                    }
                });
                return result;
            } catch (RuntimeException | SQLException e) {
                dtx.rollback();
                an.rollback();
                throw e instanceof SQLException se ? CatalogStore.translate(se) : (RuntimeException) e;
            } finally {
                an.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw CatalogStore.translate(e);
        }
    }
}
