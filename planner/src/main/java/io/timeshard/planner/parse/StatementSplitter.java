package io.timeshard.planner.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a simple-query string into statements at top-level semicolons, following PostgreSQL's
 * lexical rules (chapter "Lexical Structure"): single-quoted strings (with {@code ''} and, for
 * {@code E'…'}, backslash escapes), quoted identifiers, dollar-quoted strings ({@code $tag$…$tag$}),
 * {@code --} comments and nested {@code /* … *}{@code /} comments. Statements that hold only
 * whitespace and comments are dropped. Stateless.
 */
public final class StatementSplitter {
    private StatementSplitter() {}

    /** @return the statements of {@code sql}, trimmed, without the separating semicolons; possibly empty */
    public static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = sql.length();
        int parens = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)));
                i = skipQuoted(sql, i, '\'', escapes);
            } else if (c == '"') {
                i = skipQuoted(sql, i, '"', false);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else if (c == '$' && (i == 0 || !isIdentChar(sql.charAt(i - 1)))) {
                i = skipDollarQuoted(sql, i);
            } else if (c == '(') {
                parens++;
                i++;
            } else if (c == ')') {
                parens = Math.max(0, parens - 1);
                i++;
            } else if (c == ';' && parens == 0) {
                add(out, sql.substring(start, i));
                i++;
                start = i;
            } else {
                i++;
            }
        }
        add(out, sql.substring(start));
        return out;
    }

    /** @return true when {@code sql} holds nothing but whitespace, semicolons and comments */
    public static boolean isEmpty(String sql) {
        return split(sql).isEmpty();
    }

    private static void add(List<String> out, String stmt) {
        if (!stripComments(stmt).isBlank()) out.add(stmt.strip());
    }

    /** @return {@code sql} with comments replaced by spaces (strings and identifiers kept as is) */
    public static String stripComments(String sql) {
        StringBuilder sb = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int next;
            if (c == '\'') next = skipQuoted(sql, i, '\'', false);
            else if (c == '"') next = skipQuoted(sql, i, '"', false);
            else if (c == '$' && (i == 0 || !isIdentChar(sql.charAt(i - 1)))) next = skipDollarQuoted(sql, i);
            else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') i++;
                sb.append(' ');
                continue;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
                sb.append(' ');
                continue;
            } else next = i + 1;
            sb.append(sql, i, Math.min(next, n));
            i = next;
        }
        return sb.toString();
    }

    /**
     * @return the [start, end) of each string literal ({@code '…'}, {@code E'…'}: from its opening quote,
     *         the closing one included) of {@code sql}, in order; quoted identifiers, dollar-quoted
     *         strings and comments are not string literals
     */
    public static List<int[]> stringLiterals(String sql) {
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            int end = skipNonCode(sql, i);
            if (end == i) {
                i++;
            } else {
                if (sql.charAt(i) == '\'') spans.add(new int[] {i, end});
                i = end;
            }
        }
        return spans;
    }

    /** @return {@code sql} with each string literal of {@code spans} ({@link #stringLiterals}) emptied to {@code ''} */
    public static String emptyStringLiterals(String sql, List<int[]> spans) {
        StringBuilder b = new StringBuilder(sql.length());
        int from = 0;
        for (int[] span : spans) {
            b.append(sql, from, span[0]).append("''");
            from = span[1];
        }
        return b.append(sql, from, sql.length()).toString();
    }

    /**
     * @return the index just after the string literal ({@code '…'}, {@code E'…'} with backslash escapes),
     *         quoted identifier, dollar-quoted string or comment that starts at {@code i}; {@code i} itself
     *         when none starts there (a {@code $1} parameter is not a dollar quote)
     */
    public static int skipNonCode(String s, int i) {
        char c = s.charAt(i);
        if (c == '\'') {
            boolean escapes = i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')
                    && (i < 2 || !Character.isLetterOrDigit(s.charAt(i - 2)));
            return skipQuoted(s, i, '\'', escapes);
        }
        if (c == '"') return skipQuoted(s, i, '"', false);
        if (c == '-' && i + 1 < s.length() && s.charAt(i + 1) == '-') {
            int nl = s.indexOf('\n', i);
            return nl < 0 ? s.length() : nl;
        }
        if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') return skipBlockComment(s, i);
        if (c == '$' && (i == 0 || !isIdentChar(s.charAt(i - 1)))) {
            int end = skipDollarQuoted(s, i);
            return end == i + 1 ? i : end;
        }
        return i;
    }

    static int skipQuoted(String s, int i, char q, boolean backslashEscapes) {
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < n && s.charAt(i + 1) == q) i += 2;
                else return i + 1;
            } else {
                i++;
            }
        }
        return n;
    }

    static int skipBlockComment(String s, int i) {
        int n = s.length();
        int depth = 0;
        while (i < n) {
            if (s.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (s.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) return i;
            } else {
                i++;
            }
        }
        return n;
    }

    static int skipDollarQuoted(String s, int i) {
        int n = s.length();
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            if (j == i + 1 && Character.isDigit(s.charAt(j))) return i + 1; // $1 is a parameter
            j++;
        }
        if (j >= n || s.charAt(j) != '$') return i + 1;
        String tag = s.substring(i, j + 1);
        int end = s.indexOf(tag, j + 1);
        return end < 0 ? n : end + tag.length();
    }

    /** @return true for a character that continues an unquoted identifier (letters, digits, _ and $) */
    public static boolean isIdentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
