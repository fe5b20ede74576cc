package io.timeshard.planner.plan;

import java.util.Objects;

/**
 * A result column.
 *
 * @param name column name as PostgreSQL reports it, never null
 * @param type PostgreSQL type as {@code format_type} prints it (e.g. {@code timestamp with time zone}), never null
 */
public record ResultColumn(String name, String type) {
    public ResultColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
