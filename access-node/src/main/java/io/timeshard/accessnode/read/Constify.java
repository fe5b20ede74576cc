package io.timeshard.accessnode.read;

import io.timeshard.accessnode.session.BackendSession;
import io.timeshard.accessnode.wire.BackendFrame;
import io.timeshard.planner.parse.StatementSplitter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Replaces the current-time functions of a query — {@code now()}, {@code current_timestamp},
 * {@code transaction_timestamp()}, {@code localtimestamp}, {@code current_date} — by literals of their
 * values in the client's own transaction, as TimescaleDB's access node did (seeds/003: "the function
 * is constified on the access node so that the resulting timestamp is instead pushed down"). The
 * values come from the client's session (its transaction start and time zone), written in ISO form
 * with an explicit UTC offset, so no node reads them differently. Text inside literals, quoted
 * identifiers and comments is left alone. Stateless.
 */
final class Constify {
    private static final Pattern CALLS = Pattern.compile(
            "\\b(now\\s*\\(|current_timestamp\\b|transaction_timestamp\\s*\\(|localtimestamp\\b|current_date\\b)", Pattern.CASE_INSENSITIVE);

    private Constify() {}

    /** @return true when {@code sql} calls one of the functions outside literals and comments */
    static boolean needed(String sql) {
        return CALLS.matcher(codeOnly(sql)).find();
    }

    /** @return {@code sql} with the functions replaced by their values in the client's transaction */
    static String apply(String sql, BackendSession backend) {
        String row = null;
        for (BackendFrame f : backend.run("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00', "
                + "to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS.US'), to_char(current_date, 'YYYY-MM-DD')")) {
            if (f.type() == 'D') {
                byte[][] v = f.dataRow();
                row = new String(v[0], StandardCharsets.UTF_8) + "\u0000" + new String(v[1], StandardCharsets.UTF_8)
                        + "\u0000" + new String(v[2], StandardCharsets.UTF_8);
            }
        }
        String[] values = row.split("\u0000");
        return replace(sql, values[0], values[1], values[2]);
    }

    /**
     * @param nowUtc   the transaction timestamp as {@code YYYY-MM-DD HH:MM:SS.ffffff+00}
     * @param local    the local timestamp as {@code YYYY-MM-DD HH:MM:SS.ffffff}
     * @param date     the current date as {@code YYYY-MM-DD}
     * @return {@code sql} with the current-time functions replaced by those literals
     */
    static String replace(String sql, String nowUtc, String local, String date) {
        String now = "'" + nowUtc + "'::timestamptz";
        String localTs = "'" + local + "'::timestamp";
        String day = "'" + date + "'::date";
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int i = 0;
        while (i < sql.length()) {
            int skip = StatementSplitter.skipNonCode(sql, i);
            if (skip > i) {
                out.append(sql, i, skip);
                i = skip;
                continue;
            }
            char c = sql.charAt(i);
            if (!Character.isLetter(c) || (i > 0 && StatementSplitter.isIdentChar(sql.charAt(i - 1)))) {
                out.append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < sql.length() && StatementSplitter.isIdentChar(sql.charAt(end))) end++;
            String word = sql.substring(i, end).toLowerCase(Locale.ROOT);
            int after = end;
            while (after < sql.length() && Character.isWhitespace(sql.charAt(after))) after++;
            int close = after + 1;
            while (close < sql.length() && Character.isWhitespace(sql.charAt(close))) close++;
            boolean call = after < sql.length() && sql.charAt(after) == '(' && close < sql.length() && sql.charAt(close) == ')';
            switch (word) {
                case "now", "transaction_timestamp" -> {
                    if (call) {
                        out.append(now);
                        i = close + 1;
                        continue;
                    }
                }
                case "current_timestamp" -> {
                    out.append(now);
                    i = end;
                    continue;
                }
                case "localtimestamp" -> {
                    out.append(localTs);
                    i = end;
                    continue;
                }
                case "current_date" -> {
                    out.append(day);
                    i = end;
                    continue;
                }
                default -> { }
            }
            out.append(sql, i, end);
            i = end;
        }
        return out.toString();
    }

    private static String codeOnly(String sql) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            int skip = StatementSplitter.skipNonCode(sql, i);
            if (skip > i) {
                sb.append(' ');
                i = skip;
            } else {
                sb.append(sql.charAt(i++));
            }
        }
        return sb.toString();
    }
}
