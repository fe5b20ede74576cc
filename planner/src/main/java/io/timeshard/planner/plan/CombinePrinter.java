package io.timeshard.planner.plan;

import io.timeshard.catalog.model.Identifiers;
import io.timeshard.planner.remote.PgSqlOperators;
import io.timeshard.planner.remote.RemoteSqlPrinter;
import io.timeshard.planner.remote.TimeshardPostgresqlDialect;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.rel2sql.SqlImplementor;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelectKeyword;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Prints the access node's part of a plan — the relations above the {@link DataNodeGather} — as one
 * SELECT over {@code _ts_remote}: projections and filters fold into the select list, WHERE or HAVING,
 * a merge aggregate into GROUP BY, a sort into ORDER BY/LIMIT/OFFSET, a {@link DistinctOn} into
 * DISTINCT ON with them; a projection with window
 * columns becomes a subquery (PostgreSQL allows no window inside an aggregate). Column references
 * are qualified ({@code "_ts_remote"."o1"}) so that ORDER BY never resolves them to an output alias.
 * Expressions print through Calcite's {@link SqlImplementor} in {@link TimeshardPostgresqlDialect}.
 * Stateless.
 */
final class CombinePrinter {
    private static final String TABLE = "_ts_remote";
    private static final SqlParserPos POS = SqlParserPos.ZERO;

    private CombinePrinter() {}

    /** Mutable state of one SELECT being assembled. */
    private static final class Select {
        List<SqlNode> fields = new ArrayList<>();
        String from = Identifiers.quote(TABLE);
        final List<String> where = new ArrayList<>();
        final List<String> having = new ArrayList<>();
        List<String> groupBy;
        List<String> distinctOn;
        List<String> orderBy;
        Long offset;
        Long fetch;
    }

    /**
     * @param chain       the relations above the gather, bottom-up
     * @param gather      the gather
     * @param outputNames the client's column names, one per field of the top relation
     */
    static String print(List<RelNode> chain, DataNodeGather gather, List<String> outputNames) {
        Select s = new Select();
        for (String name : gather.getRowType().getFieldNames()) s.fields.add(new SqlIdentifier(List.of(TABLE, name), POS));
        for (RelNode rel : chain) {
            switch (rel) {
                case Project p -> project(s, p);
                case Filter f -> filter(s, f);
                case Aggregate a -> aggregate(s, a);
                case Sort sort -> sort(s, sort);
                case DistinctOn d -> distinctOn(s, d);
                default -> throw new Declined("cannot combine " + rel.getRelTypeName());
            }
        }
        if (s.fields.size() != outputNames.size()) throw new IllegalStateException("combine has " + s.fields.size() + " columns");
        List<String> items = new ArrayList<>();
        for (int i = 0; i < s.fields.size(); i++) items.add(sql(s.fields.get(i)) + " AS " + Identifiers.quote(outputNames.get(i)));
        return assemble(s, items);
    }

    private static String assemble(Select s, List<String> items) {
        StringBuilder b = new StringBuilder("SELECT ");
        if (s.distinctOn != null) b.append("DISTINCT ON (").append(String.join(", ", s.distinctOn)).append(") ");
        b.append(String.join(", ", items)).append(" FROM ").append(s.from);
        if (!s.where.isEmpty()) b.append(" WHERE ").append(String.join(" AND ", s.where));
        if (s.groupBy != null && !s.groupBy.isEmpty()) b.append(" GROUP BY ").append(String.join(", ", s.groupBy));
        if (!s.having.isEmpty()) b.append(" HAVING ").append(String.join(" AND ", s.having));
        if (s.orderBy != null && !s.orderBy.isEmpty()) b.append(" ORDER BY ").append(String.join(", ", s.orderBy));
        if (s.fetch != null) b.append(" LIMIT ").append(s.fetch);
        if (s.offset != null) b.append(" OFFSET ").append(s.offset);
        return b.toString();
    }

    private static String sql(SqlNode node) {
        return RemoteSqlPrinter.toSql(node);
    }

    private static SqlImplementor.SimpleContext context(Select s) {
        List<SqlNode> fields = s.fields;
        return new SqlImplementor.SimpleContext(TimeshardPostgresqlDialect.INSTANCE, fields::get);
    }

