package io.timeshard.planner.plan;

import java.util.Objects;
import org.apache.calcite.rex.RexNode;

/**
 * A translated expression: its Calcite form, its PostgreSQL type, and the column name PostgreSQL
 * would give it in a select list (FigureColname: {@code strength} 2 for a column or function name,
 * 1 for a type or {@code case}, 0 for {@code ?column?}). Immutable.
 */
record Typed(RexNode rex, String type, String name, int strength) {
    static final String NO_NAME = "?column?";

    Typed {
        Objects.requireNonNull(rex, "rex");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    static Typed unnamed(RexNode rex, String type) {
        return new Typed(rex, type, NO_NAME, 0);
    }

    Typed withName(String newName) {
        return new Typed(rex, type, newName, 2);
    }

    Typed withRex(RexNode newRex) {
        return new Typed(newRex, type, name, strength);
    }
}
