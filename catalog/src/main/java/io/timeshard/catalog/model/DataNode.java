package io.timeshard.catalog.model;

import java.util.Objects;

/**
 * A data node: a PostgreSQL server (and a database in it) that stores chunks. In the access node
 * database it is a foreign server of the {@code timescaledb_fdw} wrapper, as in TimescaleDB.
 *
 * @param name     node name as given to {@code add_data_node}, never null
 * @param host     host name or address, never null
 * @param port     TCP port, 1..65535
 * @param database database on the data node holding the hypertables, never null
 */
public record DataNode(String name, String host, int port, String database) {
    public DataNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** @return a pgjdbc URL for this node's database */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
