package io.timeshard.planner.plan;

import io.timeshard.catalog.model.Hypertable;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * Checks that a PlainSelect has the shape the fast path takes: one table (the hypertable), no
 * joins, CTEs, INTO, windows, locking, FETCH, or dialect extras JSqlParser accepts beyond PostgreSQL
 * (UNIQUE, DISTINCTROW). Stateless.
 */
final class SelectShape {
    private SelectShape() {}

    /** @return how the statement names the hypertable; throws {@link Declined} for any other shape */
    static TableNames check(PlainSelect ps, Hypertable hypertable) {
        if (!(ps.getFromItem() instanceof Table table) || table.getPivot() != null || table.getUnPivot() != null
                || table.getSampleClause() != null || table.getIndexHint() != null || table.getSqlServerHints() != null) {
            throw new Declined("FROM is not a single table");
        }
        if (ps.getJoins() != null && !ps.getJoins().isEmpty() || ps.getWithItemsList() != null || ps.getIntoTables() != null
                || ps.getLateralViews() != null || ps.getTop() != null || ps.getSkip() != null || ps.getFirst() != null
                || ps.getQualify() != null || ps.getOracleHierarchical() != null || ps.getWindowDefinitions() != null
                || ps.getSampleClause() != null || ps.getPreWhere() != null || ps.getFetch() != null || ps.getForMode() != null
                || ps.getForUpdateTable() != null || ps.getLimitBy() != null || ps.getIsolation() != null
                || ps.getKsqlWindow() != null || ps.getPreferringClause() != null || ps.getIntoTempTable() != null
                || ps.getOracleHint() != null || ps.getForXmlPath() != null || ps.getOptimizeFor() != null
                || ps.isUsingOnly() || ps.isUsingFinal() || ps.getMySqlSelectIntoClause() != null) {
            throw new Declined("statement clause outside the fast path");
        }
        if (ps.getDistinct() != null && (ps.getDistinct().isUseUnique() || ps.getDistinct().isUseDistinctRow()
                || ps.getDistinct().getOnSelectItems() != null && ps.getDistinct().getOnSelectItems().isEmpty())) {
            throw new Declined("UNIQUE, DISTINCTROW or DISTINCT ON ()");
        }
        if (ps.getGroupBy() != null && (ps.getGroupBy().getGroupingSets() != null && !ps.getGroupBy().getGroupingSets().isEmpty()
                || ps.getGroupBy().isMysqlWithRollup())) {
            throw new Declined("GROUPING SETS/ROLLUP/CUBE");
        }
        TableNames names = TableNames.of(table);
        if (!names.table().equals(hypertable.tableName()) || names.schema() != null && !names.schema().equals(hypertable.schemaName())) {
            throw new Declined("relation " + table + " is not the hypertable " + hypertable.qualifiedName());
        }
        return names;
    }
}
