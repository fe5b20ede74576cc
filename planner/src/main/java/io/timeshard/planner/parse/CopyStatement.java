package io.timeshard.planner.parse;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.Identifiers;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code COPY table [(columns)] FROM STDIN …} statement, in both the option-list syntax and
 * the pre-9.0 syntax PostgreSQL still accepts (PostgreSQL docs, "COPY"). Only what routing needs is
 * kept; the data node gets its own COPY statement built by {@link #toDataNodeSql}.
 *
 * @param schema       schema name, or null when unqualified
 * @param table        table name
 * @param columns      the column list, empty for all columns
 * @param format       "text", "csv" or "binary"
 * @param delimiter    field delimiter (tab for text, comma for csv)
 * @param nullString   the NULL marker ({@code \N} for text, empty for csv)
 * @param header       true when the first line is a header to skip
 * @param quote        CSV quote character
 * @param escape       CSV escape character
 * @param forceNotNull FORCE_NOT_NULL columns (csv)
 * @param forceNull    FORCE_NULL columns (csv)
 */
public record CopyStatement(String schema, String table, List<String> columns, String format, char delimiter,
                            String nullString, boolean header, char quote, char escape,
                            List<String> forceNotNull, List<String> forceNull) {

    /**
     * @return the statement if it is {@code COPY … FROM STDIN}; null for any other COPY (TO, FROM a
     *         file or program, a query), which the access node database handles itself
     * @throws PgException 42601 for an option this parser does not know, 0A000 for a WHERE clause
     */
    public static CopyStatement parseFromStdin(String sql) {
        Tokens t = Tokens.of(sql);
        if (!t.get(0).is("copy")) return null;
        int i = 1;
        if (t.get(i).isPunct("(")) return null; // COPY (query) TO …
        String first = t.get(i++).text();
        String schema = null;
        String table = first;
        if (t.get(i).isPunct(".")) {
            schema = first;
            table = t.get(i + 1).text();
            i += 2;
        }
        List<String> cols = new ArrayList<>();
        if (t.get(i).isPunct("(")) {
            i++;
            while (!t.get(i).isPunct(")") && i < t.size()) {
                if (!t.get(i).isPunct(",")) cols.add(t.get(i).text());
                i++;
            }
            i++;
        }
        if (!t.get(i).is("from")) return null;
        i++;
        if (!t.get(i).is("stdin")) return null;
        i++;
        Options o = new Options();
        if (t.get(i).is("with")) i++;
        if (t.get(i).isPunct("(")) {
            i = parseOptionList(t, i + 1, o);
        } else {
            i = parseLegacyOptions(t, i, o);
        }
        if (t.get(i).is("where")) {
            throw PgException.notSupported("COPY FROM with a WHERE clause is not supported on distributed hypertables",
                    "Filter the rows before loading them.");
        }
        if (i < t.size() && !t.get(i).isPunct(";")) {
            throw new PgException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + t.get(i).text() + "\"");
        }
        boolean csv = o.format.equals("csv");
        char delim = o.delimiter != null ? o.delimiter : (csv ? ',' : '\t');
        String nul = o.nullString != null ? o.nullString : (csv ? "" : "\\N");
        char quote = o.quote != null ? o.quote : '"';
        char escape = o.escape != null ? o.escape : quote;
        return new CopyStatement(schema, table, List.copyOf(cols), o.format, delim, nul, o.header, quote, escape,
                List.copyOf(o.forceNotNull), List.copyOf(o.forceNull));
    }

    private static final class Options {
        String format = "text";
        Character delimiter;
        String nullString;
        boolean header;
        Character quote;
        Character escape;
        List<String> forceNotNull = new ArrayList<>();
        List<String> forceNull = new ArrayList<>();
    }

    private static int parseOptionList(Tokens t, int i, Options o) {
        while (i < t.size() && !t.get(i).isPunct(")")) {
            if (t.get(i).isPunct(",")) {
                i++;
                continue;
            }
            String name = t.get(i++).text();
            switch (name) {
                case "format" -> o.format = t.get(i++).text().toLowerCase(java.util.Locale.ROOT);
                case "delimiter" -> o.delimiter = oneChar(t.get(i++).text(), "COPY delimiter");
                case "null" -> o.nullString = t.get(i++).text();
                case "header" -> {
                    o.header = true;
                    if (isBoolWord(t.get(i))) o.header = truthy(t.get(i++).text());
                }
                case "quote" -> o.quote = oneChar(t.get(i++).text(), "COPY quote");
                case "escape" -> o.escape = oneChar(t.get(i++).text(), "COPY escape");
                case "freeze" -> {
                    if (isBoolWord(t.get(i))) i++;
                }
                case "encoding" -> {
                    String enc = t.get(i++).text();
                    if (!enc.equalsIgnoreCase("utf8") && !enc.equalsIgnoreCase("utf-8")) {
                        throw PgException.notSupported("COPY ENCODING " + enc + " is not supported on distributed hypertables",
                                "Send UTF8 data.");
                    }
                }
                case "force_not_null", "force_null" -> {
                    List<String> target = name.equals("force_null") ? o.forceNull : o.forceNotNull;
                    if (t.get(i).isPunct("(")) {
                        i++;
                        while (!t.get(i).isPunct(")") && i < t.size()) {
                            if (!t.get(i).isPunct(",")) target.add(t.get(i).text());
                            i++;
                        }
                        i++;
                    }
                }
                default -> throw new PgException(SqlState.SYNTAX_ERROR, "option \"" + name + "\" not recognized");
            }
        }
        if (!o.format.equals("text") && !o.format.equals("csv") && !o.format.equals("binary")) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "COPY format \"" + o.format + "\" not recognized");
        }
        return i + 1;
    }

    private static int parseLegacyOptions(Tokens t, int i, Options o) {
        while (i < t.size() && !t.get(i).is("where") && !t.get(i).isPunct(";")) {
            Tokens.Token tok = t.get(i++);
            if (tok.is("binary")) o.format = "binary";
            else if (tok.is("csv")) o.format = "csv";
            else if (tok.is("header")) o.header = true;
            else if (tok.is("delimiter") || tok.is("null") || tok.is("quote") || tok.is("escape")) {
                if (t.get(i).is("as")) i++;
                String v = t.get(i++).text();
                switch (tok.text()) {
                    case "delimiter" -> o.delimiter = oneChar(v, "COPY delimiter");
                    case "null" -> o.nullString = v;
                    case "quote" -> o.quote = oneChar(v, "COPY quote");
                    default -> o.escape = oneChar(v, "COPY escape");
                }
            } else if (tok.is("force")) {
                boolean notNull = t.get(i).is("not");
                i += notNull ? 2 : 1;
                List<String> target = notNull ? o.forceNotNull : o.forceNull;
                while (t.get(i).isName() || t.get(i).isPunct(",")) {
                    if (t.get(i).isName()) target.add(t.get(i).text());
                    i++;
                }
            } else {
                throw new PgException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + tok.text() + "\"");
            }
        }
        return i;
    }

    private static boolean isBoolWord(Tokens.Token tok) {
        return tok.is("true") || tok.is("false") || tok.is("on") || tok.is("off") || tok.is("match")
                || (tok.kind() == Tokens.Kind.NUMBER && (tok.text().equals("0") || tok.text().equals("1")));
    }

    private static boolean truthy(String s) {
        return s.equals("true") || s.equals("on") || s.equals("1") || s.equals("match");
    }

    private static char oneChar(String s, String what) {
        if (s.length() != 1) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, what + " must be a single one-byte character");
        }
        return s.charAt(0);
    }

    /** @return true for CSV input */
    public boolean csv() {
        return format.equals("csv");
    }

    /**
     * @param qualifiedTable the table on the data node, quoted
     * @param columnList     the quoted column list, in the client's order
     * @return the COPY statement to run on a data node: same format and options, no HEADER (the
     *         access node strips the header line)
     */
    public String toDataNodeSql(String qualifiedTable, List<String> columnList) {
        StringBuilder sb = new StringBuilder("COPY ").append(qualifiedTable).append(" (");
        for (int i = 0; i < columnList.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(Identifiers.quote(columnList.get(i)));
        }
        sb.append(") FROM STDIN WITH (FORMAT ").append(format);
        if (!format.equals("binary")) {
            sb.append(", DELIMITER ").append(Identifiers.literal(String.valueOf(delimiter)));
            sb.append(", NULL ").append(Identifiers.literal(nullString));
        }
        if (csv()) {
            sb.append(", QUOTE ").append(Identifiers.literal(String.valueOf(quote)));
            sb.append(", ESCAPE ").append(Identifiers.literal(String.valueOf(escape)));
            appendColumns(sb, "FORCE_NOT_NULL", forceNotNull);
            appendColumns(sb, "FORCE_NULL", forceNull);
        }
        return sb.append(')').toString();
    }

    private static void appendColumns(StringBuilder sb, String option, List<String> cols) {
        if (cols.isEmpty()) return;
        sb.append(", ").append(option).append(" (");
        for (int i = 0; i < cols.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(Identifiers.quote(cols.get(i)));
        }
        sb.append(')');
    }
}
