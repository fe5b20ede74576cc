package io.timeshard.planner.plan;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One aggregate call of the query, as the client wrote it.
 *
 * @param function  canonical PostgreSQL name: count, sum, avg, min, max, stddev_samp, stddev_pop, var_samp,
 *                  var_pop, bool_and, bool_or, first, last
 * @param distinct  {@code DISTINCT} inside the call
 * @param arguments the arguments (pre-aggregate): none for {@code count(*)}, (value, time) for first
 *                  and last, one for the others
 * @param filter   the FILTER (WHERE …) condition (pre-aggregate), or null
 * @param type     PostgreSQL result type
 */
record AggregateSpec(String function, boolean distinct, List<Typed> arguments, Typed filter, String type) {
    AggregateSpec {
        Objects.requireNonNull(function, "function");
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(type, "type");
    }

    /** @return a key equal for calls PostgreSQL computes once */
    String key() {
        return function + "|" + distinct + "|" + (arguments.isEmpty() ? "*" : arguments.stream().map(a -> a.rex().toString()).collect(Collectors.joining(",")))
                + "|" + (filter == null ? "" : filter.rex().toString());
    }
}
