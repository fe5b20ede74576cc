package io.timeshard.tests;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A query's result as PostgreSQL's text: the column labels, the column type names and every value as
 * {@code rs.getString} (null for SQL NULL), and the exact comparison the differential tests make between
 * the oracle's result and the cluster's.
 *
 * @param names column labels, in order
 * @param types column type names ({@code getColumnTypeName}), in order
 * @param rows  the rows in the order the server sent them; each value is its text or null
 */
record DifferentialResult(List<String> names, List<String> types, List<List<String>> rows) {
    /** Orders rows by their values, column by column, NULL first: the canonical order of a multiset. */
    private static final Comparator<List<String>> ROW_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Comparator.nullsFirst(Comparator.<String>naturalOrder()).compare(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    };

    /**
     * Runs {@code sql} on {@code c} and reads the whole result; the statement times out after 60 s. Outside
     * autocommit the query gets a transaction of its own: committed after the last row, rolled back on error.
     */
    static DifferentialResult run(Connection c, String sql) throws SQLException {
        return run(c, sql, new Object[0]);
    }

    /**
     * The same for a prepared statement with parameters ({@code ?}), bound with {@code setObject} (a Java
     * null as a NULL of type text).
     */
    static DifferentialResult run(Connection c, String sql, Object... params) throws SQLException {
        if (c.getAutoCommit()) return read(c, sql, params);
        try {
            DifferentialResult r = read(c, sql, params);
            c.commit();
            return r;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    private static DifferentialResult read(Connection c, String sql, Object... params) throws SQLException {
        try (java.sql.PreparedStatement prepared = params.length == 0 ? null : c.prepareStatement(sql);
             Statement st = prepared == null ? c.createStatement() : prepared) {
            st.setQueryTimeout(60);
            for (int i = 0; i < params.length; i++) {
                if (params[i] == null) prepared.setNull(i + 1, java.sql.Types.VARCHAR);
                else prepared.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = prepared == null ? st.executeQuery(sql) : prepared.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                List<String> names = new ArrayList<>(n);
                List<String> types = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    names.add(md.getColumnLabel(i));
                    types.add(md.getColumnTypeName(i));
                }
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int i = 1; i <= n; i++) row[i - 1] = rs.getString(i);
                    rows.add(Arrays.asList(row));
                }
                return new DifferentialResult(List.copyOf(names), List.copyOf(types), rows);
            }
        }
    }

    /**
     * Compares this result (the oracle's) with the cluster's.
     *
     * @param ordered compare rows as ordered lists; otherwise as multisets (both sorted canonically)
     * @return empty when equal, else a message naming the first difference (without the query)
     */
    Optional<String> differenceFrom(DifferentialResult actual, boolean ordered) {
        if (!names.equals(actual.names)) return Optional.of("column names differ\n  expected " + names + "\n  got      " + actual.names);
        if (!types.equals(actual.types)) return Optional.of("column types differ\n  expected " + types + "\n  got      " + actual.types);
        List<List<String>> e = ordered ? rows : sorted(rows);
        List<List<String>> a = ordered ? actual.rows : sorted(actual.rows);
        for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
            if (!e.get(i).equals(a.get(i))) {
                String how = ordered && sorted(rows).equals(sorted(actual.rows)) ? "same rows in a different order; " : "";
                return Optional.of(how + (ordered ? "row " : "sorted row ") + i + " differs (" + e.size() + " rows expected, "
                        + a.size() + " got)\n  expected " + e.get(i) + "\n  got      " + a.get(i));
            }
        }
        if (e.size() != a.size()) {
            int i = Math.min(e.size(), a.size());
            return Optional.of("row count differs: expected " + e.size() + ", got " + a.size() + "; first extra "
                    + (e.size() > a.size() ? "expected row " + e.get(i) : "row got " + a.get(i)));
        }
        return Optional.empty();
    }

    private static List<List<String>> sorted(List<List<String>> rows) {
        List<List<String>> s = new ArrayList<>(rows);
        s.sort(ROW_ORDER);
        return s;
    }
}
