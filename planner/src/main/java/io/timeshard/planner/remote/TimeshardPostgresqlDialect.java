package io.timeshard.planner.remote;

import org.apache.calcite.sql.SqlAbstractDateTimeLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Calcite's PostgreSQL dialect with the fixes remote SQL needs (reference/calcite-notes.md):
 * timestamptz literals print as {@code TIMESTAMPTZ '…+00'} with an explicit offset (without it a
 * node in another session time zone shifts them), LIMIT/OFFSET print as PostgreSQL writes them
 * rather than {@code FETCH NEXT}, and string literals print as plain PostgreSQL literals (no
 * {@code _UTF-8} prefix, no {@code U&} form; standard_conforming_strings is on in every supported
 * PostgreSQL). Stateless and thread-safe.
 */
public final class TimeshardPostgresqlDialect extends PostgresqlSqlDialect {
    public static final TimeshardPostgresqlDialect INSTANCE = new TimeshardPostgresqlDialect();

    private TimeshardPostgresqlDialect() {
        super(PostgresqlSqlDialect.DEFAULT_CONTEXT.withDataTypeSystem(PgTypeSystem.INSTANCE));
    }

    @Override
    public void unparseDateTimeLiteral(SqlWriter writer, SqlAbstractDateTimeLiteral literal, int leftPrec, int rightPrec) {
        if (literal.getTypeName() == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
            writer.literal("TIMESTAMPTZ '" + literal.toFormattedString() + "+00'");
        } else {
            super.unparseDateTimeLiteral(writer, literal, leftPrec, rightPrec);
        }
    }

    @Override
    public void unparseOffsetFetch(SqlWriter writer, @Nullable SqlNode offset, @Nullable SqlNode fetch) {
        unparseFetchUsingLimit(writer, offset, fetch);
    }

    @Override
    public void quoteStringLiteral(StringBuilder buf, @Nullable String charsetName, String val) {
        buf.append('\'').append(val.replace("'", "''")).append('\'');
    }

    @Override
    public void quoteStringLiteralUnicode(StringBuilder buf, String val) {
        quoteStringLiteral(buf, null, val);
    }
}
