package io.timeshard.accessnode.cluster;

/**
 * A local cluster could not be started, stopped or inspected. The message is written for the
 * person running {@code timeshard up}/{@code down}: it starts lower-case, names the server, port or
 * folder involved and, for a server that failed to start, ends with the last lines of that
 * server's log file.
 *
 * <p>Unchecked: callers usually print the message and exit.
 */
public class ClusterException extends RuntimeException {

    /** @param message what went wrong and what the user can do; never null */
    public ClusterException(String message) {
        super(message);
    }

    /** As {@link #ClusterException(String)} keeping {@code cause} for the log. */
    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
