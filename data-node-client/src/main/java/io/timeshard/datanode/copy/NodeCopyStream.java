package io.timeshard.datanode.copy;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.store.CatalogStore;
import io.timeshard.datanode.txn.RemoteTransaction;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.postgresql.copy.CopyIn;

/**
 * A {@code COPY … FROM STDIN} stream into one data node, fed from the routing thread and written by a
 * virtual thread of its own, so that every data node ingests in parallel. Memory is bounded: at most
 * {@value #QUEUE_DEPTH} buffers wait per node. Write from one thread only.
 */
public final class NodeCopyStream {
    private static final int QUEUE_DEPTH = 16;
    private static final byte[] END = new byte[0];

    private final RemoteTransaction txn;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_DEPTH);
    private final Thread writer;
    private volatile RuntimeException failure;
    private volatile long rows;

    private NodeCopyStream(RemoteTransaction txn, CopyIn copyIn) {
        this.txn = txn;
        this.writer = Thread.ofVirtual().name("copy-" + txn.node().name()).start(() -> pump(copyIn));
    }

    /**
     * Starts COPY on the data node.
     *
     * @param txn     the node's remote transaction
     * @param copySql a complete {@code COPY … FROM STDIN …} statement, identifiers quoted
     * @throws PgException the data node's error
     */
    public static NodeCopyStream open(RemoteTransaction txn, String copySql) {
        return new NodeCopyStream(txn, txn.copyIn(copySql));
    }

    /**
     * Queues {@code data} (whole rows in the COPY format) for the node; blocks while the queue is full.
     *
     * @throws PgException the node's error, if its COPY already failed
     */
    public void write(byte[] data) {
        if (failure != null) throw failure;
        try {
            while (!queue.offer(data, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (failure != null) throw failure;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
        }
    }

    /**
     * Ends the COPY and waits for the node to accept it.
     *
     * @return the number of rows the node reports
     * @throws PgException the node's error (for a bad row: its message and the line within this node's stream)
     */
    public long finish() {
        write(END);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
        }
        if (failure != null) throw failure;
        return rows;
    }

    /** Abandons the COPY (the transaction is rolled back afterwards); never throws. */
    public void abort() {
        if (failure == null) failure = new PgException(SqlState.QUERY_CANCELED, "COPY aborted");
        queue.clear();
        queue.offer(END);
        writer.interrupt();
    }

    private void pump(CopyIn copyIn) {
        try {
            while (true) {
                byte[] b = queue.take();
                if (b == END) break;
                if (failure != null) continue;
                copyIn.writeToCopy(b, 0, b.length);
            }
            if (failure == null) {
                rows = copyIn.endCopy();
            } else if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        } catch (SQLException e) {
            txn.markFailed();
            PgException pe = CatalogStore.translate(e);
            failure = new PgException(pe.sqlState(), "[" + txn.node().name() + "]: " + pe.getMessage(), e)
                    .detail(pe.detail()).hint(pe.hint()).context(serverContext(e));
            cancelQuietly(copyIn);
        } catch (InterruptedException e) {
            cancelQuietly(copyIn);
        }
    }

    private static String serverContext(SQLException e) {
        if (e instanceof org.postgresql.util.PSQLException pe && pe.getServerErrorMessage() != null) {
            return pe.getServerErrorMessage().getWhere();
        }
        return null;
    }

    private static void cancelQuietly(CopyIn copyIn) {
        try {
            if (copyIn.isActive()) copyIn.cancelCopy();
        } catch (SQLException ignored) {
            // the transaction is rolled back anyway
        }
    }
}
