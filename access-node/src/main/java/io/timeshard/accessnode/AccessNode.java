package io.timeshard.accessnode;

import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.accessnode.session.SessionHandler;
import io.timeshard.accessnode.session.SessionRegistry;
import io.timeshard.accessnode.wire.PgServer;
import io.timeshard.catalog.model.DataNode;
import io.timeshard.catalog.store.CatalogStore;
import io.timeshard.datanode.pool.DataNodePools;
import io.timeshard.datanode.txn.InDoubtResolver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access node: the wire protocol server, the sessions, the per-database catalogs, the data node
 * pools, and a background healer that settles in-doubt two-phase commit transactions on every data
 * node (at start and every {@value #HEAL_INTERVAL_SECONDS} s) — TimescaleDB left that to a manual
 * {@code remote_txn_heal_data_node} call. Thread-safe.
 */
public final class AccessNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessNode.class);
    private static final int HEAL_INTERVAL_SECONDS = 30;

    private final AccessNodeConfig config;
    private final DataNodePools pools;
    private final SessionRegistry sessions;
    private final Map<String, DatabaseCatalog> catalogs = new ConcurrentHashMap<>();
    private PgServer server;
    private Thread healer;

    /** @param config where to listen and where the access node database runs */
    public AccessNode(AccessNodeConfig config) {
        this.config = config;
        this.pools = new DataNodePools(config.superuser(), config.superuserPassword(), 16);
        this.sessions = new SessionRegistry(config);
    }

    /**
     * Starts listening.
     *
     * @throws java.io.UncheckedIOException when the port is in use
     */
    public void start() {
        server = new PgServer(config.listenHost(), config.port(), () -> new SessionHandler(this));
        server.start();
        healer = Thread.ofVirtual().name("in-doubt-healer").start(this::healLoop);
        Thread.ofVirtual().name("planner-warm-up").start(AccessNode::warmUpPlanner);
        LOG.info("access node listening on {}:{}", config.listenHost(), server.port());
    }

    /** @return the port the server listens on */
    public int port() {
        return server.port();
    }

    /** @return the configuration */
    public AccessNodeConfig config() { return config; }

    /** @return the data node connection pools */
    public DataNodePools pools() { return pools; }

    /** @return the live sessions */
    public SessionRegistry sessions() { return sessions; }

    private final java.util.concurrent.atomic.AtomicLong schemaEpoch = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @return a counter that changes whenever any session ran a statement that may create, drop or rename
     *         relations or change a search_path: sessions cache how they resolve unqualified hypertable
     *         names until it changes
     */
    public long schemaEpoch() { return schemaEpoch.get(); }

    /** Notes that relations or a search_path may have changed (see {@link #schemaEpoch}). */
    public void schemaMayHaveChanged() { schemaEpoch.incrementAndGet(); }

    /** @return the catalog of {@code database} (created on first use) */
    public DatabaseCatalog catalog(String database) {
        return catalogs.computeIfAbsent(database, db -> new DatabaseCatalog(config, db, 0));
    }

    /**
     * @param databaseOid the database's {@code pg_database.oid}, as the client's session sees it
     * @return the catalog of {@code database}, replaced if it was cached for another database that
     *         had the same name (dropped and created again behind the access node's back)
     */
    public DatabaseCatalog catalog(String database, long databaseOid) {
        return catalogs.compute(database, (db, old) -> {
            if (old != null && (old.databaseOid() == databaseOid || old.databaseOid() == 0)) {
                old.setDatabaseOid(databaseOid);
                return old;
            }
            if (old != null) old.close();
            return new DatabaseCatalog(config, db, databaseOid);
        });
    }

    /** Closes and forgets the catalog of a database about to be dropped or renamed (its pool would hold it open). */
    public void forgetDatabase(String database) {
        DatabaseCatalog old = catalogs.remove(database);
        if (old != null) old.close();
    }

    /**
     * Plans a few statements over a made-up hypertable, so that Calcite's one-time start-up (about a
     * second: class loading, code generation) is not paid by the first client query.
     */
    private static void warmUpPlanner() {
        try {
            var time = new io.timeshard.catalog.model.Dimension(1, "time", "timestamp with time zone", true, 0, 604_800_000_000L);
            var space = new io.timeshard.catalog.model.Dimension(2, "device", "integer", false, 2, 0);
            var columns = List.of(new io.timeshard.catalog.model.Column("time", "timestamp with time zone", 1184, true, null),
                    new io.timeshard.catalog.model.Column("device", "integer", 23, false, null),
                    new io.timeshard.catalog.model.Column("value", "double precision", 701, false, null));
            var ht = new io.timeshard.catalog.model.Hypertable(0, "public", "warm_up", 1, time, space, List.of("a", "b"), List.of(), columns);
            var planner = new io.timeshard.planner.plan.DistributedPlanner();
            var context = new io.timeshard.planner.plan.PlanContext(List.of("a", "b"), true);
            for (String sql : List.of("SELECT device, max(value) FROM warm_up GROUP BY device",
                    "SELECT time_bucket('1 hour', time) AS h, avg(value) FROM warm_up WHERE time >= '2020-01-01' GROUP BY h ORDER BY h LIMIT 5",
                    "SELECT count(*) FROM warm_up", "SELECT * FROM warm_up WHERE device IN (1, 2) ORDER BY time DESC LIMIT 5")) {
                planner.plan(sql, ht, context);
            }
        } catch (RuntimeException e) {
            LOG.debug("planner warm-up failed", e);
        }
    }

    private void healLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                healAll();
                Thread.sleep(HEAL_INTERVAL_SECONDS * 1000L);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debug("in-doubt healing pass failed; will retry", e);
            }
        }
    }

    /** Settles in-doubt remote transactions of every database that has the catalog installed. */
    public void healAll() {
        List<String> databases;
        Properties p = new Properties();
        p.setProperty("user", config.superuser());
        if (config.superuserPassword() != null) p.setProperty("password", config.superuserPassword());
        try (Connection c = DriverManager.getConnection(config.databaseUrl("postgres"), p)) {
            databases = CatalogStore.queryList(c, "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate");
        } catch (SQLException e) {
            throw CatalogStore.translate(e);
        }
        InDoubtResolver resolver = new InDoubtResolver(pools);
        CatalogStore store = new CatalogStore();
        for (String db : databases) {
            // one-off connections: a pooled one would keep every database open (DROP DATABASE would wait)
            try (Connection an = DriverManager.getConnection(config.databaseUrl(db), p)) {
                if (!store.isInstalled(an)) continue;
                for (DataNode dn : store.dataNodes(an)) {
                    try {
                        resolver.heal(dn, an);
                    } catch (RuntimeException e) {
                        LOG.debug("cannot heal data node {} of {} now", dn.name(), db, e);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("cannot heal database {} now", db, e);
            }
        }
    }

    @Override
    public void close() {
        if (healer != null) healer.interrupt();
        if (server != null) server.close();
        catalogs.values().forEach(DatabaseCatalog::close);
        pools.close();
    }
}
