package io.timeshard.datanode.txn;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.model.DataNode;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.catalog.store.CatalogStore;
import io.timeshard.datanode.pool.DataNodePools;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One data node's part of a distributed transaction: a connection on which BEGIN has been sent.
 * Follows PostgreSQL's two-phase commit (PREPARE TRANSACTION / COMMIT PREPARED / ROLLBACK PREPARED).
 * Not thread-safe: one thread drives it at a time.
 */
public final class RemoteTransaction {
    /** Where the remote transaction stands. */
    public enum State { OPEN, PREPARED, COMMITTED, ROLLED_BACK, FAILED }

    private final DataNode node;
    private final Connection connection;
    private State state = State.OPEN;
    private boolean wrote;

    RemoteTransaction(DataNode node, Connection connection) {
        this.node = node;
        this.connection = connection;
    }

    /** @return the data node */
    public DataNode node() { return node; }

    /** @return the current state */
    public State state() { return state; }

    /** @return true once a statement or COPY ran in this transaction */
    public boolean wrote() { return wrote; }

    /**
     * Runs SQL (one or more statements) in the remote transaction.
     *
     * @throws PgException the data node's error, its message prefixed with {@code [node]: } as TimescaleDB does
     */
    public void execute(String sql) {
        wrote = true;
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            state = State.FAILED;
            throw remoteError(e);
        }
    }

    /**
     * Runs one statement and returns its row count (0 for statements without one).
     *
     * @throws PgException the data node's error, prefixed with {@code [node]: }
     */
    public long executeUpdate(String sql) {
        wrote = true;
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
            long n = st.getLargeUpdateCount();
            return Math.max(n, 0);
        } catch (SQLException e) {
            state = State.FAILED;
            throw remoteError(e);
        }
    }

    /**
     * Starts {@code COPY … FROM STDIN} in the remote transaction.
     *
     * @param copySql a complete COPY statement with quoted identifiers
     * @return pgjdbc's CopyIn; write rows, then call {@code endCopy()}
     */
    public CopyIn copyIn(String copySql) {
        wrote = true;
        try {
            return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        } catch (SQLException e) {
            state = State.FAILED;
            throw remoteError(e);
        }
    }

    /** Marks this transaction failed (a COPY on it failed). */
    public void markFailed() { state = State.FAILED; }

    void prepare(String gid) {
        execute("PREPARE TRANSACTION " + Identifiers.literal(gid));
        state = State.PREPARED;
    }

    void commitPrepared(String gid) {
        execute("COMMIT PREPARED " + Identifiers.literal(gid));
        state = State.COMMITTED;
    }

    /** Commits without two-phase commit (a transaction that touched one node only). */
    void commitOnePhase() {
        execute("COMMIT");
        state = State.COMMITTED;
    }

    /** Rolls back, whatever the state; never throws (the connection is discarded on failure). */
    void rollback(String gid) {
        try (Statement st = connection.createStatement()) {
            if (state == State.PREPARED) st.execute("ROLLBACK PREPARED " + Identifiers.literal(gid));
            else st.execute("ROLLBACK");
            state = State.ROLLED_BACK;
        } catch (SQLException e) {
            state = State.FAILED;
        }
    }

    void begin() {
        try (Statement st = connection.createStatement()) {
            st.execute("BEGIN");
        } catch (SQLException e) {
            state = State.FAILED;
            throw remoteError(e);
        }
    }

    /** Returns the connection to its pool, or evicts it when it may still hold a transaction. */
    void release(DataNodePools pools) {
        boolean clean = state == State.COMMITTED || state == State.ROLLED_BACK;
        if (!clean) {
            try (Statement st = connection.createStatement()) {
                st.execute("ROLLBACK");
                clean = true;
            } catch (SQLException ignored) {
                // evicted below
            }
        }
        pools.release(connection, !clean);
    }

    private PgException remoteError(SQLException e) {
        PgException pe = CatalogStore.translate(e);
        PgException out = new PgException(pe.sqlState(), "[" + node.name() + "]: " + pe.getMessage(), e)
                .detail(pe.detail()).hint(pe.hint());
        return out;
    }
}
