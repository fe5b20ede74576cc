package io.timeshard.planner.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.TimestampString;
import org.junit.jupiter.api.Test;

/** The dialect fixes from calcite-notes: timestamptz literals with an explicit offset and microseconds, plain string literals. */
class TimeshardPostgresqlDialectTest {
    @Test
    void timestamptzLiteralPrintsWithMicrosecondsAndExplicitUtcOffset() {
        SqlLiteral literal = SqlLiteral.createTimestamp(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
                new TimestampString("2024-03-10 07:30:00.123456"), 6, SqlParserPos.ZERO);
        assertEquals("TIMESTAMPTZ '2024-03-10 07:30:00.123456+00'", RemoteSqlPrinter.toSql(literal));
    }

    @Test
    void stringLiteralPrintsAsPlainPostgresLiteral() {
        assertEquals("'élan''s \\n'", RemoteSqlPrinter.toSql(SqlLiteral.createCharString("élan's \\n", SqlParserPos.ZERO)));
    }
}
