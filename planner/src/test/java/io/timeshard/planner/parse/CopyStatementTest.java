package io.timeshard.planner.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.errors.PgException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The COPY … FROM STDIN grammar (both option syntaxes) and the statement sent to data nodes. */
class CopyStatementTest {
    @Test
    void textDefaults() {
        CopyStatement c = CopyStatement.parseFromStdin("COPY conditions FROM STDIN");
        assertEquals("conditions", c.table());
        assertNull(c.schema());
        assertEquals("text", c.format());
        assertEquals('\t', c.delimiter());
        assertEquals("\\N", c.nullString());
        assertFalse(c.header());
    }

    @Test
    void csvOptionListWithColumnsAndQualifiedName() {
        CopyStatement c = CopyStatement.parseFromStdin(
                "copy \"My Schema\".t (time, \"Device\") from stdin with (format csv, header true, delimiter ';', null 'NA', force_not_null (\"Device\"))");
        assertEquals("My Schema", c.schema());
        assertEquals("t", c.table());
        assertEquals(List.of("time", "Device"), c.columns());
        assertTrue(c.csv());
        assertTrue(c.header());
        assertEquals(';', c.delimiter());
        assertEquals("NA", c.nullString());
        assertEquals(List.of("Device"), c.forceNotNull());
    }

    @Test
    void legacySyntax() {
        CopyStatement c = CopyStatement.parseFromStdin("COPY t FROM STDIN WITH CSV HEADER DELIMITER AS '|' NULL AS ''");
        assertTrue(c.csv());
        assertTrue(c.header());
        assertEquals('|', c.delimiter());
        assertEquals("", c.nullString());
    }

    @Test
    void otherCopyFormsAreNotOurs() {
        assertNull(CopyStatement.parseFromStdin("COPY t TO STDOUT"));
        assertNull(CopyStatement.parseFromStdin("COPY t FROM '/tmp/file'"));
        assertNull(CopyStatement.parseFromStdin("COPY (SELECT 1) TO STDOUT"));
    }

    @Test
    void whereClauseAndUnknownOptionsAreRefused() {
        assertEquals("0A000", assertThrows(PgException.class,
                () -> CopyStatement.parseFromStdin("COPY t FROM STDIN WHERE x > 1")).sqlState());
        assertEquals("42601", assertThrows(PgException.class,
                () -> CopyStatement.parseFromStdin("COPY t FROM STDIN (bogus 1)")).sqlState());
    }

    @Test
    void dataNodeStatementQuotesEverythingAndDropsHeader() {
        CopyStatement c = CopyStatement.parseFromStdin("COPY t FROM STDIN (FORMAT csv, HEADER, QUOTE '''')");
        assertEquals("COPY \"public\".\"t\" (\"a\", \"b\") FROM STDIN WITH (FORMAT csv, DELIMITER ',', NULL '', QUOTE '''', ESCAPE '''')",
                c.toDataNodeSql("\"public\".\"t\"", List.of("a", "b")));
    }
}
