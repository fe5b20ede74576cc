package io.timeshard.accessnode.cluster;

import java.util.Objects;

/**
 * Where one PostgreSQL server of a local cluster listens and whom to connect as. Immutable and
 * thread-safe.
 *
 * @param name      "access-node-db" for the access node database, "dn1", "dn2"… for data nodes;
 *                  never null or blank
 * @param host      the address the server listens on (always "127.0.0.1" for a local cluster);
 *                  never null or blank
 * @param port      TCP port, 1..65535
 * @param superuser the role to connect as, trusted without a password (zonky's "postgres"); never
 *                  null or blank
 */
public record Endpoint(String name, String host, int port, String superuser) {

    /** @throws IllegalArgumentException if a string is blank or the port is out of range */
    public Endpoint {
        requireText(name, "name");
        requireText(host, "host");
        requireText(superuser, "superuser");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, was " + port);
        }
    }

    /**
     * A pgjdbc URL for {@code database} on this server, connecting as {@link #superuser()}, for
     * example {@code jdbc:postgresql://127.0.0.1:5434/postgres?user=postgres}.
     *
     * @param database database name, never null or blank; "postgres" always exists
     * @return the URL; never null
     * @throws IllegalArgumentException if {@code database} is blank
     */
    public String jdbcUrl(String database) {
        requireText(database, "database");
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?user=" + superuser;
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
