package io.timeshard.accessnode.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads a data directory's {@code postmaster.pid} (PostgreSQL's {@code miscadmin.h}: the first line
 * is the postmaster's pid) to tell whether a server is running from that directory. A pid file left
 * behind by a crash is stale when its pid is gone or now belongs to a program that is not
 * {@code postgres}. Stateless and thread-safe.
 */
final class PostmasterPid {

    private PostmasterPid() {
    }

    /**
     * @param dataDir a PostgreSQL data directory, which need not exist
     * @return the pid of the live postmaster of {@code dataDir}, or empty when none runs (no pid
     *     file, an unreadable or partly written one, or a stale one)
     */
    static OptionalLong live(Path dataDir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
        } catch (IOException e) { // none, unreadable, or removed while reading
            return OptionalLong.empty();
        }
        if (lines.isEmpty()) {
            return OptionalLong.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().trim());
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
        boolean alive = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(true))
                .isPresent();
        return alive ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    /**
     * Waits until no live postmaster runs from {@code dataDir}, polling every 50 ms.
     *
     * @return true if none runs within {@code timeout}, false if one still does
     */
    static boolean awaitGone(Path dataDir, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (live(dataDir).isPresent()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return live(dataDir).isEmpty();
            }
        }
        return true;
    }
}