    private static void project(Select s, Project p) {
        SqlImplementor.SimpleContext ctx = context(s);
        List<SqlNode> next = new ArrayList<>();
        for (RexNode e : p.getProjects()) next.add(ctx.toSql(null, e));
        if (p.getProjects().stream().anyMatch(CombinePrinter::hasWindow)) {
            if (s.groupBy != null || s.orderBy != null) throw new Declined("window after aggregate or sort");
            List<String> items = new ArrayList<>();
            List<SqlNode> columns = new ArrayList<>();
            for (int i = 0; i < next.size(); i++) {
                String name = "w" + i;
                items.add(sql(next.get(i)) + " AS " + Identifiers.quote(name));
                columns.add(new SqlIdentifier(List.of(TABLE, name), POS));
            }
            Select inner = new Select();
            inner.from = s.from;
            inner.where.addAll(s.where);
            s.from = "(" + assemble(inner, items) + ") AS " + Identifiers.quote(TABLE);
            s.where.clear();
            next = columns;
        }
        s.fields = next;
    }

    private static boolean hasWindow(RexNode e) {
        Boolean found = e.accept(new RexVisitorImpl<Boolean>(true) {
            @Override
            public Boolean visitCall(RexCall call) {
                if (PgSqlOperators.isWindow(call.getOperator())) return true;
                for (RexNode operand : call.getOperands()) {
                    if (Boolean.TRUE.equals(operand.accept(this))) return true;
                }
                return false;
            }
        });
        return Boolean.TRUE.equals(found);
    }

    private static void filter(Select s, Filter f) {
        if (s.orderBy != null) throw new Declined("filter after sort");
        String condition = sql(context(s).toSql(null, f.getCondition()));
        (s.groupBy != null ? s.having : s.where).add("(" + condition + ")");
    }

    private static void aggregate(Select s, Aggregate a) {
        if (s.groupBy != null || s.orderBy != null || a.getGroupType() != Aggregate.Group.SIMPLE) throw new Declined("nested aggregate");
        List<SqlNode> next = new ArrayList<>();
        List<String> groupBy = new ArrayList<>();
        for (int key : a.getGroupSet()) {
            next.add(s.fields.get(key));
            groupBy.add(sql(s.fields.get(key)));
        }
        for (AggregateCall call : a.getAggCallList()) {
            // a FILTER only on a DISTINCT merge, over a boolean column of the union (DistinctSplit)
            if (call.filterArg >= 0 && !call.isDistinct() || call.getArgList().isEmpty()) throw new Declined("merge aggregate form " + call);
            SqlNode merge = call.getAggregation().createCall(call.isDistinct() ? SqlSelectKeyword.DISTINCT.symbol(POS) : null, POS,
                    call.getArgList().stream().map(s.fields::get).toList());
            next.add(call.filterArg >= 0 ? SqlStdOperatorTable.FILTER.createCall(POS, merge, s.fields.get(call.filterArg)) : merge);
        }
        s.fields = next;
        s.groupBy = groupBy;
        if (!s.where.isEmpty()) throw new Declined("row filter in combine");
    }

    private static void sort(Select s, Sort sort) {
        orderBy(s, sort.getCollation());
        if (sort.offset != null) s.offset = RexLiteral.longValue(sort.offset);
        if (sort.fetch != null) s.fetch = RexLiteral.longValue(sort.fetch);
    }

    private static void distinctOn(Select s, DistinctOn d) {
        orderBy(s, d.collation());
        s.distinctOn = new ArrayList<>();
        for (RelFieldCollation c : d.keyCollations()) s.distinctOn.add(sql(s.fields.get(c.getFieldIndex())));
        s.offset = d.offset();
        s.fetch = d.fetch();
    }

    private static void orderBy(Select s, RelCollation collation) {
        if (s.orderBy != null) throw new Declined("two sorts");
        s.orderBy = new ArrayList<>();
        for (RelFieldCollation c : collation.getFieldCollations()) {
            s.orderBy.add(RemoteSqlPrinter.orderItem(sql(s.fields.get(c.getFieldIndex())), c));
        }
    }
}
