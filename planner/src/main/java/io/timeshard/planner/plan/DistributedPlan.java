package io.timeshard.planner.plan;

import java.util.List;
import java.util.Objects;

/**
 * The plan of one SELECT over a distributed hypertable. Immutable.
 *
 * @param dataNodes     which nodes get the remote query (the context's list)
 * @param remoteSql     the SQL each data node runs, the same text for every node; it reads the node's root
 *                      table of the hypertable's schema and name, and relies on the node's partition pruning
 *                      for chunk exclusion. It is evaluated in the node's session: the executor must give that
 *                      session the client's TimeZone (and DateStyle, IntervalStyle) for literals, date_trunc and
 *                      extract to mean what the client meant.
 * @param remoteColumns names and PostgreSQL types of the remote result's columns, in order
 * @param combineSql    SQL for the access node over a relation {@code "_ts_remote"} holding the union of all
 *                      nodes' remote results (columns = remoteColumns), giving exactly the client's result;
 *                      {@link #combineSqlOver} puts the actual relation in its place
 * @param pushDown      FULL, PARTIAL or NONE (no aggregate, no DISTINCT ON)
 * @param explain       a few lines for EXPLAIN: the push-down kind, the remote SQL and the combine SQL
 * @param passThrough   empty, or — when the nodes' remote results are the statement's result row for row
 *                      (one node running the whole statement, its rows in order; or several nodes whose
 *                      rows or FULL groups, in any order, are the answer to a statement without ORDER BY
 *                      or LIMIT) — for each result column the index of the remote column it is (the
 *                      combine step only names them); the executor may then send the nodes' rows to the
 *                      client as they come
 * @param oneNodePassThrough empty, or — for a PARTIAL plan with GROUP BY whose merge of one node's
 *                      states is the identity (min, max, sum, count, bool_and, bool_or, no HAVING) and whose
 *                      remote SQL applies the statement's ORDER BY (and LIMIT) — for each result column the
 *                      index of the remote column it is when at most one data node returns rows: that
 *                      node's rows, in its order, are then the answer (see {@link OneNodeResult})
 * @param parameterized the remote SQL with the WHERE clause's plain string literals as parameters, for a
 *                      plan filled from the plan cache's template; or null. Data nodes may run it as a
 *                      prepared statement, whose plan they keep
 */
public record DistributedPlan(List<String> dataNodes, String remoteSql, List<ResultColumn> remoteColumns,
                              String combineSql, PushDown pushDown, String explain, List<Integer> passThrough,
                              List<Integer> oneNodePassThrough, Parameterized parameterized) {
    /**
     * {@link #remoteSql} with JDBC's {@code ?} in place of each plain string literal the plan cache found
     * in the WHERE clause — literals a column is compared with, which PostgreSQL resolves exactly as it
     * resolves an untyped parameter — and their values, one per {@code ?} in order. The text holds no
     * other {@code ?}.
     *
     * @param remoteSql the parameterized remote SQL
     * @param values    the parameters' values as the statement wrote them, never null
     */
    public record Parameterized(String remoteSql, List<String> values) {
        public Parameterized {
            Objects.requireNonNull(remoteSql, "remoteSql");
            values = List.copyOf(values);
        }
    }

    public DistributedPlan {
        passThrough = List.copyOf(passThrough);
        oneNodePassThrough = List.copyOf(oneNodePassThrough);
        dataNodes = List.copyOf(dataNodes);
        Objects.requireNonNull(remoteSql, "remoteSql");
        remoteColumns = List.copyOf(remoteColumns);
        Objects.requireNonNull(combineSql, "combineSql");
        Objects.requireNonNull(pushDown, "pushDown");
        Objects.requireNonNull(explain, "explain");
        if (remoteColumns.isEmpty()) throw new IllegalArgumentException("a remote query returns at least one column");
    }

    /** A plan without pass-through. */
    public DistributedPlan(List<String> dataNodes, String remoteSql, List<ResultColumn> remoteColumns, String combineSql,
                           PushDown pushDown, String explain) {
        this(dataNodes, remoteSql, remoteColumns, combineSql, pushDown, explain, List.of(), List.of(), null);
    }

    /** @return this plan with {@code parameterized} (null: none) */
    public DistributedPlan withParameterized(Parameterized parameterized) {
        return new DistributedPlan(dataNodes, remoteSql, remoteColumns, combineSql, pushDown, explain, passThrough,
                oneNodePassThrough, parameterized);
    }

    /** @return this plan with {@code combineSql} as its combine SQL */
    public DistributedPlan withCombineSql(String combineSql) {
        return new DistributedPlan(dataNodes, remoteSql, remoteColumns, combineSql, pushDown, explain, passThrough,
                oneNodePassThrough, parameterized);
    }

    /** How the combine SQL reads the remote rows: {@code FROM "_ts_remote"}. */
    private static final String FROM_REMOTE = "FROM \"_ts_remote\"";

    /**
     * @param relation what holds the remote rows, with the remote columns' names: a table name or a
     *                 parenthesised subquery such as {@code (VALUES …)} (its column aliases given by
     *                 {@code columnAliases})
     * @param columnAliases a column alias list such as {@code ("a", "b")}, or "" when the relation's own
     *                      columns carry the remote names
     * @return the combine SQL reading {@code relation} under the alias {@code "_ts_remote"}
     */
    public String combineSqlOver(String relation, String columnAliases) {
        String alias = columnAliases.isEmpty() ? "" : " " + columnAliases;
        return combineSql.replace(FROM_REMOTE, "FROM " + relation + " AS \"_ts_remote\"" + alias);
    }
}
