package io.timeshard.accessnode.session;

import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.datanode.pool.DataNodePools;
import io.timeshard.datanode.txn.DistributedTransaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The session's view of its transaction: whether the client is inside an explicit block, whether
 * it failed because of one of our statements, whether the access node opened a block on the backend
 * itself (to make a write atomic), and the distributed part (data node transactions, chunks created
 * in this transaction whose catalog rows are written at the commit point, and the chunk creation
 * locks held until the end). Mutable; owned by the session thread.
 */
public final class TransactionState {
    /** True while the client is inside BEGIN … COMMIT/ROLLBACK. */
    public boolean inBlock;
    /** True when one of our statements failed inside the client's block (commands ignored until its end). */
    public boolean failed;
    /** True when the access node sent BEGIN to the backend for an implicit transaction. */
    public boolean backendOpenedByUs;
    /** True when the transaction changed hypertables themselves (e.g. DROP TABLE): reload the catalog after commit. */
    public boolean reloadCatalogAfterCommit;

    private DistributedTransaction distributed;
    private final List<PendingChunk> pendingChunks = new ArrayList<>();
    private final Set<Semaphore> locks = new HashSet<>();
    private final Set<Integer> createdOnNodes = new HashSet<>();
    private final Set<String> settingsApplied = new HashSet<>();

    /**
     * A chunk created in this transaction: the chunk, the SQL that records it in the access node
     * database (catalog rows and its foreign table), and whether its time slice is new.
     */
    public record PendingChunk(Chunk chunk, String accessNodeSql) {}

    /** @return the distributed transaction, created on first use */
    public DistributedTransaction distributed(DataNodePools pools) {
        if (distributed == null) distributed = new DistributedTransaction(pools);
        return distributed;
    }

    /** @return true when data nodes were touched or chunks created */
    public boolean hasDistributedWork() {
        return (distributed != null && !distributed.isEmpty()) || !pendingChunks.isEmpty();
    }

    /** @return the distributed transaction, or null if none was started */
    public DistributedTransaction distributedOrNull() {
        return distributed;
    }

    /** @return chunks created in this transaction, oldest first */
    public List<PendingChunk> pendingChunks() {
        return pendingChunks;
    }

    /** Takes (once per transaction) the chunk creation lock of a hypertable, waiting for other sessions. */
    public void lockChunkCreation(DatabaseCatalog catalog, int hypertableId) throws InterruptedException {
        Semaphore s = catalog.chunkCreationLock(hypertableId);
        if (locks.contains(s)) return;
        s.acquire();
        locks.add(s);
    }

    /** @return ids of chunks whose tables were already created on their data nodes in this transaction */
    public Set<Integer> createdOnNodes() {
        return createdOnNodes;
    }

    /** @return data nodes whose remote transaction already got the session's settings (time zone…) */
    public Set<String> settingsApplied() {
        return settingsApplied;
    }

    /** Forgets the distributed part and releases the locks (after commit or rollback). */
    public void endDistributed() {
        distributed = null;
        pendingChunks.clear();
        createdOnNodes.clear();
        settingsApplied.clear();
        locks.forEach(Semaphore::release);
        locks.clear();
    }
}
