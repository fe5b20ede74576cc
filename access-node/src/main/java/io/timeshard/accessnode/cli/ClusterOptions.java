package io.timeshard.accessnode.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that manage a local cluster. Port contract: the access node on
 * {@code --port} P, the access node database on P+1, data node i on P+1+i.
 */
final class ClusterOptions {
    @Option(names = "--dir", description = "Folder of the local cluster (default: ${DEFAULT-VALUE}).", defaultValue = ".cluster")
    Path dir;

    @Option(names = "--port", description = "Access node port P; the access node database uses P+1, data node i P+1+i (default: ${DEFAULT-VALUE}).",
            defaultValue = "6432")
    int port;

    /** @return the psql command that connects to the access node */
    String psql(String database) {
        return "psql -h 127.0.0.1 -p " + port + " -U postgres " + database;
    }
}
