package io.timeshard.accessnode.read;

import io.timeshard.accessnode.session.Session;
import io.timeshard.accessnode.wire.BackendFrame;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.planner.parse.StatementSplitter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code column IN (SELECT … FROM regular_table …)}: the local side runs first, in the client's session
 * on the access node database, and its result replaces the subquery as a list of literals, so that
 * the rest can be pushed down to the data nodes (TimescaleDB never pushed these down: its issue
 * #4305; TSBS's tags form filters hosts this way). Taken only for an uncorrelated subquery that reads
 * no distributed hypertable and returns between 1 and {@value #MAX_VALUES} values; otherwise the
 * statement is left as it is. Inside a transaction block the probe runs under a savepoint, so a
 * failing one (a correlated subquery, say) leaves the client's transaction intact.
 *
 * <p><b>Speculation.</b> A subquery the session ran before ({@link SubqueryResults}) is replaced by what it
 * returned then, so that the data nodes start at once; the subquery runs again while they work
 * ({@link #verify}, called by the loader before it reads their first row), and when its answer changed
 * the statement is planned and run again on the new one ({@link StaleSubquery}). The answer is always
 * the one of the subquery run in the statement; what speculation saves is the round trip before the
 * data nodes start (TSBS's tags form: the lookup of the host's id, 0.5-0.8 ms of 1.2-2.1). A lateral
 * join's outer values ({@link LateralJoins}) are read the same way.
 */
final class LocalSubqueries {
    private static final int MAX_VALUES = 10_000;

    private LocalSubqueries() {}

    /**
     * A probe answered from what it returned before, still to be checked ({@link #verify}).
     *
     * @param rows the rows it was answered with
     * @param raw  the same as DataRow bodies, or null when not kept
     */
    record Speculated(String probe, List<List<String>> rows, List<byte[]> raw) {}

    /**
     * The answer of a probe answered speculatively changed: the statement must be planned again (no
     * data node row has been used, nothing sent to the client). Carries no stack trace.
     */
    public static final class StaleSubquery extends RuntimeException {
        StaleSubquery() {
            super("a local subquery's answer changed", null, false, false);
        }
    }

    /**
     * @param readsHypertable tells whether a subquery's text names a distributed hypertable
     * @param speculated      where each probe answered from its kept rows is added; null to run every
     *                        subquery now
     * @return {@code sql} with each such IN-subquery replaced by its values, or {@code sql} unchanged
     */
    static String inline(String sql, Session session, Predicate<String> readsHypertable, List<Speculated> speculated) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int[] span : inSubqueries(sql)) {
            String sub = sql.substring(span[0], span[1]);
            if (readsHypertable.test(sub)) continue;
            // typed literals ('5'::integer), so that the planner and chunk exclusion see the subquery's type
            List<List<String>> rows = probe("SELECT quote_nullable(v) || '::' || pg_typeof(v)::text FROM (" + sub
                    + ") AS _ts_subquery(v) LIMIT " + (MAX_VALUES + 1), session, speculated);
            if (rows == null || rows.isEmpty() || rows.size() > MAX_VALUES) continue;
            out.append(sql, from, span[0] - 1).append('(').append(String.join(", ", rows.stream().map(List::getFirst).toList())).append(')');
            from = span[1] + 1;
        }
        if (from == 0) return sql;
        return out.append(sql.substring(from)).toString();
    }

    /**
     * {@link #probe(String, Session)}, or — with {@code speculated} and rows kept from this session's
     * last run of the same probe ({@link SubqueryResults}) — those rows, the probe then added to
     * {@code speculated} to be checked by {@link #verify}. The rows a probe returns are kept.
     *
     * @return its rows, each value as text, or null when it failed
     */
    static List<List<String>> probe(String sql, Session session, List<Speculated> speculated) {
        SubqueryResults results = session.subqueryResults();
        List<List<String>> fresh = results.takeFresh(sql);
        if (fresh != null) return fresh; // run by this statement's check already
        List<List<String>> kept = speculated == null ? null : results.get(sql);
        if (kept != null) {
            speculated.add(new Speculated(sql, kept, results.raw(sql)));
            return kept;
        }
        List<byte[]> raw = run(sql, session);
        List<List<String>> rows = rows(raw);
        results.put(sql, rows, raw);
        return rows;
    }

    /**
     * Runs each speculated probe again and keeps its rows. When one's rows changed, those run so far are
     * marked fresh for the statement's second planning ({@link SubqueryResults#takeFresh}). The rows are
     * compared as the DataRow messages' bytes when those were kept (the same bytes, the same values), else
     * value by value.
     *
     * @throws StaleSubquery when one's rows differ from those the statement was planned with
     */
    static void verify(List<Speculated> speculated, Session session) {
        SubqueryResults results = session.subqueryResults();
        Map<String, List<List<String>>> ran = new LinkedHashMap<>();
        for (Speculated s : speculated) {
            List<byte[]> raw = run(s.probe(), session);
            boolean sameBytes = sameBytes(raw, s.raw());
            List<List<String>> rows = sameBytes ? s.rows() : rows(raw);
            boolean same = sameBytes || s.rows().equals(rows);
            results.put(s.probe(), rows, raw);
            results.checked(s.probe(), same);
            ran.put(s.probe(), rows);
            if (!same) {
                // the statement is planned again on these rows, without running these probes a second
                // time (a subquery calling nextval() advances its sequence once, as in PostgreSQL)
                ran.forEach(results::markFresh);
                throw new StaleSubquery();
            }
        }
    }

    /** @return whether both are given and hold the same DataRow bodies in the same order */
    private static boolean sameBytes(List<byte[]> a, List<byte[]> b) {
        if (a == null || b == null || a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!java.util.Arrays.equals(a.get(i), b.get(i))) return false;
        return true;
    }

    /**
     * Runs a query of the access node's in the client's session: outside a transaction block as a statement
     * the backend keeps prepared ({@link io.timeshard.accessnode.session.BackendSession#runKept}: probes repeat,
     * and their planning was a third of TSBS lastpoint's); inside one under a savepoint, so that a failing
     * one leaves the client's transaction intact — the savepoint, the query and its release in one message
     * (one round trip).
     *
     * @param sql one statement without a top-level semicolon
     * @return its rows, each value as text, or null when it failed
     */
    static List<List<String>> probe(String sql, Session session) {
        return rows(run(sql, session));
    }

    /**
     * {@link #probe(String, Session)}, its rows as they came.
     *
     * @return the bodies of its DataRow messages, or null when it failed
     */
    private static List<byte[]> run(String sql, Session session) {
        boolean block = session.txn().inBlock || session.txn().backendOpenedByUs;
        try {
            if (!block) return session.backend().runKept(sql);
            List<byte[]> rows = new ArrayList<>();
            for (BackendFrame f : session.backend().run("SAVEPOINT _timeshard_probe; " + sql + "; RELEASE SAVEPOINT _timeshard_probe")) {
                if (f.type() == 'D') rows.add(f.body());
            }
            return rows;
        } catch (PgException e) {
            if (block) session.backend().run("ROLLBACK TO SAVEPOINT _timeshard_probe; RELEASE SAVEPOINT _timeshard_probe");
            return null;
        }
    }

    /** @return the rows of DataRow bodies ({@link #run}), each value as text (null for NULL); null for null */
    private static List<List<String>> rows(List<byte[]> raw) {
        if (raw == null) return null;
        List<List<String>> rows = new ArrayList<>(raw.size());
        for (byte[] body : raw) {
            List<String> row = new ArrayList<>();
            for (byte[] v : new BackendFrame((byte) 'D', body).dataRow()) row.add(v == null ? null : new String(v, StandardCharsets.UTF_8));
            rows.add(row);
        }
        return rows;
    }

    /** @return spans {start, end} of the texts inside {@code IN ( SELECT … )} (not NOT IN), in order */
    static List<int[]> inSubqueries(String sql) {
        List<int[]> out = new ArrayList<>();
        String code = maskNonCode(sql);
        String lower = code.toLowerCase(java.util.Locale.ROOT);
        int i = 0;
        while ((i = lower.indexOf("in", i)) >= 0) {
            boolean word = (i == 0 || !StatementSplitter.isIdentChar(code.charAt(i - 1)))
                    && (i + 2 >= code.length() || !StatementSplitter.isIdentChar(code.charAt(i + 2)));
            int p = i + 2;
            while (p < code.length() && Character.isWhitespace(code.charAt(p))) p++;
            if (!word || p >= code.length() || code.charAt(p) != '(') {
                i += 2;
                continue;
            }
            int s = p + 1;
            while (s < code.length() && Character.isWhitespace(code.charAt(s))) s++;
            if (!lower.startsWith("select", s) || precededByNot(lower, i)) {
                i += 2;
                continue;
            }
            int depth = 0;
            int close = -1;
            for (int k = p; k < code.length(); k++) {
                char c = code.charAt(k);
                if (c == '(') depth++;
                else if (c == ')' && --depth == 0) {
                    close = k;
                    break;
                }
            }
            if (close < 0) break;
            out.add(new int[] {p + 1, close});
            i = close;
        }
        return out;
    }

    private static boolean precededByNot(String lower, int i) {
        int j = i - 1;
        while (j >= 0 && Character.isWhitespace(lower.charAt(j))) j--;
        return j >= 2 && lower.startsWith("not", j - 2) && (j - 3 < 0 || !StatementSplitter.isIdentChar(lower.charAt(j - 3)));
    }

    /** @return {@code sql} with literals, quoted identifiers and comments replaced by spaces (same length) */
    private static String maskNonCode(String sql) {
        char[] c = sql.toCharArray();
        int i = 0;
        while (i < c.length) {
            int end = StatementSplitter.skipNonCode(sql, i);
            if (end > i) {
                for (int k = i; k < end; k++) if (c[k] != '\n') c[k] = ' ';
                i = end;
            } else {
                i++;
            }
        }
        return new String(c);
    }
}
