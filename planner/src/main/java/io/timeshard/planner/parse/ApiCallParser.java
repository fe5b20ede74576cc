package io.timeshard.planner.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the statement forms in which the multi-node API is called — {@code SELECT [schema.]f(args)
 * [[AS] alias]}, {@code SELECT * FROM f(args)}, {@code SELECT col [[AS] alias], … FROM f(args)} and
 * {@code CALL f(args)} — with PostgreSQL's lexical rules, keeping each argument's SQL text as written
 * (it is evaluated by PostgreSQL later). Arguments are positional or named ({@code name => value}).
 * Independent of JSqlParser, whose keyword list rejects parameter names such as {@code force}.
 */
final class ApiCallParser {
    private final String sql;
    private int pos;

    private ApiCallParser(String sql) {
        this.sql = StatementSplitter.stripComments(sql).strip();
    }

    /** @return the call, or null when the statement is not one of the forms above */
    static Classified.ApiCall parse(String sql, java.util.Set<String> functions) {
        try {
            return new ApiCallParser(sql).parse(functions, sql);
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    private Classified.ApiCall parse(java.util.Set<String> functions, String original) {
        String first = word();
        if (first.equals("call")) {
            String fn = functionName();
            List<Classified.Argument> args = arguments();
            return fn != null && args != null && functions.contains(fn) && atEnd()
                    ? new Classified.ApiCall(fn, args, true, fn, null, original) : null;
        }
        if (!first.equals("select")) return null;
        skipSpace();
        if (peek() == '*') {
            pos++;
            if (!word().equals("from")) return null;
            return tableFunction(functions, null, original);
        }
        int mark = pos;
        String fn = functionName();
        if (fn != null && functions.contains(fn)) {
            List<Classified.Argument> args = arguments();
            if (args == null) return null;
            String alias = alias();
            if (!atEnd()) return null;
            return new Classified.ApiCall(fn, args, false, alias == null ? fn : alias, null, original);
        }
        pos = mark;
        List<String[]> projection = new ArrayList<>();
        while (true) {
            String col = identifier();
            if (col == null) return null;
            String alias = alias();
            projection.add(new String[] {col, alias == null ? col : alias});
            skipSpace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            break;
        }
        if (!word().equals("from")) return null;
        return tableFunction(functions, projection, original);
    }

    private Classified.ApiCall tableFunction(java.util.Set<String> functions, List<String[]> projection, String original) {
        String fn = functionName();
        if (fn == null || !functions.contains(fn)) return null;
        List<Classified.Argument> args = arguments();
        if (args == null) return null;
        alias();
        return atEnd() ? new Classified.ApiCall(fn, args, true, fn, projection, original) : null;
    }

    /** @return the lower-case function name without schema, positioned before '(' */
    private String functionName() {
        String a = identifier();
        if (a == null) return null;
        skipSpace();
        if (peek() == '.') {
            pos++;
            a = identifier();
        }
        skipSpace();
        return a != null && peek() == '(' ? a : null;
    }

    /** @return the arguments between parentheses, each with its SQL text; null when malformed */
    private List<Classified.Argument> arguments() {
        skipSpace();
        if (peek() != '(') return null;
        pos++;
        List<Classified.Argument> args = new ArrayList<>();
        int depth = 0;
        int start = pos;
        while (true) {
            char c = sql.charAt(pos);
            if (c == '\'' || c == '"') {
                pos = StatementSplitter.skipQuoted(sql, pos, c, false);
                continue;
            }
            if (c == '$' && (pos == 0 || !StatementSplitter.isIdentChar(sql.charAt(pos - 1)))) {
                pos = StatementSplitter.skipDollarQuoted(sql, pos);
                continue;
            }
            if (c == '(' || c == '[') depth++;
            if ((c == ')' || c == ']') && depth > 0) {
                depth--;
            } else if ((c == ',' || c == ')') && depth == 0) {
                String text = sql.substring(start, pos).strip();
                if (!text.isEmpty()) args.add(argument(text));
                else if (c == ',' || !args.isEmpty()) return null;
                pos++;
                if (c == ')') return args;
                start = pos;
                continue;
            }
            pos++;
        }
    }

    private static Classified.Argument argument(String text) {
        int arrow = text.indexOf("=>");
        if (arrow > 0) {
            String name = text.substring(0, arrow).strip();
            if (name.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
                return new Classified.Argument(name.toLowerCase(Locale.ROOT), text.substring(arrow + 2).strip());
            }
            if (name.matches("\"([^\"]|\"\")+\"")) {
                return new Classified.Argument(name.substring(1, name.length() - 1).replace("\"\"", "\""), text.substring(arrow + 2).strip());
            }
        }
        return new Classified.Argument(null, text);
    }

    private String alias() {
        skipSpace();
        int mark = pos;
        String w = identifierOrNull();
        if (w == null) return null;
        if (w.equals("as")) return identifier();
        if (w.equals("from")) {
            pos = mark;
            return null;
        }
        return w;
    }

    private String identifierOrNull() {
        skipSpace();
        if (pos >= sql.length()) return null;
        char c = sql.charAt(pos);
        if (c == '"' || Character.isLetter(c) || c == '_') return identifier();
        return null;
    }

    /** @return an identifier (unquoted and lower-cased, or quoted and kept), or null */
    private String identifier() {
        skipSpace();
        if (pos >= sql.length()) return null;
        char c = sql.charAt(pos);
        if (c == '"') {
            int end = StatementSplitter.skipQuoted(sql, pos, '"', false);
            String id = sql.substring(pos + 1, end - 1).replace("\"\"", "\"");
            pos = end;
            return id;
        }
        if (!Character.isLetter(c) && c != '_') return null;
        int start = pos;
        while (pos < sql.length() && StatementSplitter.isIdentChar(sql.charAt(pos))) pos++;
        return sql.substring(start, pos).toLowerCase(Locale.ROOT);
    }

    private String word() {
        String w = identifier();
        return w == null ? "" : w;
    }

    private boolean atEnd() {
        skipSpace();
        while (pos < sql.length() && sql.charAt(pos) == ';') {
            pos++;
            skipSpace();
        }
        return pos >= sql.length();
    }

    private char peek() {
        return pos < sql.length() ? sql.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < sql.length() && Character.isWhitespace(sql.charAt(pos))) pos++;
    }
}
