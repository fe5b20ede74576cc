package io.timeshard.accessnode.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code <dir>/cluster.lock}, held by the process that runs the cluster for as
 * long as it runs it, so that two starts on one folder cannot race. The operating system releases
 * it when the process dies, even by SIGKILL; servers that outlive their process are caught by their
 * {@code postmaster.pid} instead (see {@link PostmasterPid}). Not thread-safe; {@link #release()} is
 * idempotent.
 */
final class ClusterLock {

    private final FileChannel channel;

    private ClusterLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * @param folder an existing cluster folder
     * @throws ClusterException "a cluster is already running in DIR" if another process, or this
     *     one, holds the lock; or if the lock file cannot be opened
     */
    static ClusterLock acquire(Path folder) {
        Path file = folder.resolve("cluster.lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ClusterException("could not open " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new ClusterException("a cluster is already running in " + folder + " (" + file
                    + " is locked by the process running it); stop it first");
        }
        return new ClusterLock(channel);
    }

    /** Releases the lock; the file stays. */
    void release() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close(); // releases the lock
        } catch (IOException e) {
            // nothing to do: the lock goes with the process at the latest
        }
    }
}
