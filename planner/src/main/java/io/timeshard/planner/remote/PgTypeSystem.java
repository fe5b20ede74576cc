package io.timeshard.planner.remote;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system bent towards PostgreSQL's: timestamps keep microseconds (precision 6, where
 * Calcite's default of 3 silently truncated literals — calcite-notes pitfall 2), numeric holds up to
 * 1000 digits, and the aggregate result types follow PostgreSQL ({@code sum(integer)} is bigint,
 * {@code sum(bigint)} and {@code avg} of integers are numeric, {@code avg(real)} is double precision).
 * Calcite's inferred types then agree with the PostgreSQL types the planner reports. Stateless.
 */
public final class PgTypeSystem extends RelDataTypeSystemImpl {
    public static final PgTypeSystem INSTANCE = new PgTypeSystem();

    private PgTypeSystem() {}

    @Override
    public int getMaxPrecision(SqlTypeName typeName) {
        return switch (typeName) {
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ, TIME, TIME_WITH_LOCAL_TIME_ZONE -> 6;
            case DECIMAL -> 1000;
            default -> super.getMaxPrecision(typeName);
        };
    }

    @Override
    public int getDefaultPrecision(SqlTypeName typeName) {
        return switch (typeName) {
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> 6;
            default -> super.getDefaultPrecision(typeName);
        };
    }

    @Override
    public int getMaxScale(SqlTypeName typeName) {
        return typeName == SqlTypeName.DECIMAL ? 1000 : super.getMaxScale(typeName);
    }

    @Override
    public RelDataType deriveSumType(RelDataTypeFactory factory, RelDataType argumentType) {
        RelDataType type = switch (argumentType.getSqlTypeName()) {
            case TINYINT, SMALLINT, INTEGER -> factory.createSqlType(SqlTypeName.BIGINT);
            case BIGINT, DECIMAL -> factory.createSqlType(SqlTypeName.DECIMAL, 1000, 0);
            default -> argumentType;
        };
        return factory.createTypeWithNullability(type, argumentType.isNullable());
    }

    @Override
    public RelDataType deriveAvgAggType(RelDataTypeFactory factory, RelDataType argumentType) {
        RelDataType type = switch (argumentType.getSqlTypeName()) {
            case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL -> factory.createSqlType(SqlTypeName.DECIMAL, 1000, 0);
            case REAL, FLOAT, DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
            default -> argumentType;
        };
        return factory.createTypeWithNullability(type, argumentType.isNullable());
    }
}
