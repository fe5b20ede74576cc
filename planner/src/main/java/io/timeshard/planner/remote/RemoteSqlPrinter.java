package io.timeshard.planner.remote;

import io.timeshard.catalog.model.Identifiers;
import io.timeshard.planner.plan.DistinctOn;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;

/**
 * Prints the part of a plan that runs on a data node as PostgreSQL SQL, through Calcite's
 * {@link RelToSqlConverter} and {@link TimeshardPostgresqlDialect}. {@code SEARCH}/Sarg calls are
 * expanded first with the plan's own {@link RexBuilder} (calcite-notes pitfall 2: the converter
 * would expand them with the default type system and lose microseconds). A {@link DistinctOn} on top
 * is printed by hand around its input. Stateless and thread-safe.
 */
public final class RemoteSqlPrinter {
    private RemoteSqlPrinter() {}

    /** @return the SELECT statement for {@code rel}, whose output columns keep {@code rel}'s field names */
    public static String print(RelNode rel) {
        if (rel instanceof DistinctOn d) return distinctOn(d);
        RelNode expanded = rel.accept(new ExpandSearch(rel.getCluster().getRexBuilder()));
        RelToSqlConverter converter = new RelToSqlConverter(TimeshardPostgresqlDialect.INSTANCE);
        SqlNode statement = converter.visitRoot(expanded).asStatement();
        return toSql(statement);
    }

    /** @return {@code node} printed on one line in the PostgreSQL dialect */
    public static String toSql(SqlNode node) {
        return node.toSqlString(c -> c.withDialect(TimeshardPostgresqlDialect.INSTANCE)
                .withQuoteAllIdentifiers(true)
                .withIndentation(0)
                .withClauseStartsLine(false)
                .withClauseEndsLine(false)
                .withSelectListItemsOnSeparateLines(false)).getSql();
    }

    /**
     * @return {@code sql ASC|DESC NULLS FIRST|LAST} for one sort field: always explicit, so that the order
     *         never depends on PostgreSQL's defaults matching Calcite's
     */
    public static String orderItem(String sql, RelFieldCollation c) {
        return sql + (c.getDirection().isDescending() ? " DESC" : " ASC")
                + (c.nullDirection == RelFieldCollation.NullDirection.FIRST ? " NULLS FIRST" : " NULLS LAST");
    }

    /**
     * DISTINCT ON has no Calcite form: the input is printed and wrapped as a subquery, whose output names
     * the DISTINCT ON, ORDER BY, LIMIT and OFFSET refer to. PostgreSQL pulls such a subquery up into the
     * outer query, so indexes and sorts are planned as for the statement written flat.
     */
    private static String distinctOn(DistinctOn d) {
        List<String> fields = d.getRowType().getFieldNames();
        List<String> keys = new ArrayList<>();
        for (RelFieldCollation c : d.keyCollations()) keys.add(Identifiers.quote(fields.get(c.getFieldIndex())));
        List<String> order = new ArrayList<>();
        for (RelFieldCollation c : d.collation().getFieldCollations()) order.add(orderItem(Identifiers.quote(fields.get(c.getFieldIndex())), c));
        StringBuilder b = new StringBuilder("SELECT DISTINCT ON (").append(String.join(", ", keys)).append(") * FROM (")
                .append(print(d.getInput())).append(") AS ").append(Identifiers.quote("_ts_rows"))
                .append(" ORDER BY ").append(String.join(", ", order));
        if (d.fetch() != null) b.append(" LIMIT ").append(d.fetch());
        if (d.offset() != null) b.append(" OFFSET ").append(d.offset());
        return b.toString();
    }

    private static final class ExpandSearch extends RelHomogeneousShuttle {
        private final RexShuttle rexShuttle;

        ExpandSearch(RexBuilder rexBuilder) {
            this.rexShuttle = new RexShuttle() {
                @Override
                public RexNode visitCall(RexCall call) {
                    if (call.getKind() == SqlKind.SEARCH) return RexUtil.expandSearch(rexBuilder, null, call).accept(this);
                    return super.visitCall(call);
                }
            };
        }

        @Override
        public RelNode visit(RelNode other) {
            return super.visit(other).accept(rexShuttle);
        }
    }
}
