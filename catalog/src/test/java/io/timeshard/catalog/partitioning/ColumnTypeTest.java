package io.timeshard.catalog.partitioning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ColumnType} knows each type's OID, name and default hash function as the server's catalogs do. */
class ColumnTypeTest {
    private static ServerOracle pg;

    @BeforeAll
    static void startServer() throws Exception {
        pg = ServerOracle.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        pg.close();
    }

    @Test
    void oidNameAndHashFunctionMatchTheCatalogs() throws Exception {
        for (ColumnType t : ColumnType.values()) {
            assertEquals(t.sqlName(), pg.scalar("SELECT format_type(" + t.oid() + ", -1)"), t.name());
            assertEquals(Optional.of(t), ColumnType.fromTypeName(pg.scalar("SELECT format_type(" + t.oid() + ", NULL)")));
            String hashProc = pg.scalar("SELECT p.amproc::regproc::text FROM pg_opclass c"
                    + " JOIN pg_am a ON a.oid = c.opcmethod AND a.amname = 'hash'"
                    + " JOIN pg_amproc p ON p.amprocfamily = c.opcfamily AND p.amproclefttype = c.opcintype"
                    + " AND p.amprocrighttype = c.opcintype AND p.amprocnum = 1"
                    + " WHERE c.opcdefault AND c.opcintype = (SELECT CASE WHEN " + t.oid() + " = 1043 THEN 25 ELSE "
                    + t.oid() + " END)");
            assertEquals(t.hashFunction(), hashProc, t.name());
        }
    }

    @Test
    void columnTypeNamesWithModifiersAreRecognised() throws Exception {
        pg.execute("CREATE TABLE IF NOT EXISTS typed (a varchar(10), b char(3), c timestamp(6) with time zone,"
                + " d timestamp(3), e int, f numeric, g int[], h \"char\")");
        String sql = "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'typed'::regclass AND attname = ";
        assertEquals(Optional.of(ColumnType.VARCHAR), ColumnType.fromTypeName(pg.scalar(sql + "'a'")));
        assertEquals(Optional.of(ColumnType.BPCHAR), ColumnType.fromTypeName(pg.scalar(sql + "'b'")));
        assertEquals(Optional.of(ColumnType.TIMESTAMPTZ), ColumnType.fromTypeName(pg.scalar(sql + "'c'")));
        assertEquals(Optional.empty(), ColumnType.fromTypeName(pg.scalar(sql + "'d'")), "timestamp(3) rounds on input");
        assertEquals(Optional.of(ColumnType.INT4), ColumnType.fromTypeName(pg.scalar(sql + "'e'")));
        assertEquals(Optional.empty(), ColumnType.fromTypeName(pg.scalar(sql + "'f'")));
        assertEquals(Optional.empty(), ColumnType.fromTypeName(pg.scalar(sql + "'g'")));
        assertEquals(Optional.empty(), ColumnType.fromTypeName(pg.scalar(sql + "'h'")));
    }

    @Test
    void internalNamesAndCaseAreAccepted() {
        assertEquals(Optional.of(ColumnType.TIMESTAMPTZ), ColumnType.fromTypeName("TIMESTAMPTZ"));
        assertEquals(Optional.of(ColumnType.INT8), ColumnType.fromTypeName("pg_catalog.int8"));
        assertEquals(Optional.of(ColumnType.FLOAT8), ColumnType.fromTypeName("Double Precision"));
        assertEquals(Optional.empty(), ColumnType.fromTypeName("integer(5)"));
        assertEquals(Optional.empty(), ColumnType.fromTypeName(null));
    }
}
