package io.timeshard.accessnode.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One TSBS devops query type in one form: {@code name} is TSBS's name ({@code single-groupby-1-1-1},
 * {@code double-groupby-all}, {@code lastpoint}…), {@code form} says how hosts are named.
 *
 * @param name TSBS's query type name; never null
 * @param form the form of the SQL; never null
 */
public record QueryType(String name, Form form) {
    /** How the SQL finds hosts (TSBS's {@code --timescale-use-tags}). */
    public enum Form {
        /** {@code --timescale-use-tags=false}, the multi-node form: {@code hostname} in the cpu table, no tags join. */
        MULTI_NODE,
        /** TSBS's default: {@code tags_id IN (SELECT id FROM tags …)}, JOIN and LATERAL on the tags table. */
        TAGS
    }

    public QueryType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(form, "form");
    }

    /** TSBS's query types, in the order of its documentation. */
    public static final List<String> NAMES = List.of(
            "single-groupby-1-1-1", "single-groupby-1-1-12", "single-groupby-1-8-1",
            "single-groupby-5-1-1", "single-groupby-5-1-12", "single-groupby-5-8-1",
            "cpu-max-all-1", "cpu-max-all-8",
            "double-groupby-1", "double-groupby-5", "double-groupby-all",
            "high-cpu-1", "high-cpu-all", "lastpoint", "groupby-orderby-limit");

    /**
     * Every query type in the multi-node form, followed by those whose tags form differs (all but
     * {@code high-cpu-all} and {@code groupby-orderby-limit}, which name no host).
     */
    public static List<QueryType> all() {
        List<QueryType> out = new ArrayList<>();
        for (String n : NAMES) out.add(new QueryType(n, Form.MULTI_NODE));
        for (String n : NAMES) {
            if (hasTagsForm(n)) out.add(new QueryType(n, Form.TAGS));
        }
        return out;
    }

    /** @return whether the tags form of the type differs from its multi-node form */
    public static boolean hasTagsForm(String name) {
        return !name.equals("high-cpu-all") && !name.equals("groupby-orderby-limit");
    }

    /** @return the name, with " (tags)" for the tags form, e.g. {@code lastpoint (tags)} */
    public String label() {
        return form == Form.TAGS ? name + " (tags)" : name;
    }

    /**
     * The query types a {@code --queries} filter selects, in {@link #all()} order. The filter is a
     * comma-separated list; each entry is a type name ({@code lastpoint}: both forms), a name with a
     * form ({@code lastpoint/tags}, {@code lastpoint/multi-node}), a name prefix ending in {@code *}
     * ({@code single-groupby-*}), or a form alone ({@code tags}, {@code multi-node}). Null or blank
     * selects every type.
     *
     * @throws IllegalArgumentException for an entry that selects nothing, naming it
     */
    public static List<QueryType> select(String filter) {
        if (filter == null || filter.isBlank()) return all();
        List<QueryType> selected = new ArrayList<>();
        for (String raw : filter.split(",")) {
            String entry = raw.trim();
            List<QueryType> matches = all().stream().filter(t -> t.matches(entry)).toList();
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("--queries: \"" + entry + "\" selects no query type; types are " + String.join(", ", NAMES)
                        + " (add /tags or /multi-node for one form, or end a prefix with *)");
            }
            selected.addAll(matches);
        }
        return all().stream().filter(selected::contains).toList();
    }

    private boolean matches(String entry) {
        String formName = form == Form.TAGS ? "tags" : "multi-node";
        if (entry.equals(formName)) return true;
        int slash = entry.indexOf('/');
        String namePart = slash < 0 ? entry : entry.substring(0, slash);
        if (slash >= 0 && !entry.substring(slash + 1).equals(formName)) return false;
        return namePart.endsWith("*") ? name.startsWith(namePart.substring(0, namePart.length() - 1)) : name.equals(namePart);
    }
}
