package io.timeshard.accessnode.cluster;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code pg_ctl -D <dataDir> stop -m fast -w} for a server whose starting JVM is gone.
 *
 * <p>Which pg_ctl: the one next to the running postmaster's executable ({@code /proc/<pid>/exe}), so
 * the binaries that run the server also stop it. Those are zonky's, extracted to
 * {@code ${java.io.tmpdir}/embedded-pg/PG-<md5 of the binaries archive>/bin} (or under the
 * {@code ot.epg.working-dir} system property). If that file is gone (a temp cleaner), the single
 * {@code PG-*} folder of that working directory is used instead.
 *
 * <p>As whom: PostgreSQL refuses to run as root. As root zonky runs initdb, pg_ctl and postgres
 * under {@code unshare -U} (a new user namespace without mappings, where the process appears as
 * uid 65534 "nobody" while the kernel still checks files and signals against root), whenever
 * {@link LinuxUtils#isUnshareAvailable()} says so; this class does the same, so the data directory
 * owner and the pid file owner match and the stop signal is allowed. As a normal user pg_ctl runs
 * directly. Stateless and thread-safe.
 */
final class PgCtl {

    private static final long TIMEOUT_SECONDS = 60;

    private PgCtl() {
    }

    /**
     * Fast shutdown of the postmaster running from {@code dataDir}; returns at once if none runs.
     * Blocks until it is gone, at most about a minute.
     *
     * @throws ClusterException if pg_ctl cannot be found or run, or fails (its output is in the
     *     message)
     */
    static void stopFast(Path dataDir) {
        OptionalLong pid = PostmasterPid.live(dataDir);
        if (pid.isEmpty()) {
            return;
        }
        Path pgCtl = find(pid.getAsLong());
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl.toString(), "-D", dataDir.toString(), "stop", "-m", "fast", "-w",
                "-t", Long.toString(TIMEOUT_SECONDS)));
        String output;
        int exit;
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ClusterException("pg_ctl stop for " + dataDir + " did not finish: " + output);
            }
            exit = process.exitValue();
        } catch (IOException e) {
            throw new ClusterException("could not run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while stopping the server in " + dataDir, e);
        }
        if (exit != 0 && PostmasterPid.live(dataDir).isPresent()) {
            throw new ClusterException("could not stop the server in " + dataDir + " (postmaster pid "
                    + pid.getAsLong() + "): " + output);
        }
    }

    private static Path find(long pid) {
        try {
            Path pgCtl = Path.of("/proc", Long.toString(pid), "exe").toRealPath().resolveSibling("pg_ctl");
            if (Files.isExecutable(pgCtl)) {
                return pgCtl;
            }
        } catch (IOException e) {
            // not readable or binaries deleted: fall back to zonky's working directory
        }
        Path workingDir = Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(workingDir, "PG-*")) {
            for (Path dir : dirs) {
                if (Files.isExecutable(dir.resolve("bin/pg_ctl"))) {
                    candidates.add(dir.resolve("bin/pg_ctl"));
                }
            }
        } catch (IOException e) {
            // reported below
        }
        if (candidates.size() != 1) {
            throw new ClusterException("could not find the pg_ctl of postmaster pid " + pid + " (found "
                    + candidates + " in " + workingDir + "); stop it with: kill -INT " + pid);
        }
        return candidates.getFirst();
    }
}
