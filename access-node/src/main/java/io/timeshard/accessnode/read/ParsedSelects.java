package io.timeshard.accessnode.read;

import io.timeshard.planner.parse.StatementSplitter;
import io.timeshard.planner.plan.PlanCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * One session's parsed SELECTs, kept by shape so that the same query with other filter values — TSBS's
 * pattern, and any dashboard's — is not parsed again: JSqlParser took 0.2–0.4 ms of a 3 ms query inside
 * the access node, and 1.7 ms for TSBS's lateral lastpoint. The shape is the text with the contents of
 * its {@code '…'} literals left out. A statement of a known shape reuses the tree parsed for the first
 * one: the string literals that {@link PlanCache#filterLiterals} finds in its WHERE clause (the only ones
 * chunk exclusion and the plan cache read) take the new values — and the new positions in the text,
 * which the plan cache reads — and every other literal must be the same text as before, or the
 * statement is parsed in full. A new value must be plain characters ({@link PlanCache#plain}), so that
 * the literal's text is its value.
 *
 * <p>The trees are the session's own and changed in place: used by the session thread only, one
 * statement at a time. Holds at most {@value #SIZE} shapes (least recently used dropped).
 */
public final class ParsedSelects {
    private static final int SIZE = 64;

    /**
     * A parsed statement of one shape.
     *
     * @param select   the tree, changed in place for each statement (a SELECT with joins: never, see {@link #exact})
     * @param rebound  per {@code '…'} literal of the text (in order), the tree's node that takes a new
     *                 value, or null when the literal must stay as it is
     * @param literals per literal, its text in the statement the tree was last bound to
     */
    private record Shape(PlainSelect select, StringValue[] rebound, String[] literals) {}

    private final Map<String, Shape> known = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Shape> eldest) {
            return size() > SIZE;
        }
    };

    /** @return the parsed statement, or null when {@code sql} is not one plain SELECT (or does not parse) */
    PlainSelect parse(String sql) {
        List<int[]> spans = StatementSplitter.stringLiterals(sql);
        String shape = StatementSplitter.emptyStringLiterals(sql, spans);
        Shape e = known.get(shape);
        if (e != null) {
            if (rebind(e, sql, spans)) return e.select();
            known.remove(shape);
        }
        PlainSelect select = parseFully(sql);
        if (select != null) {
            Shape made = select.getJoins() == null ? entry(select, sql, spans) : exact(select, sql, spans);
            if (made != null) known.put(shape, made);
        }
        return select;
    }

    /** @return {@code sql} parsed by JSqlParser (complex parsing allowed) when it is one plain SELECT, else null */
    static PlainSelect parseFully(String sql) {
        try {
            Statement st = new CCJSqlParser(new StringProvider(sql)).withAllowComplexParsing(true).Statement();
            return st instanceof PlainSelect ps ? ps : null;
        } catch (Exception | Error e) {
            return null;
        }
    }

    /**
     * @return the entry for a freshly parsed statement: each filter literal of the tree matched to the
     *         {@code '…'} literal of the text it was parsed from; null when one does not match any
     */
    private static Shape entry(PlainSelect select, String sql, List<int[]> spans) {
        Map<Integer, StringValue> byStart = new java.util.HashMap<>();
        for (StringValue s : PlanCache.filterLiterals(select.getWhere(), sql)) byStart.put(PlanCache.offset(s), s);
        StringValue[] rebound = new StringValue[spans.size()];
        String[] literals = new String[spans.size()];
        int matched = 0;
        for (int k = 0; k < spans.size(); k++) {
            int[] span = spans.get(k);
            literals[k] = sql.substring(span[0], span[1]);
            StringValue s = byStart.get(span[0]);
            if (s != null && span[1] == span[0] + s.getValue().length() + 2) {
                rebound[k] = s;
                matched++;
            }
        }
        return matched == byStart.size() ? new Shape(select, rebound, literals) : null;
    }

    /**
     * @return the entry for a freshly parsed statement with joins, reused only for the same text: its
     *         filter literals are not the top-level WHERE's alone (a lateral subquery has its own), so
     *         none takes a new value
     */
    private static Shape exact(PlainSelect select, String sql, List<int[]> spans) {
        String[] literals = new String[spans.size()];
        for (int k = 0; k < spans.size(); k++) literals[k] = sql.substring(spans.get(k)[0], spans.get(k)[1]);
        return new Shape(select, new StringValue[spans.size()], literals);
    }

    /** @return whether the entry's tree now stands for {@code sql} (false: parse it in full) */
    private static boolean rebind(Shape e, String sql, List<int[]> spans) {
        if (spans.size() != e.literals().length) return false;
        for (int k = 0; k < spans.size(); k++) {
            int[] span = spans.get(k);
            String text = sql.substring(span[0], span[1]);
            if (e.rebound()[k] == null) {
                if (!text.equals(e.literals()[k])) return false;
            } else if (!text.startsWith("'") || !PlanCache.plain(text.substring(1, text.length() - 1))) {
                return false;
            }
        }
        for (int k = 0; k < spans.size(); k++) {
            StringValue s = e.rebound()[k];
            if (s == null) continue;
            int[] span = spans.get(k);
            s.setValue(sql.substring(span[0] + 1, span[1] - 1));
            Token t = s.getASTNode().jjtGetFirstToken();
            t.image = sql.substring(span[0], span[1]);
            t.absoluteBegin = span[0] + 1; // JavaCC counts from 1
            t.absoluteEnd = span[1] + 1;
            e.literals()[k] = t.image;
        }
        return true;
    }
}
