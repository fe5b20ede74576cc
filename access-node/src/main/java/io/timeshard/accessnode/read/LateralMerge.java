package io.timeshard.accessnode.read;

import io.timeshard.accessnode.wire.ColumnDescription;
import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.Identifiers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * A lateral join ({@link LateralJoins}) answered by the access node itself from the data nodes' rows,
 * without the combine query in the access node database — one round trip less (about 1 ms of TSBS's
 * tags-form lastpoint, whose whole query takes about 1.3 ms on one server):
 * <pre>
 * SELECT DISTINCT ON (t.hostname) * FROM tags t
 *   INNER JOIN LATERAL (SELECT * FROM cpu c WHERE c.tags_id = t.id ORDER BY time DESC LIMIT 1) AS b ON true
 * ORDER BY t.hostname, b.time DESC
 * </pre>
 * Nothing is compared in Java but outer values of types whose text is canonical ({@link #canonical}).
 * The probe of the outer table in the client's session ({@link #probeSql}) returns, beside the outer
 * values, every outer row's result columns as that session prints them and its place in the statement's
 * ORDER BY, computed by PostgreSQL ({@code rank()} over the ORDER BY's outer keys, with their collation,
 * direction and NULL order). The access node merges only when these hold, and otherwise runs the combine
 * query as before:
 * <ul>
 *   <li>no two outer rows tie on the ORDER BY's outer keys (checked when planning: distinct ranks). The
 *       result is then ordered by rank first, and within one outer row by the subquery's own order;</li>
 *   <li>every outer value's rows came from one data node (checked after the reads). A node returns each
 *       value's first n rows in the subquery's ORDER BY (a LIMIT keeps a LATERAL subquery from being
 *       pulled up, so the nested loop emits them in that order); when no other node has rows of the
 *       value, they are its first n over all nodes. TSBS: a host's rows of one time slice live in one
 *       space partition, so on one node.</li>
 * </ul>
 *
 * <p>Taken only in this shape: the statement's WHERE, GROUP BY, HAVING, LIMIT, OFFSET, window and
 * locking clauses are absent; its select list names {@code *}, {@code outer.*}, {@code lateral.*},
 * {@code outer.column} or {@code lateral.column} (aliases allowed); its ORDER BY, if any, starts with
 * one or more {@code outer.column} keys, and any later keys are a prefix of the subquery's ORDER BY
 * (same column, direction and NULL order) unless the subquery has LIMIT 1; a DISTINCT ON names exactly the ORDER BY's outer keys; the subquery has a LIMIT and is
 * ordered first by the time column (the first-slice read, {@link LateralJoins.FirstSlice}). The result
 * columns that come from the data nodes must pass through as text ({@link ReadPath#passesThroughFromOneNode}).
 */
final class LateralMerge {
    private LateralMerge() {}

    /** What a select item of the statement stands for. */
    enum Kind {
        /** {@code *}: the outer table's columns, then the subquery's. */
        ALL,
        /** {@code outer.*}. */
        OUTER_ALL,
        /** {@code outer.column}: one column of the probe. */
        OUTER,
        /** {@code lateral.*}: the subquery's columns. */
        LATERAL_ALL,
        /** {@code lateral.column}: one of the subquery's columns. */
        LATERAL
    }

    /**
     * @param kind    what it stands for
     * @param lateral for {@link Kind#LATERAL}, the index of the column among the subquery's output columns; else -1
     */
    record Item(Kind kind, int lateral) {}

    /**
     * The statement-level parts of a merge.
     *
     * @param orderKeys   the ORDER BY's outer keys, as written (direction and NULL order included); empty
     *                    when the statement has no ORDER BY
     * @param probeItems  what the probe selects for the result columns, in order: {@code "t".*} or {@code "t"."column"}
     * @param items       the select list
     * @param lateralOutputs the subquery's output columns: each the hypertable column it returns
     * @param left        LEFT JOIN LATERAL: an outer row without rows gives one row with NULLs for the subquery's columns
     * @param firstOnly   each outer row gives at most its first row (DISTINCT ON the outer keys)
     */
    record Shape(List<String> orderKeys, List<String> probeItems, List<Item> items, List<String> lateralOutputs, boolean left,
                 boolean firstOnly) {}

    /**
     * A merge ready to run: the outer rows in the result's order, each with its outer value's ordinal.
     *
     * @param ordinals    per outer row in the result's order, the ordinal of its outer value
     * @param outerValues per outer row, the probe's result columns as text (UTF-8; null for NULL)
     * @param outerBinary per outer row, the same in binary (as the client's session sends them; null for NULL),
     *                    for the outer columns {@code inBinary} marks
     * @param inBinary    per outer column, whether {@code outerBinary} holds it
     * @param columns     per result column: its index in {@code outerValues} when ≥ 0, else {@code -(i + 1)}
     *                    for field i of the data nodes' rows
     * @param left        see {@link Shape#left}
     * @param firstOnly   see {@link Shape#firstOnly}
     */
    record Merge(List<Integer> ordinals, List<byte[][]> outerValues, List<byte[][]> outerBinary, boolean[] inBinary, int[] columns,
                 boolean left, boolean firstOnly) {
        /**
         * @param binary per result column whether it is wanted in binary, or null when all are text
         * @return whether every outer result column wanted in binary is held in binary
         */
        boolean answers(boolean[] binary) {
            if (binary == null) return true;
            for (int i = 0; i < columns.length; i++) {
                if (binary[i] && columns[i] >= 0 && !inBinary[columns[i]]) return false;
            }
            return true;
        }

        /**
         * Writes the result.
         *
         * @param byOrdinal per outer value's ordinal, its rows from the data nodes (each its values, text or
         *                  binary as wanted; in the subquery's order), all from one node
         * @param out       takes each result row (values in the wanted format, null for NULL)
         * @param binary    per result column whether it is wanted in binary, or null when all are text
         * @return the number of rows written
         */
        long write(List<List<byte[][]>> byOrdinal, Consumer<byte[][]> out, boolean[] binary) {
            long count = 0;
            for (int r = 0; r < ordinals.size(); r++) {
                List<byte[][]> rows = byOrdinal.get(ordinals.get(r));
                if (rows.isEmpty() && left) {
                    out.accept(row(r, null, binary));
                    count++;
                }
                for (byte[][] fields : rows) {
                    out.accept(row(r, fields, binary));
                    count++;
                    if (firstOnly) break;
                }
            }
            return count;
        }

        /** @return the result row of outer row {@code r} and one data node row ({@code fields}; null for none) */
        private byte[][] row(int r, byte[][] fields, boolean[] binary) {
            byte[][] values = new byte[columns.length][];
            for (int i = 0; i < columns.length; i++) {
                int c = columns[i];
                byte[][] outer = binary != null && binary[i] ? outerBinary.get(r) : outerValues.get(r);
                values[i] = c >= 0 ? outer[c] : fields == null ? null : fields[-c - 1];
            }
            return values;
        }
    }

    /**
     * @param select the statement
     * @param s      its lateral join, recognised
     * @return the statement's merge shape, or null when it has another shape (see the class comment)
     */
    static Shape recognise(PlainSelect select, LateralJoins.Shape s) {
        PlainSelect body = s.body();
        if (select.getWhere() != null || select.getGroupBy() != null || select.getHaving() != null || select.getLimit() != null
                || select.getOffset() != null || select.getFetch() != null || select.getWindowDefinitions() != null
                || select.getWithItemsList() != null || select.getIntoTables() != null || select.getForMode() != null
                || select.getForUpdateTable() != null || select.getQualify() != null || body.getLimit() == null
                || body.getOrderByElements() == null) {
            return null;
        }
        Join join = select.getJoins().getFirst();
        LateralSubSelect lateral = (LateralSubSelect) join.getFromItem();
        if (lateral.getAlias() == null || lateral.getAlias().getAliasColumns() != null) return null;
        String lateralAlias = unquote(lateral.getAlias().getName());
        if (lateralAlias.equals(s.outerAlias())) return null;
        List<String> lateralOutputs = new ArrayList<>(); // hypertable column per output column
        List<String> lateralNames = new ArrayList<>();
        for (SelectItem<?> item : body.getSelectItems()) {
            if (item.getExpression() instanceof AllColumns) {
                for (Column c : s.hypertable().columns()) {
                    lateralOutputs.add(c.name());
                    lateralNames.add(c.name());
                }
            } else {
                String column = unquote(((net.sf.jsqlparser.schema.Column) item.getExpression()).getColumnName());
                lateralOutputs.add(column);
                lateralNames.add(item.getAlias() == null ? column : unquote(item.getAlias().getName()));
            }
        }
        List<String> probeItems = new ArrayList<>();
        List<Item> items = new ArrayList<>();
        String outer = Identifiers.quote(s.outerAlias());
        for (SelectItem<?> item : select.getSelectItems()) {
            Expression e = item.getExpression();
            if (e instanceof AllTableColumns a) {
                String alias = unquote(a.getTable().getName());
                if (a.getTable().getSchemaName() != null || item.getAlias() != null) return null;
                if (alias.equals(s.outerAlias())) {
                    items.add(new Item(Kind.OUTER_ALL, -1));
                    probeItems.add(outer + ".*");
                } else if (alias.equals(lateralAlias)) {
                    items.add(new Item(Kind.LATERAL_ALL, -1));
                } else {
                    return null;
                }
            } else if (e instanceof AllColumns) {
                if (item.getAlias() != null) return null;
                items.add(new Item(Kind.ALL, -1));
                probeItems.add(outer + ".*");
            } else if (e instanceof net.sf.jsqlparser.schema.Column c && qualifier(c) != null) {
                String name = unquote(c.getColumnName());
                if (qualifier(c).equals(s.outerAlias())) {
                    items.add(new Item(Kind.OUTER, -1));
                    probeItems.add(outer + "." + Identifiers.quote(name));
                } else if (qualifier(c).equals(lateralAlias) && lateralNames.indexOf(name) >= 0
                        && lateralNames.indexOf(name) == lateralNames.lastIndexOf(name)) {
                    items.add(new Item(Kind.LATERAL, lateralNames.indexOf(name)));
                } else {
                    return null;
                }
            } else {
                return null;
            }
        }
        List<OrderByElement> order = select.getOrderByElements() == null ? List.of() : select.getOrderByElements();
        int k = 0;
        while (k < order.size() && order.get(k).getExpression() instanceof net.sf.jsqlparser.schema.Column c
                && s.outerAlias().equals(qualifier(c))) {
            k++;
        }
        if (!order.isEmpty() && k == 0) return null;
        long limit = ((net.sf.jsqlparser.expression.LongValue) body.getLimit().getRowCount()).getValue();
        boolean distinctOn = select.getDistinct() != null;
        if (distinctOn) {
            if (select.getDistinct().getOnSelectItems() == null || k == 0) return null;
            Set<String> on = new HashSet<>();
            for (SelectItem<?> item : select.getDistinct().getOnSelectItems()) on.add(item.getExpression().toString());
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < k; i++) keys.add(order.get(i).getExpression().toString());
            if (!on.equals(keys)) return null;
        }
        if (limit != 1) { // else each outer row gives at most one row: later keys order nothing
            for (int i = k; i < order.size(); i++) {
                if (!followsSubquery(order.get(i), body.getOrderByElements(), i - k, lateralAlias, lateralNames, lateralOutputs)) {
                    return null;
                }
            }
        }
        List<String> keys = order.subList(0, k).stream().map(Object::toString).toList();
        return new Shape(keys, List.copyOf(probeItems), List.copyOf(items), List.copyOf(lateralOutputs), join.isLeft(), distinctOn);
    }

    /**
     * @return whether the statement's ORDER BY element {@code e} is {@code lateral.column} for the subquery's
     *         ORDER BY element {@code at}, with the same direction and NULL order
     */
    private static boolean followsSubquery(OrderByElement e, List<OrderByElement> subquery, int at, String lateralAlias,
                                           List<String> lateralNames, List<String> lateralOutputs) {
        if (at >= subquery.size() || !(e.getExpression() instanceof net.sf.jsqlparser.schema.Column c)
                || !lateralAlias.equals(qualifier(c))) {
            return false;
        }
        int i = lateralNames.indexOf(unquote(c.getColumnName()));
        if (i < 0 || i != lateralNames.lastIndexOf(unquote(c.getColumnName()))) return false;
        OrderByElement own = subquery.get(at);
        var ownColumn = (net.sf.jsqlparser.schema.Column) own.getExpression(); // LateralJoins.recognise
        return lateralOutputs.get(i).equals(unquote(ownColumn.getColumnName())) && e.isAsc() == own.isAsc() && nullsFirst(e) == nullsFirst(own);
    }

    private static boolean nullsFirst(OrderByElement e) {
        return e.getNullOrdering() == null ? !e.isAsc() : e.getNullOrdering() == OrderByElement.NullOrdering.NULLS_FIRST;
    }

    /**
     * @param valueColumns the probe's leading columns: the outer values as typed literals, then (routed by the
     *                     space column) that column as text
     * @param record       whether to add the outer columns in binary ({@link #needsRecord})
     * @return the probe: {@code valueColumns}, then the row's rank in the ORDER BY (bigint; 0 without one),
     *         then the result's outer columns ({@link Shape#probeItems}), then — with {@code record} — the same
     *         in binary as one {@code record_send} value in hex ({@link BinaryResults#record})
     */
    static String probeSql(Shape m, String valueColumns, String outerFrom, int maxRows, boolean record) {
        String items = String.join(", ", m.probeItems());
        return "SELECT " + valueColumns + ", " + (m.orderKeys().isEmpty() ? "0" : "rank() OVER (ORDER BY " + String.join(", ", m.orderKeys()) + ")")
                + ", " + items + (record ? ", encode(record_send(ROW(" + items + ")), 'hex')" : "") + " FROM " + outerFrom + " LIMIT " + maxRows;
    }

    /**
     * Whether the probe must return the outer columns in binary as PostgreSQL sends them ({@code record_send},
     * which cost the access node database more than the rest of TSBS lastpoint's probe): only when the
     * client wants an outer result column in binary whose binary form is not its text's bytes read as
     * {@link BinaryResults#fromText} reads them (integers, boolean, text types).
     *
     * @param described the statement's result columns as the access node database describes them, or null
     * @param formats   the client's result format codes (Bind), or null when not known
     * @return true when such a column is wanted; false when none is, or when the result columns are not known
     *         (the merge then answers text only: {@link Merge#answers})
     */
    static boolean needsRecord(Shape m, List<ColumnDescription> described, short[] formats) {
        if (described == null || formats == null || !BinaryResults.valid(formats, described.size())) return false;
        boolean[] binary = BinaryResults.binary(formats, described.size());
        if (binary == null) return false;
        int[] columns = columns(m, described.size(), java.util.Collections.nCopies(m.lateralOutputs().size(), 0));
        if (columns == null) return true;
        for (int i = 0; i < columns.length; i++) {
            if (binary[i] && columns[i] >= 0 && !BinaryResults.fromText(described.get(i).typeOid())) return true;
        }
        return false;
    }

    /**
     * @param resultWidth the number of result columns
     * @param lateral     per subquery output column, its field in the data nodes' rows
     * @return per result column: its outer column's index when ≥ 0, else {@code -(i + 1)} for field i of the data
     *         nodes' rows; null when {@code resultWidth} does not divide among the select list's {@code outer.*} items
     */
    private static int[] columns(Shape m, int resultWidth, List<Integer> lateral) {
        int outer = resultWidth;
        for (Item item : m.items()) {
            switch (item.kind()) {
                case ALL, LATERAL_ALL -> outer -= lateral.size();
                case LATERAL -> outer--;
                default -> { }
            }
        }
        int star = outerStarWidth(m, outer);
        if (star < 0) return null;
        int[] columns = new int[resultWidth];
        int at = 0;
        int c = 0;
        for (Item item : m.items()) {
            switch (item.kind()) {
                case ALL, OUTER_ALL -> {
                    for (int i = 0; i < star; i++) columns[c++] = at++;
                    if (item.kind() == Kind.ALL) for (int f : lateral) columns[c++] = -(f + 1);
                }
                case OUTER -> columns[c++] = at++;
                case LATERAL_ALL -> {
                    for (int f : lateral) columns[c++] = -(f + 1);
                }
                case LATERAL -> columns[c++] = -(lateral.get(item.lateral()) + 1);
            }
        }
        return columns;
    }

    /**
     * @param outerWidth the number of outer columns the result (or the probe) has
     * @return the width of each {@code outer.*} item; 0 without one; -1 when {@code outerWidth} does not divide among them
     */
    private static int outerStarWidth(Shape m, int outerWidth) {
        long stars = m.items().stream().filter(i -> i.kind() == Kind.ALL || i.kind() == Kind.OUTER_ALL).count();
        long singles = m.items().stream().filter(i -> i.kind() == Kind.OUTER).count();
        if (outerWidth < singles || stars == 0 && outerWidth != singles || stars > 0 && (outerWidth - singles) % stars != 0) return -1;
        return stars == 0 ? 0 : (int) ((outerWidth - singles) / stars);
    }

    /**
     * Types whose text output tells their values apart exactly as {@code =} does, so that outer values are
     * grouped by their typed literals: integers, boolean, date, uuid and timestamps (numeric 1.0 = 1.00,
     * float 0 = -0, and text under a nondeterministic collation are not).
     */
    private static final Set<String> CANONICAL = Set.of("smallint", "integer", "bigint", "boolean", "date", "uuid",
            "timestamp without time zone", "timestamp with time zone");

    /**
     * @param literals the outer values of one probed row, each {@code 'text'::type} or {@code NULL::type}
     * @return whether all are of {@link #CANONICAL} types
     */
    static boolean canonical(List<String> literals) {
        for (String l : literals) {
            if (l == null || !endsWithCanonicalType(l)) return false;
        }
        return true;
    }

    private static boolean endsWithCanonicalType(String literal) {
        for (String suffix : CANONICAL_SUFFIXES) if (literal.endsWith(suffix)) return true;
        return false;
    }

    /** {@link #CANONICAL} as the ends of typed literals ({@code '5'::integer}); checked every statement, so without substrings. */
    private static final List<String> CANONICAL_SUFFIXES = CANONICAL.stream().map(t -> "::" + t).toList();

    /**
     * @param probed    the probe's rows ({@link #probeSql})
     * @param fixed     the number of value columns before the rank
     * @param ordinals  per probed row, its outer value's ordinal
     * @param needed    the hypertable columns the data nodes return, in their order
     * @param record    whether the probe returned the outer columns' {@code record_send} value ({@link #needsRecord})
     * @param described the statement's result columns as the access node database describes them, or null: without
     *                  {@code record}, the outer columns of a type {@link BinaryResults#fromText} reads are held in
     *                  binary too
     * @return the merge, or null when two outer rows tie on the ORDER BY's outer keys or the probe's width
     *         does not divide among the select list's {@code outer.*} items
     */
    static Merge merge(Shape m, List<List<String>> probed, int fixed, int[] ordinals, List<Column> needed, boolean record,
                       List<ColumnDescription> described) {
        int width = probed.getFirst().size() - fixed - (record ? 2 : 1);
        List<String> remote = needed.stream().map(Column::name).toList();
        List<Integer> lateral = m.lateralOutputs().stream().map(remote::indexOf).toList();
        if (lateral.contains(-1)) return null;
        int resultWidth = width;
        for (Item item : m.items()) {
            if (item.kind() == Kind.ALL || item.kind() == Kind.LATERAL_ALL) resultWidth += lateral.size();
            if (item.kind() == Kind.LATERAL) resultWidth++;
        }
        int[] columns = columns(m, resultWidth, lateral);
        if (columns == null) return null;
        boolean[] inBinary = new boolean[width];
        int[] types = new int[width];
        if (record) {
            java.util.Arrays.fill(inBinary, true);
        } else if (described != null && described.size() == columns.length) {
            for (int i = 0; i < columns.length; i++) {
                int c = columns[i];
                if (c < 0) continue;
                int type = described.get(i).typeOid();
                if (types[c] != 0 && types[c] != type) return null;
                types[c] = type;
                inBinary[c] = BinaryResults.fromText(type);
            }
        }
        Integer[] order = new Integer[probed.size()];
        long[] rank = new long[probed.size()];
        for (int r = 0; r < order.length; r++) {
            order[r] = r;
            rank[r] = Long.parseLong(probed.get(r).get(fixed));
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(r -> rank[r]));
        List<Integer> outerOrdinals = new ArrayList<>();
        List<byte[][]> values = new ArrayList<>();
        List<byte[][]> binary = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            int r = order[i];
            if (!m.orderKeys().isEmpty() && i > 0 && rank[r] == rank[order[i - 1]]) return null;
            outerOrdinals.add(ordinals[r]);
            List<String> row = probed.get(r).subList(fixed + 1, fixed + 1 + width);
            byte[][] v = new byte[row.size()][];
            for (int c = 0; c < v.length; c++) v[c] = row.get(c) == null ? null : row.get(c).getBytes(StandardCharsets.UTF_8);
            values.add(v);
            byte[][] b;
            if (record) {
                b = BinaryResults.record(probed.get(r).getLast().getBytes(StandardCharsets.US_ASCII));
                if (b.length != width) return null;
            } else {
                b = new byte[width][];
                for (int c = 0; c < width; c++) if (inBinary[c]) b[c] = BinaryResults.fromText(types[c], v[c]);
            }
            binary.add(b);
        }
        return new Merge(List.copyOf(outerOrdinals), values, binary, inBinary, columns, m.left(), m.firstOnly());
    }

    /** @return the table name qualifying {@code c}, unquoted; null when unqualified or schema-qualified */
    private static String qualifier(net.sf.jsqlparser.schema.Column c) {
        Table t = c.getTable();
        if (t == null || t.getName() == null || t.getSchemaName() != null) return null;
        return unquote(t.getName());
    }

    private static String unquote(String name) {
        return LateralJoins.unquote(name);
    }
}
