package io.timeshard.planner.plan;

import net.sf.jsqlparser.expression.Expression;

/**
 * What names mean where an expression is translated: before the aggregate (columns of the
 * hypertable) or after it (group keys and aggregate results).
 */
interface Scope {
    /** @return the column {@code name} of the hypertable as seen here; throws {@link Declined} if not visible */
    Typed column(String name);

    /** @return a reference to the result of {@code spec}; throws {@link AggregateFound} where aggregates are not allowed */
    Typed aggregate(AggregateSpec spec);

    /** @return a reference to a group key equal to {@code expression}, or null (always null before the aggregate) */
    Typed groupKey(Expression expression);

    /** Thrown when an aggregate call appears where only row-level expressions are allowed. */
    final class AggregateFound extends RuntimeException {
        AggregateFound() {
            super("aggregate", null, false, false);
        }
    }
}
