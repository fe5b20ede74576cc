package io.timeshard.accessnode.read;

import java.util.List;

/**
 * Array literals as PostgreSQL's array_in reads them (PostgreSQL docs, "Arrays", "Array Value Input"):
 * {@code {"a","b",NULL}}, every element double-quoted with {@code "} and {@code \} escaped by a backslash,
 * so that each element's text reaches the element type's input function unchanged. Delimited by commas,
 * the delimiter of every built-in type but box.
 */
final class ArrayLiteral {
    private ArrayLiteral() {}

    /**
     * @param values the elements' texts, in order; null for SQL NULL
     * @return the array literal, e.g. {@code {"1","2"}}
     */
    static String of(List<String> values) {
        StringBuilder out = new StringBuilder(values.size() * 8 + 2).append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.append(',');
            appendElement(out, values.get(i));
        }
        return out.append('}').toString();
    }

    /** Appends one element: {@code NULL} for null, else the text double-quoted with its quotes and backslashes escaped. */
    static void appendElement(StringBuilder out, String value) {
        if (value == null) {
            out.append("NULL");
            return;
        }
        out.append('"');
        for (int k = 0; k < value.length(); k++) {
            char ch = value.charAt(k);
            if (ch == '"' || ch == '\\') out.append('\\');
            out.append(ch);
        }
        out.append('"');
    }

    /**
     * @param type a type name as {@code format_type} or {@code pg_typeof} prints it
     * @return whether an array literal of {@code type[]} does not hold values of {@code type} one per
     *         element: an array type (an array of arrays is a two-dimensional array of the element type),
     *         or box (its arrays are delimited by semicolons)
     */
    static boolean unfit(String type) {
        return type.endsWith("]") || type.equals("box");
    }
}
