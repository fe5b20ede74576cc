package io.timeshard.accessnode;

import java.util.Objects;

/**
 * Where the access node listens and where its access node database runs.
 *
 * @param listenHost        address the wire protocol server binds, e.g. 127.0.0.1
 * @param port              port the wire protocol server listens on
 * @param databaseHost      host of the access node database server (PostgreSQL)
 * @param databasePort      its port
 * @param superuser         role the access node uses for catalog work and on data nodes
 * @param superuserPassword its password, or null for trust authentication
 */
public record AccessNodeConfig(String listenHost, int port, String databaseHost, int databasePort,
                               String superuser, String superuserPassword) {
    public AccessNodeConfig {
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(databaseHost, "databaseHost");
        Objects.requireNonNull(superuser, "superuser");
    }

    /** @return a pgjdbc URL for {@code database} on the access node database server */
    public String databaseUrl(String database) {
        return "jdbc:postgresql://" + databaseHost + ":" + databasePort + "/" + database;
    }
}
