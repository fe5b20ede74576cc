package io.timeshard.accessnode.cli;

import io.timeshard.accessnode.cluster.LocalCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The background process that owns a local cluster: {@code up} starts it ({@code timeshard
 * run-cluster}, output in {@code DIR/timeshard.log}, pid in {@code DIR/timeshard.pid}) and returns
 * once the access node accepts connections; {@code down} signals it and waits for it to stop the
 * servers.
 */
final class LocalClusterProcess {
    private LocalClusterProcess() {}

    static Path pidFile(Path dir) {
        return dir.resolve("timeshard.pid");
    }

    /** @return the running process of the cluster in {@code dir}, if any */
    static Optional<ProcessHandle> running(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile(dir)).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the cluster in the background and waits until the access node answers.
     *
     * @throws IllegalStateException with the log's tail when it does not come up
     */
    static void start(Path dir, int port, int dataNodes) throws IOException, InterruptedException {
        if (running(dir).isPresent() || LocalCluster.isRunning(dir)) {
            throw new IllegalStateException("a cluster is already running in " + dir.toAbsolutePath()
                    + " (stop it with: ./timeshard down --dir " + dir + ")");
        }
        if (portInUse(port)) throw new IllegalStateException("port " + port + " is already in use (needed for the access node)");
        Files.createDirectories(dir);
        Path log = dir.resolve("timeshard.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ProcessHandle.current().info().arguments().map(a -> jvmArgs(a)).orElse(List.of()));
        cmd.add("run-cluster");
        cmd.add("--dir");
        cmd.add(dir.toString());
        cmd.add("--port");
        cmd.add(Integer.toString(port));
        cmd.add("--data-nodes");
        cmd.add(Integer.toString(dataNodes));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("the cluster did not start:\n" + tail(log));
            if (Files.exists(dir.resolve("ready")) && portInUse(port)) return;
            Thread.sleep(100);
        }
        p.destroy();
        throw new IllegalStateException("the cluster did not answer within 120 s:\n" + tail(log));
    }

    /** @return the JVM options and main class/jar of this process's command line (its arguments dropped) */
    private static List<String> jvmArgs(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            out.add(args[i]);
            if (args[i].equals("-jar") || args[i].equals("-cp") || args[i].equals("-classpath")) {
                out.add(args[++i]);
                if (!args[i - 1].equals("-jar")) out.add(args[++i]); // main class after a class path
                break;
            }
        }
        return out;
    }

    /** Signals the cluster process to stop and waits for it; stops servers left over by a dead process. */
    static boolean stop(Path dir) throws InterruptedException {
        Optional<ProcessHandle> p = running(dir);
        if (p.isPresent()) {
            p.get().destroy();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (p.get().isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
            if (p.get().isAlive()) p.get().destroyForcibly();
        }
        boolean orphans = LocalCluster.isRunning(dir);
        if (orphans) LocalCluster.stopOrphans(dir);
        try {
            Files.deleteIfExists(pidFile(dir));
            Files.deleteIfExists(dir.resolve("ready"));
        } catch (IOException ignored) {
            // nothing to clean
        }
        return p.isPresent() || orphans;
    }

    static boolean portInUse(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
