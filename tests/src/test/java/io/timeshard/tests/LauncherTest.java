package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built launcher {@code access-node/target/timeshard-cli.jar}, run as a user runs it ({@code java
 * -jar timeshard-cli.jar up|down …} in a process of its own): {@code up} starts a cluster in a folder on
 * the port contract (access node P, access node database P+1, data node i on P+1+i), prints a psql
 * command that works, refuses a second cluster in the same folder and ports already in use with a
 * clear message, and {@code down} stops every server. Port blocks are picked at random high numbers
 * and checked free first.
 */
class LauncherTest {
    static final long TIMEOUT_SECONDS = 180;
    static Path jar;
    static Path dir;
    static int port;
    static Launch up;
    static final List<Path> dirs = new ArrayList<>();

    /** What one launcher run printed and how it exited. */
    record Launch(int exitCode, String stdout, String stderr) {
        String all() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    @BeforeAll
    static void upACluster() throws IOException {
        jar = findJar();
        dir = newDir("up");
        port = freePortBlock(4);
        up = launch("up", "--dir", dir.toString(), "--port", Integer.toString(port), "--data-nodes", "2");
    }

    @AfterAll
    static void downEverythingAndDeleteTheFolders() throws IOException {
        for (Path d : dirs) {
            Launch down = launch("down", "--dir", d.toString());
            if (down.exitCode() != 0) continue; // keep the folder of a cluster that may still run, to look at
            try (var files = Files.walk(d)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** @return the launcher jar, found from the working directory ({@code tests/}) up to the repository root */
    static Path findJar() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("access-node/target/timeshard-cli.jar");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new AssertionError("access-node/target/timeshard-cli.jar not found above " + Path.of("").toAbsolutePath()
                + " (build with mvn install first)");
    }

    static Path newDir(String name) throws IOException {
        Path d = Files.createTempDirectory("timeshard-launcher-" + name + "-");
        dirs.add(d);
        return d;
    }

    static String java() {
        String home = System.getenv("JAVA_HOME");
        if (home == null || !Files.isExecutable(Path.of(home, "bin", "java"))) home = System.getProperty("java.home");
        return Path.of(home, "bin", "java").toString();
    }

    static Launch launch(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timeshard " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Launch(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<String> read(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** @return P such that P..P+n-1 are all free on 127.0.0.1, chosen at random in 20000..59999 */
    static int freePortBlock(int n) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 60000 - n);
            boolean free = true;
            for (int p = base; p < base + n && free; p++) free = isFree(p);
            if (free) return base;
        }
        throw new AssertionError("no block of " + n + " free ports");
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        } catch (IOException e) {
            return false;
        }
        return !listening(port); // nothing on another address of the machine either
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String queryDirect(int port, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    // ---- tests ----------------------------------------------------------------------------------

    @Test
    void upExitsZeroAndPrintsThePsqlCommand() {
        assertEquals(0, up.exitCode(), up.all());
        assertTrue(up.stdout().contains("psql -h 127.0.0.1 -p " + port + " -U postgres postgres"), up.all());
    }

    @Test
    void thePrintedPsqlCommandConnectsAndAnswers() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("psql (-h \\S+ -p \\d+ -U \\S+ \\S+)").matcher(up.stdout());
        assertTrue(m.find(), up.all());
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/psql", "-X", "-At", "-c", "SELECT 1"));
        cmd.addAll(List.of(m.group(1).split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("1\n", out);
    }

    @Test
    void accessNodeDatabaseListensOnTheNextPort() throws SQLException {
        assertEquals(Integer.toString(port + 1), queryDirect(port + 1, "SHOW port"));
    }

    @Test
    void dataNodesListenOnTheTwoPortsAfterThat() throws SQLException {
        assertEquals(Integer.toString(port + 2), queryDirect(port + 2, "SHOW port"));
        assertEquals(Integer.toString(port + 3), queryDirect(port + 3, "SHOW port"));
    }

    @Test
    void secondUpOnTheSameDirRefusesBecauseAClusterIsRunning() throws SQLException {
        Launch again = launch("up", "--dir", dir.toString(), "--port", Integer.toString(port), "--data-nodes", "2");
        assertNotEquals(0, again.exitCode(), again.all());
        assertTrue(again.stderr().contains("a cluster is already running in"), again.all());
        assertEquals("1", queryDirect(port, "SELECT 1"), "the running cluster still answers");
    }

    @Test
    void upWithTheAccessNodePortInUseRefusesClearly() throws IOException {
        int other = freePortBlock(4);
        Path otherDir = newDir("busy-an");
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), other));
            Launch r = launch("up", "--dir", otherDir.toString(), "--port", Integer.toString(other), "--data-nodes", "2");
            assertNotEquals(0, r.exitCode(), r.all());
            assertTrue(r.stderr().contains("port " + other + " is already in use"), r.all());
        }
        for (int p = other + 1; p < other + 4; p++) assertFalse(listening(p), "nothing was started on " + p);
    }

    @Test
    void upWithADataNodePortInUseRefusesClearlyAndStartsNothing() throws IOException {
        int other = freePortBlock(4);
        Path otherDir = newDir("busy-dn");
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), other + 2));
            Launch r = launch("up", "--dir", otherDir.toString(), "--port", Integer.toString(other), "--data-nodes", "2");
            assertNotEquals(0, r.exitCode(), r.all());
            assertTrue(r.stderr().contains("port " + (other + 2) + " is already in use (needed for data node dn1)"), r.all());
            for (int p : new int[] {other, other + 1, other + 3}) assertFalse(listening(p), "nothing is left on " + p);
        }
    }

    @Test
    void downStopsEveryServerAndClosesItsPorts() throws IOException {
        int other = freePortBlock(4);
        Path otherDir = newDir("down");
        Launch started = launch("up", "--dir", otherDir.toString(), "--port", Integer.toString(other), "--data-nodes", "2");
        assertEquals(0, started.exitCode(), started.all());
        for (int p = other; p < other + 4; p++) assertTrue(listening(p), "listening on " + p + " after up");
        Launch down = launch("down", "--dir", otherDir.toString());
        assertEquals(0, down.exitCode(), down.all());
        assertTrue(down.stdout().contains("Stopped the cluster in"), down.all());
        for (int p = other; p < other + 4; p++) assertFalse(listening(p), "port " + p + " closed after down");
    }
}
