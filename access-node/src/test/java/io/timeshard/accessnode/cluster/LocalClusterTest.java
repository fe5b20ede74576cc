package io.timeshard.accessnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts real PostgreSQL servers in a temporary folder on free ports; works as root and as a normal user. */
class LocalClusterTest {

    @TempDir
    Path dir;

    private final List<String> progress = new ArrayList<>();
    private final List<LocalCluster> toClose = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        toClose.forEach(LocalCluster::close);
        LocalCluster.stopOrphans(dir);
    }

    @Test
    void everyServerListensOnItsContractPortWithTheClusterSettings() throws SQLException {
        int base = freeBasePort(3);
        LocalCluster cluster = start(base, 2);

        assertEquals(new Endpoint("access-node-db", "127.0.0.1", base + 1, "postgres"), cluster.accessNodeDatabase());
        assertEquals(List.of(new Endpoint("dn1", "127.0.0.1", base + 2, "postgres"),
                new Endpoint("dn2", "127.0.0.1", base + 3, "postgres")), cluster.dataNodes());
        assertEquals(3, progress.size(), progress.toString());
        for (Endpoint server : allOf(cluster)) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"))) {
                assertEquals("150", query(c, "SELECT current_setting('max_prepared_transactions')"));
                assertEquals("200", query(c, "SELECT current_setting('max_connections')"));
                assertEquals("127.0.0.1", query(c, "SELECT current_setting('listen_addresses')"));
                assertEquals("0", query(c, "SELECT extract(timezone FROM now())::int")); // TimeZone shows as Etc/UTC
                assertEquals("C", query(c, "SELECT datcollate FROM pg_database WHERE datname = 'postgres'"));
                assertEquals("on", query(c, "SELECT current_setting('synchronous_commit')"));
                assertEquals("15", query(c, "SELECT current_setting('server_version_num')::int / 10000"));
                exec(c, "CREATE EXTENSION postgres_fdw");
                exec(c, "CREATE EXTENSION dblink");
            }
        }
        assertTrue(Files.isRegularFile(dir.resolve("dn2.log")));
    }

    @Test
    void dataSurvivesARestartOnTheSameFolder() throws SQLException {
        int base = freeBasePort(2);
        try (LocalCluster first = start(base, 1)) {
            try (Connection c = DriverManager.getConnection(first.dataNodes().getFirst().jdbcUrl("postgres"))) {
                exec(c, "CREATE TABLE kept (v text)");
                exec(c, "INSERT INTO kept VALUES ('still here')");
            }
        }
        assertFalse(LocalCluster.isRunning(dir));

        LocalCluster second = start(base, 1);
        assertTrue(LocalCluster.isRunning(dir));
        try (Connection c = DriverManager.getConnection(second.dataNodes().getFirst().jdbcUrl("postgres"))) {
            assertEquals("still here", query(c, "SELECT v FROM kept"));
        }
    }

    @Test
    void closeStopsEveryServerAndIsIdempotent() {
        LocalCluster cluster = start(freeBasePort(3), 2);
        cluster.close();
        assertFalse(LocalCluster.isRunning(dir));
        cluster.close();
    }

    @Test
    void aPortInUseIsNamedWithTheServerThatNeedsIt() throws IOException {
        int base = freeBasePort(3);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), base + 2));
            ClusterException e = assertThrows(ClusterException.class, () -> start(base, 2));
            assertEquals("port " + (base + 2) + " is already in use (needed for data node dn1)", e.getMessage());
        }
        assertFalse(LocalCluster.isRunning(dir));
    }

    @Test
    void aSecondStartOnARunningFolderIsRefused() {
        start(freeBasePort(2), 1);
        int otherBase = freeBasePort(2);
        ClusterException e = assertThrows(ClusterException.class, () -> start(otherBase, 1));
        assertTrue(e.getMessage().startsWith("a cluster is already running in " + dir.toAbsolutePath()), e.getMessage());
    }

    @Test
    void aFolderWithAServerLeftRunningByADeadProcessIsRefused() {
        int base = freeBasePort(2);
        EmbeddedServer.start(ServerSpec.dataNode(dir.toAbsolutePath(), base, 1)); // as if its JVM had been killed
        assertTrue(LocalCluster.isRunning(dir));
        ClusterException e = assertThrows(ClusterException.class, () -> start(base, 1));
        assertTrue(e.getMessage().startsWith("a cluster is already running in " + dir.toAbsolutePath()
                + " (data node dn1 has postmaster pid "), e.getMessage());
    }

    @Test
    void aServerThatFailsToStartReportsItsLogAndTheOthersAreStoppedAgain() throws IOException {
        Files.createDirectories(dir.resolve("dn1"));
        Files.writeString(dir.resolve("dn1/notes.txt"), "not a data directory"); // initdb refuses a non-empty folder
        ClusterException e = assertThrows(ClusterException.class, () -> start(freeBasePort(2), 1));
        assertTrue(e.getMessage().startsWith("data node dn1 failed to start"), e.getMessage());
        assertTrue(e.getMessage().contains("last lines of " + dir.toAbsolutePath().resolve("dn1.log")), e.getMessage());
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        assertFalse(LocalCluster.isRunning(dir));
        assertTrue(Files.exists(dir.resolve("dn1/notes.txt")), "the folder must not be wiped");
    }

    @Test
    void stopOrphansStopsServersStartedElsewhere() {
        LocalCluster cluster = start(freeBasePort(2), 1);
        LocalCluster.stopOrphans(dir); // pg_ctl stop, as `timeshard down` does when the serve process is gone
        assertFalse(LocalCluster.isRunning(dir));
        cluster.close(); // finds nothing left to stop
    }

    private LocalCluster start(int base, int dataNodes) {
        LocalCluster cluster = LocalCluster.start(dir, base, dataNodes, progress::add);
        toClose.add(cluster);
        return cluster;
    }

    private static List<Endpoint> allOf(LocalCluster cluster) {
        List<Endpoint> all = new ArrayList<>(cluster.dataNodes());
        all.addFirst(cluster.accessNodeDatabase());
        return all;
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A base port whose next {@code count} ports are free on 127.0.0.1 right now. */
    private static int freeBasePort(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 60000);
            if (allFree(base + 1, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range found");
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
