package io.timeshard.accessnode.metadata;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.timeshard.accessnode.AccessNodeConfig;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.ChunkIndex;
import io.timeshard.catalog.model.DataNode;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.store.CatalogStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The access node's cached view of one database's catalog: its data nodes, hypertables and chunk
 * indexes, plus a small connection pool to that database for catalog work outside client sessions.
 *
 * <p>The cache is authoritative for this access node process because every catalog change goes
 * through it: chunk creations are published on commit ({@link #publish}), API functions call
 * {@link #reload()}. Thread-safe: readers see immutable snapshots.
 */
public final class DatabaseCatalog implements AutoCloseable {
    /** An immutable snapshot of the catalog. */
    public record Snapshot(Map<String, DataNode> dataNodes, Map<Integer, Hypertable> hypertables,
                           Map<Integer, ChunkIndex> chunks) {}

    private final String database;
    private volatile long databaseOid;
    private final HikariDataSource pool;
    private final CatalogStore store = new CatalogStore();
    private final Map<Integer, Semaphore> chunkCreationLocks = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;

    /**
     * Opens the pool (lazily connecting) for {@code database}.
     *
     * @param databaseOid the database's OID, or 0 when not known yet
     */
    public DatabaseCatalog(AccessNodeConfig config, String database, long databaseOid) {
        this.database = database;
        this.databaseOid = databaseOid;
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("catalog-" + database);
        cfg.setJdbcUrl(config.databaseUrl(database) + "?ApplicationName=timeshard-catalog");
        cfg.setUsername(config.superuser());
        if (config.superuserPassword() != null) cfg.setPassword(config.superuserPassword());
        cfg.setMaximumPoolSize(4);
        cfg.setMinimumIdle(0);
        cfg.setIdleTimeout(10_000);
        cfg.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(cfg);
    }

    /** @return the database name */
    public String database() {
        return database;
    }

    /** @return the OID of the database this catalog belongs to, 0 when not known yet */
    public long databaseOid() {
        return databaseOid;
    }

    /** Records the database's OID once a session has seen it. */
    public void setDatabaseOid(long oid) {
        this.databaseOid = oid;
    }

    /** @return the catalog store (stateless SQL) */
    public CatalogStore store() {
        return store;
    }

    /**
     * @return a pooled connection (autocommit) to this database; close it to return it
     * @throws PgException 08006 when the access node database cannot be reached
     */
    public Connection connection() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw CatalogStore.translate(e);
        }
    }

    /** @return the current snapshot, loading it on first use; empty when the extension is not installed */
    public Snapshot snapshot() {
        Snapshot s = snapshot;
        return s != null ? s : reload();
    }

    /** Reloads everything from the database and returns the new snapshot. */
    public synchronized Snapshot reload() {
        try (Connection c = connection()) {
            if (!store.isInstalled(c)) {
                snapshot = new Snapshot(Map.of(), Map.of(), Map.of());
                return snapshot;
            }
            Map<String, DataNode> nodes = new HashMap<>();
            for (DataNode n : store.dataNodes(c)) nodes.put(n.name(), n);
            Map<Integer, Hypertable> hts = new HashMap<>();
            Map<Integer, ChunkIndex> chunks = new HashMap<>();
            for (Hypertable h : store.hypertables(c)) {
                hts.put(h.id(), h);
                chunks.put(h.id(), ChunkIndex.of(store.chunks(c, h)));
            }
            snapshot = new Snapshot(Map.copyOf(nodes), Map.copyOf(hts), Map.copyOf(chunks));
            return snapshot;
        } catch (SQLException e) {
            throw CatalogStore.translate(e);
        }
    }

    /** Adds committed chunks to the cache. */
    public synchronized void publish(List<Chunk> created) {
        if (created.isEmpty()) return;
        Snapshot s = snapshot();
        Map<Integer, ChunkIndex> chunks = new HashMap<>(s.chunks());
        for (Chunk c : created) {
            chunks.put(c.hypertableId(), chunks.getOrDefault(c.hypertableId(), ChunkIndex.of(List.of())).with(c));
        }
        snapshot = new Snapshot(s.dataNodes(), s.hypertables(), Map.copyOf(chunks));
    }

    /** @return the hypertable {@code schema.table} if it is one */
    public Optional<Hypertable> hypertable(String schema, String table) {
        for (Hypertable h : snapshot().hypertables().values()) {
            if (h.schemaName().equals(schema) && h.tableName().equals(table)) return Optional.of(h);
        }
        return Optional.empty();
    }

    /** @return true when some hypertable has this table name (in any schema) */
    public boolean isHypertableName(String table) {
        for (Hypertable h : snapshot().hypertables().values()) {
            if (h.tableName().equals(table)) return true;
        }
        return false;
    }

    /**
     * @return the data node named {@code name}
     * @throws PgException 42704 when there is none
     */
    public DataNode dataNode(String name) {
        DataNode n = snapshot().dataNodes().get(name);
        if (n == null) throw new PgException(SqlState.UNDEFINED_OBJECT, "server \"" + name + "\" does not exist");
        return n;
    }

    /**
     * The lock serializing chunk creation for one hypertable across sessions of this access node; a
     * transaction that creates chunks holds it until it ends, so that two sessions never create the
     * same chunk.
     */
    public Semaphore chunkCreationLock(int hypertableId) {
        return chunkCreationLocks.computeIfAbsent(hypertableId, k -> new Semaphore(1));
    }

    @Override
    public void close() {
        pool.close();
    }
}
