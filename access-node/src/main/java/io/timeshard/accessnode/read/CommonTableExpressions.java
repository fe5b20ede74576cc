package io.timeshard.accessnode.read;

import io.timeshard.planner.parse.StatementSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the bodies of a statement's common table expressions ({@code WITH name AS ( body ) …}) and of
 * its subqueries in FROM ({@code FROM ( body ) alias}, {@code JOIN ( body ) alias}) as exact spans of the
 * statement text, with PostgreSQL's lexical rules (literals, quoted identifiers, dollar quotes and
 * comments are skipped while matching parentheses). Used to push down such a body that reads one
 * distributed hypertable and leave the rest of the statement to the access node database.
 * {@code WITH RECURSIVE} and data-modifying CTEs are not split, nor LATERAL subqueries (they may read
 * the FROM items before them: {@link LateralJoins} takes their one shape).
 */
final class CommonTableExpressions {
    private CommonTableExpressions() {}

    /**
     * One CTE's or subquery's body: {@code sql.substring(start, end)} is the text between its parentheses;
     * {@code name} is null for a subquery.
     */
    record Body(String name, int start, int end) {}

    /** @return the CTE bodies of {@code sql} in order; empty when it does not start with a plain WITH */
    static List<Body> bodies(String sql) {
        List<Body> out = new ArrayList<>();
        int i = skipSpace(sql, 0);
        if (!word(sql, i, "with")) return out;
        i = skipSpace(sql, i + 4);
        if (word(sql, i, "recursive")) return out;
        while (i < sql.length()) {
            int nameEnd = identifierEnd(sql, i);
            if (nameEnd == i) return List.of();
            String name = sql.substring(i, nameEnd);
            i = skipSpace(sql, nameEnd);
            if (!word(sql, i, "as")) return List.of(); // a column list or something else: not split
            i = skipSpace(sql, i + 2);
            if (word(sql, i, "not")) i = skipSpace(sql, i + 3);
            if (word(sql, i, "materialized")) i = skipSpace(sql, i + 12);
            if (i >= sql.length() || sql.charAt(i) != '(') return List.of();
            int close = matchingParen(sql, i);
            if (close < 0) return List.of();
            String body = sql.substring(i + 1, close).strip().toLowerCase(Locale.ROOT);
            if (!body.startsWith("select")) return List.of(); // data-modifying CTEs stay whole
            out.add(new Body(name, i + 1, close));
            i = skipSpace(sql, close + 1);
            if (i < sql.length() && sql.charAt(i) == ',') {
                i = skipSpace(sql, i + 1);
                continue;
            }
            return out;
        }
        return out;
    }

    /**
     * @return the bodies of the subqueries right after a FROM or JOIN keyword anywhere in {@code sql} (not
     *         LATERAL ones), in order; each a SELECT or WITH. SQL lets such a subquery name no FROM item of
     *         its own level, only those of enclosing queries, which the planner then does not know: a body
     *         that names them is declined by it.
     */
    static List<Body> fromSubqueries(String sql) {
        List<Body> out = new ArrayList<>();
        for (int[] span : parenthesisedAfter(sql, true, "from", "join")) {
            if (span == null) continue;
            int body = skipSpace(sql, span[0]);
            if (word(sql, body, "select") || word(sql, body, "with")) out.add(new Body(null, span[0], span[1]));
        }
        return out;
    }

    /**
     * @param nested whether occurrences inside a found parenthesis count too
     * @return for each occurrence of one of {@code keywords} as a word of code (literals, quoted identifiers
     *         and comments skipped), in order: the span {start, end} of the text inside the parenthesis right
     *         after it (comments and spaces between skipped), or null when none follows or it is not closed
     */
    static List<int[]> parenthesisedAfter(String sql, boolean nested, String... keywords) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            int skip = StatementSplitter.skipNonCode(sql, i);
            if (skip > i) {
                i = skip;
                continue;
            }
            String keyword = null;
            if (i == 0 || !StatementSplitter.isIdentChar(sql.charAt(i - 1))) {
                for (String k : keywords) if (word(sql, i, k)) keyword = k;
            }
            if (keyword == null) {
                i++;
                continue;
            }
            int open = skipSpace(sql, i + keyword.length());
            int close = open < sql.length() && sql.charAt(open) == '(' ? matchingParen(sql, open) : -1;
            out.add(close < 0 ? null : new int[] {open + 1, close});
            i = close < 0 || nested ? i + keyword.length() : close;
        }
        return out;
    }

    /** @return the index of the parenthesis closing the one at {@code open} (literals and comments skipped), or -1 */
    static int matchingParen(String s, int open) {
        int depth = 0;
        int i = open;
        while (i < s.length()) {
            int skip = StatementSplitter.skipNonCode(s, i);
            if (skip > i) {
                i = skip;
                continue;
            }
            char c = s.charAt(i);
            if (c == '(') depth++;
            if (c == ')' && --depth == 0) return i;
            i++;
        }
        return -1;
    }

    private static int identifierEnd(String s, int i) {
        if (i < s.length() && s.charAt(i) == '"') return StatementSplitter.skipNonCode(s, i);
        int j = i;
        while (j < s.length() && StatementSplitter.isIdentChar(s.charAt(j))) j++;
        return j;
    }

    private static boolean word(String s, int i, String w) {
        return s.regionMatches(true, i, w, 0, w.length())
                && (i + w.length() >= s.length() || !StatementSplitter.isIdentChar(s.charAt(i + w.length())));
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < s.length() && s.charAt(i + 1) == '-') {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl;
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else {
                return i;
            }
        }
        return i;
    }
}
