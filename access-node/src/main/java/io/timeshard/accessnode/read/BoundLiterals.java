package io.timeshard.accessnode.read;

import io.timeshard.accessnode.session.BackendSession;
import io.timeshard.accessnode.session.BoundParameters;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.planner.parse.StatementSplitter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A prepared statement's bound parameters as typed literals, so that the fast read path can plan and
 * push down {@code … WHERE time >= $1 AND hostname = $2} as it does the same statement written with
 * literals (chunk exclusion included). The values are turned into text by the access node database
 * itself, in the client's session — {@code quote_nullable($n::text) || '::' || pg_typeof($n)} with the
 * statement's inferred parameter types — so every type and both parameter formats (text and binary)
 * read back exactly as PostgreSQL would read the parameter; one round trip per execution.
 */
public final class BoundLiterals {
    private BoundLiterals() {}

    /**
     * @param params the bound parameters; their types must be the statement's resolved parameter types
     *               (as a Describe of the statement reports them), not 0
     * @return one literal per parameter, e.g. {@code '2016-01-01 00:00:00+00'::timestamp with time zone}
     *         or {@code NULL::integer}
     * @throws PgException the backend's error for a value its type does not accept (e.g. 22P02)
     */
    public static List<String> literals(BackendSession backend, BoundParameters params) {
        int n = params.types().length;
        StringBuilder probe = new StringBuilder("SELECT ");
        for (int i = 1; i <= n; i++) {
            if (i > 1) probe.append(", ");
            probe.append("quote_nullable($").append(i).append("::text) || '::' || pg_typeof($").append(i).append(')');
        }
        short[] text = new short[n];
        List<String> out = new ArrayList<>(n);
        backend.runExtended(probe.toString(), params, text, row -> {
            for (byte[] v : row) out.add(new String(v, StandardCharsets.UTF_8));
        });
        if (out.size() != n) throw new PgException(SqlState.INTERNAL_ERROR, "could not read the bound parameters");
        return out;
    }

    /**
     * @param literals the literal of {@code $1}, {@code $2}, … in order
     * @return {@code sql} with each parameter reference {@code $n} outside literals, quoted identifiers and
     *         comments replaced by its literal
     * @throws PgException 08P01 for a reference beyond the literals given
     */
    public static String substitute(String sql, List<String> literals) {
        StringBuilder out = new StringBuilder(sql.length() + 32 * literals.size());
        int i = 0;
        while (i < sql.length()) {
            int skipped = StatementSplitter.skipNonCode(sql, i);
            if (skipped > i) {
                out.append(sql, i, skipped);
                i = skipped;
                continue;
            }
            char c = sql.charAt(i);
            if (c == '$' && (i == 0 || !StatementSplitter.isIdentChar(sql.charAt(i - 1)))
                    && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < sql.length() && Character.isDigit(sql.charAt(end))) end++;
                int index = Integer.parseInt(sql.substring(i + 1, end));
                if (index < 1 || index > literals.size()) {
                    throw new PgException(SqlState.PROTOCOL_VIOLATION, "there is no parameter $" + index);
                }
                // 'v'::type binds tighter than any operator; only a subscript or field selection after it
                // would attach to the type name, so those get parentheses
                boolean wrap = end < sql.length() && (sql.charAt(end) == '[' || sql.charAt(end) == '.');
                out.append(wrap ? "(" : "").append(literals.get(index - 1)).append(wrap ? ")" : "");
                i = end;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
