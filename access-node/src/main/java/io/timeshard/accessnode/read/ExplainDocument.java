package io.timeshard.accessnode.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plan written as PostgreSQL's {@code EXPLAIN (FORMAT JSON | YAML | XML)} writes one, so that tools
 * that read those formats (explain visualisers, ORMs' query analysers) read a fast-path plan too. The
 * layout follows PostgreSQL's explain_format.c as its output shows it: two spaces of indentation per
 * level; in JSON and YAML, text values quoted with JSON's escapes and numbers and booleans bare; in XML,
 * {@code <explain xmlns="http://www.postgresql.org/2009/explain"><Query>…}, property names with their
 * spaces turned into hyphens and {@code & < >} escaped; a plan's children under {@code Plans}; the
 * statement's own properties (Planning Time, Execution Time) after its Plan.
 */
public final class ExplainDocument {
    private ExplainDocument() {}

    /** The formats PostgreSQL's EXPLAIN writes besides TEXT. */
    public enum Format { JSON, YAML, XML }

    /**
     * One plan node: its properties in order — each a String, a Long, a Double (written with three
     * decimals, as times are) or a Boolean — then its children.
     */
    static final class Node {
        final Map<String, Object> properties = new LinkedHashMap<>();
        final List<Node> plans = new ArrayList<>();

        /** @return this node, with {@code name} set to {@code value} (nothing when value is null) */
        Node with(String name, Object value) {
            if (value != null) properties.put(name, value);
            return this;
        }
    }

    /**
     * @param plan      the top plan node
     * @param statement the statement's properties after its plan (Planning Time, Execution Time), in order
     * @return the whole document, as EXPLAIN returns it in its one row
     */
    static String write(Format format, Node plan, Map<String, Object> statement) {
        StringBuilder out = new StringBuilder();
        switch (format) {
            case JSON -> {
                out.append("[\n  {\n    \"Plan\": ");
                json(out, plan, 2);
                for (Map.Entry<String, Object> e : statement.entrySet()) {
                    out.append(",\n    ").append(jsonString(e.getKey())).append(": ").append(scalar(e.getValue(), true));
                }
                out.append("\n  }\n]");
            }
            case YAML -> {
                out.append("- Plan: \n");
                yaml(out, plan, 4, false);
                for (Map.Entry<String, Object> e : statement.entrySet()) {
                    out.append("  ").append(e.getKey()).append(": ").append(scalar(e.getValue(), true)).append('\n');
                }
                out.setLength(out.length() - 1);
            }
            case XML -> {
                out.append("<explain xmlns=\"http://www.postgresql.org/2009/explain\">\n  <Query>\n");
                xml(out, plan, 4);
                for (Map.Entry<String, Object> e : statement.entrySet()) xmlProperty(out, "    ", e);
                out.append("  </Query>\n</explain>");
            }
        }
        return out.toString();
    }

    /** Writes {@code node} as a JSON object whose lines are indented by {@code level} × 2 spaces (its first line not). */
    private static void json(StringBuilder out, Node node, int level) {
        String in = "  ".repeat(level + 1);
        out.append("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : node.properties.entrySet()) {
            out.append(first ? "\n" : ",\n").append(in).append(jsonString(e.getKey())).append(": ").append(scalar(e.getValue(), true));
            first = false;
        }
        if (!node.plans.isEmpty()) {
            out.append(first ? "\n" : ",\n").append(in).append("\"Plans\": [");
            for (int i = 0; i < node.plans.size(); i++) {
                out.append(i == 0 ? "\n" : ",\n").append(in).append("  ");
                json(out, node.plans.get(i), level + 2);
            }
            out.append('\n').append(in).append(']');
        }
        out.append('\n').append("  ".repeat(level)).append('}');
    }

    /** Writes {@code node}'s properties as YAML lines indented by {@code indent} spaces; the first after "- " when {@code item}. */
    private static void yaml(StringBuilder out, Node node, int indent, boolean item) {
        boolean first = true;
        for (Map.Entry<String, Object> e : node.properties.entrySet()) {
            out.append(first && item ? " ".repeat(indent - 2) + "- " : " ".repeat(indent)).append(e.getKey()).append(": ")
                    .append(scalar(e.getValue(), true)).append('\n');
            first = false;
        }
        if (!node.plans.isEmpty()) {
            out.append(" ".repeat(indent)).append("Plans: \n");
            for (Node child : node.plans) yaml(out, child, indent + 4, true);
        }
    }

    /** Writes {@code node} as a {@code <Plan>} element indented by {@code indent} spaces. */
    private static void xml(StringBuilder out, Node node, int indent) {
        String in = " ".repeat(indent);
        out.append(in).append("<Plan>\n");
        for (Map.Entry<String, Object> e : node.properties.entrySet()) xmlProperty(out, in + "  ", e);
        if (!node.plans.isEmpty()) {
            out.append(in).append("  <Plans>\n");
            for (Node child : node.plans) xml(out, child, indent + 4);
            out.append(in).append("  </Plans>\n");
        }
        out.append(in).append("</Plan>\n");
    }

    /** Writes one property as an element named like it with its spaces turned into hyphens, on a line of its own. */
    private static void xmlProperty(StringBuilder out, String indent, Map.Entry<String, Object> property) {
        String tag = property.getKey().replace(' ', '-');
        out.append(indent).append('<').append(tag).append('>').append(xmlText(scalar(property.getValue(), false)))
                .append("</").append(tag).append(">\n");
    }

    /** @return a value as written: a time with three decimals, other numbers and booleans as they are, text quoted when {@code quoted} */
    private static String scalar(Object value, boolean quoted) {
        return switch (value) {
            case Double d -> String.format(Locale.ROOT, "%.3f", d);
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            default -> quoted ? jsonString(value.toString()) : value.toString();
        };
    }

    /** @return {@code s} as a JSON string, escaped as PostgreSQL's escape_json does */
    static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < ' ') out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    /** @return {@code s} with {@code & < >} escaped, as PostgreSQL's escape_xml does */
    private static String xmlText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
