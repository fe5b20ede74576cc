package io.timeshard.planner.plan;

import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.Hypertable;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.prepare.RelOptTableImpl;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;

/**
 * The hypertable's root table as a Calcite table scan (schema and name as on every data node; one
 * field per column, typed by {@link PgTypes#toCalcite}), with the {@link DataNodeGather} above it
 * where planning starts. Immutable.
 */
record HypertableScan(TableScan scan, DataNodeGather gather) {
    static HypertableScan create(RelOptCluster cluster, Hypertable hypertable, PlanContext context) {
        RelDataTypeFactory factory = cluster.getTypeFactory();
        RelDataTypeFactory.Builder row = factory.builder();
        for (Column c : hypertable.columns()) row.add(c.name(), PgTypes.toCalcite(factory, c.typeName()));
        RelDataType rowType = row.build();
        RelOptTableImpl table = RelOptTableImpl.create(null, rowType, List.of(hypertable.schemaName(), hypertable.tableName()), null);
        TableScan scan = LogicalTableScan.create(cluster, table, List.of());
        String space = hypertable.space() == null ? null : hypertable.space().columnName();
        DataNodeGather.Placement placement = new DataNodeGather.Placement(hypertable.time().columnName(), space,
                context.spaceValuesStayOnOneNode(), context.dataNodes().size() == 1);
        return new HypertableScan(scan, DataNodeGather.create(scan, placement));
    }

    RelDataType rowType() {
        return scan.getRowType();
    }
}
