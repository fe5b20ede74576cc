package io.timeshard.accessnode.read;

import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.ChunkIndex;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.partitioning.ColumnType;
import io.timeshard.catalog.partitioning.SpaceHash;
import io.timeshard.catalog.partitioning.TimeValues;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.schema.Column;

/**
 * Chunk exclusion: the chunks a query's WHERE clause can reach, from its top-level AND conjuncts on
 * the time column ({@code <, <=, >, >=, =, BETWEEN} against a literal) and on the space column
 * ({@code =} or {@code IN} a list of literals, hashed as {@code get_partition_hash} does). Anything
 * else — OR, functions of the column, parameters, literals it cannot evaluate with certainty —
 * excludes nothing, so the answer is never narrowed wrongly. Literals without an offset are read in
 * the session's time zone. Stateless.
 */
final class ChunkExclusion {
    private ChunkExclusion() {}

    /** The reachable part of the time dimension and, when known, the space hashes. */
    record Bounds(long timeLow, long timeHigh, Set<Integer> hashes) {
        boolean admits(Chunk c) {
            if (c.timeSlice().end() <= timeLow || c.timeSlice().start() > timeHigh) return false;
            if (hashes == null || c.spaceSlice() == null) return true;
            for (int h : hashes) if (c.spaceSlice().contains(h)) return true;
            return false;
        }
    }

    /**
     * @return the chunks of {@code index} (null: none) that rows matching {@code where} may live in,
     *         ordered by time slice; costs O(log n + chunks in the time range), never a scan of every chunk
     */
    static List<Chunk> reachable(Hypertable ht, ChunkIndex index, Expression where, ZoneId zone) {
        if (index == null) return new ArrayList<>();
        Bounds b = bounds(ht, where, zone);
        List<Chunk> out = index.overlapping(b.timeLow(), b.timeHigh());
        if (b.hashes() != null) out.removeIf(c -> !b.admits(c));
        return out;
    }

    static Bounds bounds(Hypertable ht, Expression where, ZoneId zone) {
        long[] time = {Long.MIN_VALUE, Long.MAX_VALUE};
        Set<Integer>[] hashes = new Set[] {null};
        if (where != null) {
            for (Expression conjunct : conjuncts(where)) apply(ht, conjunct, zone, time, hashes);
        }
        return new Bounds(time[0], time[1], hashes[0]);
    }

    private static List<Expression> conjuncts(Expression e) {
        List<Expression> out = new ArrayList<>();
        if (e instanceof Parenthesis p) return conjuncts(p.getExpression());
        if (e instanceof AndExpression and) {
            out.addAll(conjuncts(and.getLeftExpression()));
            out.addAll(conjuncts(and.getRightExpression()));
        } else {
            out.add(e);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void apply(Hypertable ht, Expression e, ZoneId zone, long[] time, Set<Integer>[] hashes) {
        String timeCol = ht.time().columnName();
        if (e instanceof Between b && !b.isNot() && isColumn(b.getLeftExpression(), timeCol)) {
            Long lo = timeValue(ht, b.getBetweenExpressionStart(), zone);
            Long hi = timeValue(ht, b.getBetweenExpressionEnd(), zone);
            if (lo != null) time[0] = Math.max(time[0], lo);
            if (hi != null) time[1] = Math.min(time[1], hi);
            return;
        }
        if (e instanceof ComparisonOperator op) {
            Expression left = op.getLeftExpression();
            Expression right = op.getRightExpression();
            boolean flipped = false;
            if (!isColumn(left, timeCol) && !isSpace(ht, left)) {
                Expression t = left;
                left = right;
                right = t;
                flipped = true;
            }
            if (isColumn(left, timeCol)) {
                Long v = timeValue(ht, right, zone);
                if (v == null) return;
                boolean greater = op instanceof GreaterThan || op instanceof GreaterThanEquals;
                boolean less = op instanceof MinorThan || op instanceof MinorThanEquals;
                if (flipped) {
                    boolean g = greater;
                    greater = less;
                    less = g;
                }
                if (op instanceof EqualsTo) {
                    time[0] = Math.max(time[0], v);
                    time[1] = Math.min(time[1], v);
                } else if (greater) {
                    time[0] = Math.max(time[0], v);
                } else if (less) {
                    time[1] = Math.min(time[1], v);
                }
            } else if (op instanceof EqualsTo && isSpace(ht, left)) {
                Integer h = spaceHash(ht, right);
                if (h != null) hashes[0] = intersect(hashes[0], Set.of(h));
            }
            return;
        }
        if (e instanceof InExpression in && !in.isNot() && isSpace(ht, in.getLeftExpression())
                && in.getRightExpression() instanceof ExpressionList<?> list) {
            Set<Integer> hs = new HashSet<>();
            for (Object o : list) {
                Integer h = spaceHash(ht, (Expression) o);
                if (h == null) return;
                hs.add(h);
            }
            hashes[0] = intersect(hashes[0], hs);
        }
    }

    private static Set<Integer> intersect(Set<Integer> a, Set<Integer> b) {
        if (a == null) return new HashSet<>(b);
        Set<Integer> out = new HashSet<>(a);
        out.retainAll(b);
        return out;
    }

    private static boolean isSpace(Hypertable ht, Expression e) {
        return ht.space() != null && isColumn(e, ht.space().columnName());
    }

    private static boolean isColumn(Expression e, String name) {
        if (!(e instanceof Column c)) return false;
        String n = c.getColumnName();
        if (n.startsWith("\"")) return n.substring(1, n.length() - 1).equals(name);
        return n.toLowerCase(Locale.ROOT).equals(name);
    }

    /** @return the literal's text, for string literals, typed literals and casts of them; else null */
    private static String literal(Expression e) {
        if (e instanceof StringValue s) return s.getValue().replace("''", "'");
        if (e instanceof DateTimeLiteralExpression d) {
            String v = d.getValue();
            return v.startsWith("'") ? v.substring(1, v.length() - 1) : v;
        }
        if (e instanceof CastExpression c && c.getLeftExpression() instanceof StringValue s) {
            return s.getValue().replace("''", "'"); // the column's own type decides how the text is read
        }
        if (e instanceof LongValue l) return l.getStringValue();
        return null;
    }

    private static Long timeValue(Hypertable ht, Expression e, ZoneId zone) {
        String text = literal(e);
        if (text == null || zone == null) return null;
        ColumnType type = ColumnType.fromTypeName(ht.time().columnType()).orElse(null);
        if (type == null) return null;
        try {
            // a date or timestamp literal compared with a timestamptz column is read in the session zone;
            // a timestamptz literal compared with a timestamp column would be ambiguous: exclude nothing
            return TimeValues.toInternal(type, text, zone);
        } catch (TimeValues.NotParsed | RuntimeException ex) {
            return null;
        }
    }

    private static Integer spaceHash(Hypertable ht, Expression e) {
        String text = literal(e);
        return text == null ? null : spaceHash(ht, text);
    }

    /**
     * @param text a value of the space column as PostgreSQL prints it
     * @return its partition hash as {@code get_partition_hash} computes it, or null when it cannot be
     *         computed here (then every space slice may hold it)
     */
    static Integer spaceHash(Hypertable ht, String text) {
        ColumnType type = ColumnType.fromTypeName(ht.space().columnType()).orElse(null);
        if (type == null) return null;
        try {
            return SpaceHash.partitionHash(type, text, ZoneId.of("UTC"));
        } catch (TimeValues.NotParsed | RuntimeException ex) {
            return null;
        }
    }
}
