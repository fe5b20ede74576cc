package io.timeshard.planner.remote;

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
 * would expand them with the default type system and lose microseconds). Stateless and thread-safe.
 */
public final class RemoteSqlPrinter {
    private RemoteSqlPrinter() {}

    /** @return the SELECT statement for {@code rel}, whose output columns keep {@code rel}'s field names */
    public static String print(RelNode rel) {
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
