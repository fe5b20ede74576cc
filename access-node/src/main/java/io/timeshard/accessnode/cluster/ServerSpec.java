package io.timeshard.accessnode.cluster;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One server of a local cluster as laid out in the cluster folder: its name, its port, its data
 * directory {@code <dir>/<name>} and its log file {@code <dir>/<name>.log}. Immutable.
 *
 * @param name        "access-node-db" or "dn1", "dn2"…
 * @param description how messages name it: "the access node database" or "data node dn1"
 * @param port        the TCP port it listens on at 127.0.0.1
 * @param dataDir     its PostgreSQL data directory
 * @param logFile     where initdb, pg_ctl and the server write their output (next to, not in, the
 *                    data directory, because initdb needs an empty directory)
 */
record ServerSpec(String name, String description, int port, Path dataDir, Path logFile) {

    static final String ACCESS_NODE_DB = "access-node-db";

    ServerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(logFile, "logFile");
    }

    /** The access node database of the cluster in {@code dir}, on {@code basePort + 1}. */
    static ServerSpec accessNodeDatabase(Path dir, int basePort) {
        return of(dir, ACCESS_NODE_DB, "the access node database", basePort + 1);
    }

    /** Data node {@code i} (1-based) of the cluster in {@code dir}, on {@code basePort + 1 + i}. */
    static ServerSpec dataNode(Path dir, int basePort, int i) {
        String name = "dn" + i;
        return of(dir, name, "data node " + name, basePort + 1 + i);
    }

    /** @return true if {@code fileName} is the name of a server's data directory in a cluster folder */
    static boolean isServerDirectoryName(String fileName) {
        return fileName.equals(ACCESS_NODE_DB) || fileName.matches("dn[1-9][0-9]*");
    }

    /** @return the endpoint clients use to reach this server */
    Endpoint endpoint() {
        return new Endpoint(name, "127.0.0.1", port, "postgres");
    }

    private static ServerSpec of(Path dir, String name, String description, int port) {
        return new ServerSpec(name, description, port, dir.resolve(name), dir.resolve(name + ".log"));
    }
}
