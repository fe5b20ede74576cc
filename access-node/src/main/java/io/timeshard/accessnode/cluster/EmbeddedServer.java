package io.timeshard.accessnode.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One PostgreSQL server of a local cluster, run by zonky's {@link EmbeddedPostgres}: {@code initdb}
 * (trust authentication, superuser "postgres", UTF-8, locale C) when its data directory has no
 * {@code postgresql.conf} yet, then {@code pg_ctl start -w}. Never wipes the data directory. All
 * output of initdb, pg_ctl and the server is appended to the spec's log file, none reaches the
 * console. zonky's own shutdown hook is not registered: {@link LocalCluster} registers one for the
 * whole cluster. Safe to {@link #stop()} from any thread.
 */
final class EmbeddedServer {

    /** How long zonky waits for a started server to accept connections (recovery included). */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
    /** How long a fast shutdown may take before {@link #stop()} reports it. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 15;
    private static final int LOG_TAIL_BYTES = 16 * 1024;

    private final ServerSpec spec;
    private final EmbeddedPostgres postgres;

    private EmbeddedServer(ServerSpec spec, EmbeddedPostgres postgres) {
        this.spec = spec;
        this.postgres = postgres;
    }

    /**
     * Starts the server and returns once it accepts connections, in about a second (a few more the
     * first time, for initdb).
     *
     * @throws ClusterException if initdb or the server fails or does not accept connections within
     *     30 s; the message ends with the tail of the log file
     */
    static EmbeddedServer start(ServerSpec spec) {
        try {
            Files.createDirectories(spec.dataDir().getParent());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(spec.dataDir())
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(spec.port())
                    .setLocaleConfig("locale", "C")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "") // TCP only: no socket files in /tmp to clash
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("max_prepared_transactions", "150")
                    .setServerConfig("timezone", "UTC")
                    .setServerConfig("log_timezone", "UTC")
                    .setServerConfig("synchronous_commit", "on") // zonky's default is off
                    // local SSD or page cache, not spinning disks: PostgreSQL's docs suggest lowering it; at the
                    // default 4 a chunk's time index beat its (hostname, time) index by cost and ran 15x slower
                    .setServerConfig("random_page_cost", "1.1")
                    .setOutputRedirector(Redirect.appendTo(spec.logFile().toFile()))
                    .setErrorRedirector(Redirect.appendTo(spec.logFile().toFile()))
                    .setPGStartupWait(STARTUP_WAIT)
                    .start();
            return new EmbeddedServer(spec, postgres);
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            // zonky may give up waiting while the postmaster is still coming up: do not leave it behind
            PostmasterPid.live(spec.dataDir()).ifPresent(pid -> PgCtl.stopFast(spec.dataDir()));
            throw new ClusterException(spec.description() + " failed to start on port " + spec.port()
                    + " from " + spec.dataDir() + ": " + e.getMessage() + logTail(spec.logFile()), e);
        }
    }

    /** @return what this server was started from */
    ServerSpec spec() {
        return spec;
    }

    /**
     * Fast shutdown ({@code pg_ctl stop -m fast}): disconnects clients, rolls back open transactions
     * (prepared ones survive), checkpoints. Idempotent; blocks until the postmaster is gone.
     *
     * @throws ClusterException if the postmaster still runs {@link #STOP_WAIT} later
     */
    void stop() {
        try {
            postgres.close(); // logs and swallows pg_ctl failures, so check the outcome below
        } catch (IOException e) {
            // only closing zonky's lock file can fail; the server is handled below
        }
        if (!PostmasterPid.awaitGone(spec.dataDir(), STOP_WAIT)) {
            throw new ClusterException(spec.description() + " (" + spec.dataDir() + ") did not stop within "
                    + STOP_WAIT.toSeconds() + " s" + logTail(spec.logFile()));
        }
    }

    /** @return "; last lines of FILE:" and those lines, or "" when the file is missing or empty */
    static String logTail(Path logFile) {
        try (SeekableByteChannel channel = Files.newByteChannel(logFile)) {
            long start = Math.max(0, channel.size() - LOG_TAIL_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - start));
            channel.position(start);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read the end of the file, at most LOG_TAIL_BYTES
            }
            List<String> lines = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)
                    .lines().toList();
            if (lines.isEmpty()) {
                return "";
            }
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return "; last lines of " + logFile + ":\n  " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "";
        }
    }
}
