package io.timeshard.accessnode.api;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.catalog.model.DataNode;
import io.timeshard.catalog.store.CatalogStore;

/**
 * {@code ALTER EXTENSION timescaledb UPDATE}: runs this version's SQL again — the functions every node
 * needs ({@link CatalogStore#nodeFunctionsSql()}: partition hash, time_bucket, first/last) on the
 * access node database and on every data node, and the access node catalog script — in one
 * distributed transaction, so that a database set up by an older Timeshard gets what this one
 * added. The scripts are idempotent; nothing else changes. Source: TimescaleDB's upgrade is the same
 * statement (on a multi-node cluster, run on each node by hand); here the access node reaches its
 * data nodes itself.
 */
public final class ExtensionUpdate {
    private ExtensionUpdate() {}

    /**
     * @throws io.timeshard.catalog.errors.PgException with the SQLSTATE of the first script that fails on
     *         any node (everything is then rolled back), or 08006 when a data node cannot be reached
     */
    public static void run(AccessNode node, DatabaseCatalog catalog) {
        CatalogTransaction.run(node, catalog, (an, dtx) -> {
            String functions = CatalogStore.nodeFunctionsSql();
            for (DataNode dn : catalog.snapshot().dataNodes().values()) dtx.participant(dn).execute(functions);
            CatalogStore.exec(an, functions);
            CatalogStore.exec(an, CatalogStore.resource(CatalogStore.ACCESS_NODE_SQL));
            return null;
        });
    }
}
