package io.timeshard.planner.plan;

import java.util.Objects;

/**
 * One aggregate call of the query, as the client wrote it.
 *
 * @param function canonical PostgreSQL name: count, sum, avg, min, max, stddev_samp, stddev_pop, var_samp,
 *                 var_pop, bool_and, bool_or
 * @param distinct {@code DISTINCT} inside the call
 * @param argument the argument (pre-aggregate), or null for {@code count(*)}
 * @param filter   the FILTER (WHERE …) condition (pre-aggregate), or null
 * @param type     PostgreSQL result type
 */
record AggregateSpec(String function, boolean distinct, Typed argument, Typed filter, String type) {
    AggregateSpec {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(type, "type");
    }

    /** @return a key equal for calls PostgreSQL computes once */
    String key() {
        return function + "|" + distinct + "|" + (argument == null ? "*" : argument.rex().toString())
                + "|" + (filter == null ? "" : filter.rex().toString());
    }
}
