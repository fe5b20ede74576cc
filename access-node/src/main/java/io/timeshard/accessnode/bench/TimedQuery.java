package io.timeshard.accessnode.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs one query and measures its wall time from {@code executeQuery} to the last row read, with
 * pgjdbc's defaults (extended protocol, unnamed statement, whole result fetched). A query cut by the
 * server's {@code statement_timeout} (SQLSTATE 57014) is a {@link Outcome#timedOut() timeout}, any
 * other error a failure with its message.
 */
final class TimedQuery {
    private TimedQuery() {}

    /**
     * @param millis   wall time in milliseconds (also for a timeout or a failure)
     * @param rows     every row as text, columns separated by '|', sorted; null unless asked for or on failure
     * @param timedOut whether statement_timeout cut the query
     * @param error    the error message of a failure other than a timeout; null otherwise
     */
    record Outcome(double millis, List<String> rows, boolean timedOut, String error) {
        boolean ok() {
            return !timedOut && error == null;
        }
    }

    static Outcome run(Connection c, String sql, boolean collectRows) {
        long start = System.nanoTime();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = collectRows ? new ArrayList<>() : null;
            int columns = rs.getMetaData().getColumnCount();
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                if (rows == null) continue;
                sb.setLength(0);
                for (int i = 1; i <= columns; i++) sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                rows.add(sb.toString());
            }
            double millis = (System.nanoTime() - start) / 1e6;
            if (rows != null) Collections.sort(rows);
            return new Outcome(millis, rows, false, null);
        } catch (SQLException e) {
            double millis = (System.nanoTime() - start) / 1e6;
            if ("57014".equals(e.getSQLState())) return new Outcome(millis, null, true, null);
            return new Outcome(millis, null, false, e.getSQLState() + ": " + e.getMessage());
        }
    }
}
