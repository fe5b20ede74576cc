package io.timeshard.datanode.txn;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.DataNode;
import io.timeshard.datanode.pool.DataNodePools;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transaction spanning data nodes, committed with two-phase commit (DESIGN.md §6): every remote
 * transaction is prepared ({@code PREPARE TRANSACTION 'gid'}), then the caller's {@link CommitPoint}
 * records the gids and commits the access node's local transaction — the commit point — and only
 * then is {@code COMMIT PREPARED} sent. A crash in between leaves prepared transactions that
 * {@link InDoubtResolver} settles from the record. Reads get no global snapshot.
 *
 * <p>Global transaction ids have the form {@code ts-1-<access node xid>-<node name>}, so that the
 * resolver can ask the access node database for the fate of the transaction that prepared them.
 *
 * <p>Driven by one session thread; the per-node work inside commit runs in parallel.
 */
public final class DistributedTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedTransaction.class);

    /** The commit point, run after every participant is prepared. */
    @FunctionalInterface
    public interface CommitPoint {
        /**
         * Records the prepared gids (node name → gid) and commits the access node's local
         * transaction. Throwing aborts the distributed transaction.
         */
        void commit(Map<String, String> preparedGids);
    }

    private final DataNodePools pools;
    private final Map<String, RemoteTransaction> participants = new LinkedHashMap<>();

    /** @param pools where connections to data nodes come from */
    public DistributedTransaction(DataNodePools pools) {
        this.pools = pools;
    }

    /**
     * @return the open remote transaction on {@code node}, starting one (BEGIN) on first use
     * @throws PgException TS502 when the node cannot be reached
     */
    public RemoteTransaction participant(DataNode node) {
        RemoteTransaction t = participants.get(node.name());
        if (t == null) {
            t = new RemoteTransaction(node, pools.connect(node));
            participants.put(node.name(), t);
            t.begin();
        }
        return t;
    }

    /** @return the remote transactions started so far, in start order */
    public Collection<RemoteTransaction> participants() {
        return participants.values();
    }

    /** @return true when no data node has been touched */
    public boolean isEmpty() {
        return participants.isEmpty();
    }

    /**
     * Commits on every data node or on none.
     *
     * @param accessNodeXid the access node database's transaction id of the commit point transaction
     * @param commitPoint   records the gids and commits locally; always called, even with no participant
     * @throws PgException the first failure before the commit point; the transaction is then rolled
     *                     back everywhere. Failures after the commit point are logged and left to the
     *                     resolver: the transaction is committed.
     */
    public void commit(long accessNodeXid, CommitPoint commitPoint) {
        Map<String, String> gids = new LinkedHashMap<>();
        for (RemoteTransaction t : participants.values()) {
            gids.put(t.node().name(), "ts-1-" + accessNodeXid + "-" + t.node().name());
        }
        try {
            parallel(t -> t.prepare(gids.get(t.node().name())));
            commitPoint.commit(gids);
        } catch (RuntimeException e) {
            rollbackAll(gids);
            throw e;
        }
        try {
            parallel(t -> t.commitPrepared(gids.get(t.node().name())));
        } catch (RuntimeException e) {
            LOG.warn("COMMIT PREPARED failed after the commit point; the in-doubt resolver will finish it", e);
        }
        releaseAll();
    }

    /** Rolls back every remote transaction; never throws. */
    public void rollback() {
        rollbackAll(Map.of());
    }

    private void rollbackAll(Map<String, String> gids) {
        try {
            parallel(t -> t.rollback(gids.get(t.node().name())));
        } catch (RuntimeException e) {
            LOG.warn("rollback on a data node failed; the in-doubt resolver will finish it", e);
        }
        releaseAll();
    }

    private void releaseAll() {
        for (RemoteTransaction t : participants.values()) t.release(pools);
        participants.clear();
    }

    /** Runs {@code action} on every participant at once; rethrows the first failure after all finish. */
    private void parallel(Consumer<RemoteTransaction> action) {
        List<RemoteTransaction> list = new ArrayList<>(participants.values());
        if (list.size() == 1) {
            action.accept(list.getFirst());
            return;
        }
        RuntimeException first = null;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (RemoteTransaction t : list) futures.add(ex.submit(() -> action.accept(t)));
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException re ? re
                                : new PgException(SqlState.INTERNAL_ERROR, String.valueOf(e.getCause()), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
                }
            }
        }
        if (first != null) throw first;
    }
}
