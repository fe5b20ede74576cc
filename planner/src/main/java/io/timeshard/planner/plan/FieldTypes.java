package io.timeshard.planner.plan;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The PostgreSQL types of the plan's named fields (select outputs, group keys, aggregate results,
 * partial states). Calcite's types stand in for them inside the plan but cannot say {@code
 * character varying(20)} or {@code numeric(10,3)}; field names are unique within one planning, so
 * the translator and the rules record the PostgreSQL type of every field they create here. Mutable:
 * one per planning, reached by rules through the planner's context.
 */
public final class FieldTypes {
    private final Map<String, String> types = new HashMap<>();
    private int nextId;

    /** Records the PostgreSQL {@code type} of the field {@code name}. */
    public void put(String name, String type) {
        types.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(type, "type"));
    }

    /** @return the PostgreSQL type of field {@code name}; throws {@link Declined} if unknown */
    public String get(String name) {
        String t = types.get(name);
        if (t == null) throw new Declined("no PostgreSQL type known for field " + name);
        return t;
    }

    /**
     * @return a field name not used before in this planning: {@code _ts_}, {@code prefix} and a number. The
     *         {@code _ts_} keeps remote output aliases apart from the hypertable's column names, which remote
     *         ORDER BY and GROUP BY clauses may name.
     */
    public String fresh(String prefix) {
        return "_ts_" + prefix + nextId++;
    }
}
