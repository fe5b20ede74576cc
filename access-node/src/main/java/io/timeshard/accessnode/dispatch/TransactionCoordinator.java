package io.timeshard.accessnode.dispatch;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.session.QueryResult;
import io.timeshard.accessnode.session.Session;
import io.timeshard.accessnode.session.TransactionState;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.datanode.txn.DistributedTransaction;
import io.timeshard.planner.parse.TransactionStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ends transactions that wrote to data nodes, with two-phase commit (DESIGN.md §6). The commit
 * point is the COMMIT of the client's own transaction on the access node database, in which the
 * gids ({@code _timescaledb_catalog.remote_txn}) and the catalog rows of chunks created by the
 * transaction are written; data node transactions are prepared before it and committed after it.
 * One per session; not thread-safe.
 */
public final class TransactionCoordinator {
    private final AccessNode node;
    private final Session session;

    TransactionCoordinator(AccessNode node, Session session) {
        this.node = node;
        this.session = session;
    }

    private TransactionState txn() {
        return session.txn();
    }

    /**
     * Makes sure the client's backend session is inside a transaction block, opening one for an
     * implicit transaction, so that what the access node does there commits atomically with the
     * data nodes.
     */
    public void ensureBackendBlock() {
        if (!txn().inBlock && !txn().backendOpenedByUs) {
            session.backend().run("BEGIN");
            txn().backendOpenedByUs = true;
        }
    }

    /**
     * Like {@link #ensureBackendBlock} for callers that send SQL right after: returns {@code "BEGIN; "}
     * (and records that the access node opened the block) when one is needed, else an empty string.
     */
    public String beginBackendBlockSql() {
        if (txn().inBlock || txn().backendOpenedByUs) return "";
        txn().backendOpenedByUs = true;
        return "BEGIN; ";
    }

    /** Runs a transaction control statement while data nodes take part (or after a failure of ours). */
    QueryResult control(TransactionStatement t, String sql) {
        TransactionState s = txn();
        switch (t.kind()) {
            case BEGIN -> {
                session.backend().relayQuery(sql, false);
                s.inBlock = true;
                s.backendOpenedByUs = false;
                return null;
            }
            case COMMIT -> {
                if (t.chain()) throw PgException.notSupported("COMMIT AND CHAIN is not supported with distributed hypertables", null);
                if (s.failed || session.backend().status() == 'E') {
                    rollbackAll();
                    s.inBlock = false;
                    s.failed = false;
                    return QueryResult.command("ROLLBACK");
                }
                commit();
                s.inBlock = false;
                return QueryResult.command("COMMIT");
            }
            case ROLLBACK -> {
                if (t.chain()) throw PgException.notSupported("ROLLBACK AND CHAIN is not supported with distributed hypertables", null);
                rollbackAll();
                s.inBlock = false;
                s.failed = false;
                return QueryResult.command("ROLLBACK");
            }
            default -> {
                if (s.failed && t.kind() == TransactionStatement.Kind.ROLLBACK_TO) {
                    throw PgException.notSupported("ROLLBACK TO SAVEPOINT after an error on a distributed hypertable is not supported",
                            "Roll back the whole transaction.");
                }
                if (s.hasDistributedWork()) {
                    throw PgException.notSupported(t.kind().name().replace('_', ' ')
                                    + " is not supported in a transaction that wrote to distributed hypertables",
                            "Commit or roll back the transaction first.");
                }
                session.backend().relayQuery(sql, false);
                return null;
            }
        }
    }

    /** End of an implicit transaction that succeeded. */
    void commitImplicit() {
        if (txn().hasDistributedWork()) {
            commit();
        } else if (txn().backendOpenedByUs) {
            txn().backendOpenedByUs = false;
            session.backend().run("COMMIT");
        }
    }

    /** End of an implicit transaction that failed. */
    void rollbackImplicit() {
        rollbackAll();
    }

    /** Rolls back everything when the session ends; never throws. */
    void abandon() {
        try {
            DistributedTransaction d = txn().distributedOrNull();
            if (d != null) d.rollback();
        } finally {
            txn().endDistributed();
        }
    }

    private void rollbackAll() {
        DistributedTransaction d = txn().distributedOrNull();
        try {
            if (d != null) d.rollback();
        } finally {
            txn().endDistributed();
            if (txn().inBlock || txn().backendOpenedByUs || session.backend().status() != 'I') {
                session.backend().run("ROLLBACK");
            }
            txn().backendOpenedByUs = false;
        }
    }

    /** Two-phase commit with the client's backend transaction as the commit point. */
    private void commit() {
        TransactionState s = txn();
        ensureBackendBlock();
        List<Chunk> created = new ArrayList<>();
        StringBuilder local = new StringBuilder();
        for (TransactionState.PendingChunk p : s.pendingChunks()) {
            created.add(p.chunk());
            local.append(p.accessNodeSql()).append(";\n");
        }
        try {
            long xid = Long.parseLong(session.backend().runForValue("SELECT pg_catalog.txid_current()"));
            DistributedTransaction d = s.distributedOrNull();
            DistributedTransaction.CommitPoint point = gids -> commitPoint(local, gids);
            if (d == null) point.commit(Map.of());
            else d.commit(xid, point);
        } catch (RuntimeException e) {
            s.endDistributed();
            if (session.backend().status() != 'I') session.backend().run("ROLLBACK");
            s.backendOpenedByUs = false;
            throw e;
        }
        s.backendOpenedByUs = false;
        s.endDistributed();
        node.catalog(session.database()).publish(created);
        if (s.reloadCatalogAfterCommit) {
            s.reloadCatalogAfterCommit = false;
            node.catalog(session.database()).reload();
        }
    }

    private void commitPoint(StringBuilder local, Map<String, String> gids) {
        StringBuilder sql = new StringBuilder(local);
        for (Map.Entry<String, String> g : gids.entrySet()) {
            sql.append(io.timeshard.catalog.store.CatalogStore.remoteTxnRecordSql(g.getKey(), g.getValue())).append(";\n");
        }
        sql.append("COMMIT");
        session.backend().run(sql.toString());
    }
}
