package io.timeshard.datanode.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.DataNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HikariCP pool per data node (keyed by host, port and database), shared by every session of
 * the access node. Connections are handed out in autocommit mode with the session time zone set to
 * UTC; the transaction layer sends BEGIN/PREPARE TRANSACTION itself. Thread-safe.
 */
public final class DataNodePools implements AutoCloseable {
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final String user;
    private final String password;
    private final int maxPoolSize;

    /**
     * @param user        role used on every data node, never null
     * @param password    its password, or null for trust authentication
     * @param maxPoolSize connections per data node
     */
    public DataNodePools(String user, String password, int maxPoolSize) {
        this.user = user;
        this.password = password;
        this.maxPoolSize = maxPoolSize;
    }

    /**
     * Borrows a connection to {@code node}; close it to return it.
     *
     * @throws PgException TS502 when the data node cannot be reached, with the driver's reason as DETAIL
     */
    public Connection connect(DataNode node) {
        HikariDataSource ds = pools.computeIfAbsent(node.host() + ":" + node.port() + "/" + node.database(), k -> create(node));
        try {
            return ds.getConnection();
        } catch (SQLException e) {
            throw new PgException(SqlState.TS_CONNECTION_FAILURE, "could not connect to \"" + node.name() + "\"", e)
                    .detail(rootMessage(e));
        }
    }

    private HikariDataSource create(DataNode node) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("data-node-" + node.name());
        // text results: the read path passes values on exactly as the node printed them; but bytea (OID 17) in
        // binary, from a kept statement's second run: the read path's binary record values (record_send) come as
        // their bytes, not twice as many hex digits (getString of a binary bytea is not its text: read getBytes)
        cfg.setJdbcUrl(node.jdbcUrl() + "?ApplicationName=timeshard&binaryTransfer=false&binaryTransferEnable=17&options=-c%20TimeZone%3DUTC");
        cfg.setUsername(user);
        if (password != null) cfg.setPassword(password);
        cfg.setMaximumPoolSize(maxPoolSize);
        cfg.setMinimumIdle(0);
        cfg.setAutoCommit(true);
        cfg.setConnectionTimeout(5_000);
        cfg.setInitializationFailTimeout(-1);
        return new HikariDataSource(cfg);
    }

    /** Closes and forgets the pool of a data node (after delete_data_node or a database drop). */
    public void evict(DataNode node) {
        HikariDataSource ds = pools.remove(node.host() + ":" + node.port() + "/" + node.database());
        if (ds != null) ds.close();
    }

    /**
     * Returns a borrowed connection; a broken one (or one that may still be inside a transaction) is
     * evicted from its pool instead of being reused.
     */
    public void release(Connection connection, boolean broken) {
        try {
            if (broken) {
                for (HikariDataSource ds : pools.values()) {
                    try {
                        ds.evictConnection(connection);
                    } catch (RuntimeException ignored) {
                        // not this pool's connection
                    }
                }
            }
            connection.close();
        } catch (SQLException ignored) {
            // a connection that fails to close is gone already
        }
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }
}
