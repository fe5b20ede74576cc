package io.timeshard.tests;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.AccessNodeConfig;
import io.timeshard.accessnode.cluster.LocalCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One local cluster for the whole test JVM, started by the launcher's own {@link LocalCluster}
 * (real PostgreSQL 15 servers: the access node database and two data nodes) with the access node
 * server in this JVM, plus one plain PostgreSQL server as the oracle for differential tests.
 * Started on first use, stopped when the JVM exits. Each test class takes a database of its own
 * ({@link #newDatabase}) so that classes do not see each other's tables.
 */
public final class TestCluster {
    private static TestCluster instance;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    /** The access node's port. */
    public final int port;
    /** The single plain PostgreSQL server used as the oracle. */
    public final LocalCluster oracle;
    /** The cluster's servers. */
    public final LocalCluster servers;
    /** The access node server. */
    public final AccessNode accessNode;

    private TestCluster() throws IOException {
        int base = freeBlock(5);
        Path dir = Files.createTempDirectory("timeshard-test-");
        servers = LocalCluster.start(dir.resolve("cluster"), base, 2, s -> { });
        oracle = LocalCluster.start(dir.resolve("oracle"), freeBlock(3), 0, s -> { });
        accessNode = new AccessNode(new AccessNodeConfig("127.0.0.1", base, "127.0.0.1", base + 1, "postgres", null));
        accessNode.start();
        port = base;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            accessNode.close();
            servers.close();
            oracle.close();
            deleteRecursively(dir);
        }));
    }

    /** @return the shared cluster, starting it on first use */
    public static synchronized TestCluster get() {
        if (instance == null) {
            try {
                instance = new TestCluster();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    /**
     * Creates a database through the access node, installs the extension and adds both data nodes.
     *
     * @return its name
     */
    public String newDatabase(String prefix) throws SQLException {
        String db = prefix + "_" + DATABASES.incrementAndGet();
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION timescaledb");
            for (int i = 0; i < servers.dataNodes().size(); i++) {
                st.execute("SELECT add_data_node('dn" + (i + 1) + "', host => '127.0.0.1', port => "
                        + servers.dataNodes().get(i).port() + ")");
            }
        }
        return db;
    }

    /**
     * Creates a database ({@link #newDatabase}) holding the distributed hypertable
     * {@code conditions(time, device, location, temperature)}, partitioned by time and {@code device},
     * with 240 hourly rows from 2024-01-01 over 10 devices and 3 locations (on both data nodes).
     *
     * @return its name
     */
    public String newConditionsDatabase(String prefix) throws SQLException {
        String db = newDatabase(prefix);
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE conditions (time timestamptz NOT NULL, device integer, location text, temperature float)");
            st.execute("SELECT create_distributed_hypertable('conditions', 'time', 'device')");
            st.execute("INSERT INTO conditions SELECT '2024-01-01'::timestamptz + i * interval '1 hour', i % 10, "
                    + "'room-' || (i % 3), i % 37 FROM generate_series(0, 239) i");
        }
        return db;
    }

    /** @return a pgjdbc connection (default settings) to {@code database} through the access node */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", null);
    }

    /** @return a connection to the access node whose statements go as simple Query messages (pgjdbc's preferQueryMode=simple) */
    public Connection connectSimpleProtocol(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?preferQueryMode=simple", "postgres", null);
    }

    /** @return a direct connection to data node {@code i} (1-based) */
    public Connection dataNode(int i, String database) throws SQLException {
        return DriverManager.getConnection(servers.dataNodes().get(i - 1).jdbcUrl(database), "postgres", null);
    }

    /** @return a connection to the oracle (one plain PostgreSQL), creating {@code database} there if needed */
    public Connection oracle(String database) throws SQLException {
        var ep = oracle.accessNodeDatabase();
        try (Connection c = DriverManager.getConnection(ep.jdbcUrl("postgres"), "postgres", null); Statement st = c.createStatement()) {
            var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) st.execute("CREATE DATABASE " + database);
        }
        return DriverManager.getConnection(ep.jdbcUrl(database), "postgres", null);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    /** @return the first port of a block of {@code n} consecutive free ports */
    private static int freeBlock(int n) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0)) {
                base = s.getLocalPort();
            }
            if (base + n >= 65535) continue;
            boolean free = true;
            for (int p = base; p < base + n && free; p++) {
                try (ServerSocket s = new ServerSocket(p)) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) return base;
        }
        throw new IOException("no block of " + n + " free ports");
    }
}
