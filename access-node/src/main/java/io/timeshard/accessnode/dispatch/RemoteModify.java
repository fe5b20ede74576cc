package io.timeshard.accessnode.dispatch;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.session.BoundParameters;
import io.timeshard.accessnode.session.QueryResult;
import io.timeshard.accessnode.session.RelayedError;
import io.timeshard.accessnode.session.Session;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.planner.parse.Classified;
import io.timeshard.datanode.txn.RemoteTransaction;

/**
 * UPDATE, DELETE and TRUNCATE of a distributed hypertable, and DROP TABLE of one (DESIGN.md §4):
 * the statement is sent unchanged to every data node of the hypertable — where the hypertable has
 * the same schema and name — inside the session's distributed transaction; row counts are summed.
 * An UPDATE that would move a row to a chunk on another node fails on the node, as in TimescaleDB.
 */
final class RemoteModify {
    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;

    RemoteModify(AccessNode node, Session session, Dispatcher dispatcher) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /**
     * @return {@code UPDATE n}, {@code DELETE n} or {@code TRUNCATE TABLE}
     * @throws PgException 0A000 for parameters, for several tables in one statement, and for
     *                     UPDATE/DELETE on replicated hypertables (counts would include replicas)
     */
    QueryResult run(Hypertable ht, Classified.Write w, BoundParameters params) {
        if (params.any()) {
            throw PgException.notSupported("parameters in " + w.kind() + " on distributed hypertables are not supported yet",
                    "Use literal values.");
        }
        if (w.targets().size() > 1) {
            throw PgException.notSupported(w.kind() + " of a distributed hypertable together with other tables is not supported",
                    "Run one statement per table.");
        }
        if (w.kind() != Classified.WriteKind.TRUNCATE && ht.replicationFactor() > 1) {
            throw PgException.notSupported(w.kind() + " on replicated distributed hypertables is not supported yet", null);
        }
        long count = 0;
        for (String n : ht.dataNodes()) {
            RemoteTransaction t = session.txn().distributed(node.pools()).participant(dispatcher.catalog().dataNode(n));
            count += t.executeUpdate(w.sql());
        }
        return QueryResult.command(switch (w.kind()) {
            case UPDATE -> "UPDATE " + count;
            case DELETE -> "DELETE " + count;
            default -> "TRUNCATE TABLE";
        });
    }

    /** Drops the hypertable on every data node and, through the relay, on the access node with its catalog rows. */
    QueryResult dropTable(Hypertable ht, Classified.Write w) {
        if (w.targets().size() > 1) {
            throw PgException.notSupported("DROP TABLE of a distributed hypertable together with other tables is not supported",
                    "Drop the hypertable in a statement of its own.");
        }
        dispatcher.coordinator().ensureBackendBlock();
        if (session.backend().relayQuery(w.sql(), false)) throw new RelayedError();
        session.backend().run("DELETE FROM _timescaledb_catalog.hypertable WHERE id = " + ht.id());
        for (String n : ht.dataNodes()) {
            session.txn().distributed(node.pools()).participant(dispatcher.catalog().dataNode(n))
                    .execute("DROP TABLE IF EXISTS " + ht.qualifiedName() + " CASCADE");
        }
        session.txn().reloadCatalogAfterCommit = true;
        return null;
    }
}
