package io.timeshard.catalog.partitioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.timeshard.catalog.errors.PgException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SpaceHash} equals {@code _timescaledb_functions.get_partition_hash} as installed by
 * partitioning.sql, which in turn equals TimescaleDB's definition: the type-cache hash masked to 31 bits.
 */
class SpaceHashTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static ServerOracle pg;
    private final Random random = new Random(7);

    @BeforeAll
    static void startServer() throws Exception {
        pg = ServerOracle.start();
        pg.installPartitioningSql();
        pg.installPartitioningSql(); // idempotent
        pg.execute("SET TimeZone = 'America/New_York'");
    }

    @AfterAll
    static void stopServer() throws Exception {
        pg.close();
    }

    /** What the server says for one text: the hash, or the error's SQLSTATE and message. */
    private record ServerAnswer(Integer hash, String sqlState, String message) {}

    private static ServerAnswer ask(ColumnType type, String text) throws SQLException {
        String sql = "SELECT _timescaledb_functions.get_partition_hash(?::text::" + type.sqlName() + ")";
        try (PreparedStatement ps = pg.conn.prepareStatement(sql)) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ServerAnswer(rs.getInt(1), null, null);
            }
        } catch (SQLException e) {
            return new ServerAnswer(null, e.getSQLState(), e.getMessage().replaceFirst("^ERROR: ", ""));
        }
    }

    private static void assertSameHash(ColumnType type, String... texts) throws Exception {
        for (String text : texts) {
            ServerAnswer server = ask(type, text);
            assertEquals(null, server.sqlState(), () -> type + " '" + text + "': " + server.message());
            assertEquals(server.hash(), SpaceHash.partitionHash(type, text, NEW_YORK), () -> type + " '" + text + "'");
        }
    }

    private static void assertSameError(ColumnType type, String... texts) throws Exception {
        for (String text : texts) {
            ServerAnswer server = ask(type, text);
            assertTrue(server.sqlState() != null, () -> type + " '" + text + "' is accepted by the server");
            PgException e = assertThrows(PgException.class, () -> SpaceHash.partitionHash(type, text, NEW_YORK),
                    () -> type + " '" + text + "'");
            assertEquals(server.sqlState(), e.sqlState(), () -> type + " '" + text + "'");
            assertEquals(server.message(), e.getMessage(), () -> type + " '" + text + "'");
        }
    }

    private static void assertHandedToServer(ColumnType type, String... texts) {
        for (String text : texts) {
            assertThrows(TimeValues.NotParsed.class, () -> SpaceHash.partitionHash(type, text, NEW_YORK),
                    () -> type + " '" + text + "'");
        }
    }

    @Test
    void everyOverloadIsTheTypeCacheHashMaskedTo31Bits() throws Exception {
        String[][] samples = {
            {"smallint", "-7"}, {"integer", "123456"}, {"bigint", "-9876543210"}, {"text", "abc"},
            {"character varying", "abc"}, {"character", "ab  "}, {"name", "pg_class"},
            {"uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}, {"date", "2019-01-01"}, {"date", "infinity"},
            {"date", "-infinity"}, {"timestamp without time zone", "2019-01-01 10:00"},
            {"timestamp with time zone", "2019-01-01 10:00+02"}, {"timestamp with time zone", "infinity"},
            {"real", "1.5"}, {"double precision", "-0"}, {"boolean", "true"}, {"boolean", "false"}, {"oid", "4294967295"},
        };
        for (String[] s : samples) {
            String value = "'" + s[1] + "'::" + s[0];
            String sql = "SELECT _timescaledb_functions.get_partition_hash(" + value + ") = "
                    + "(((hash_array(ARRAY[" + value + "])::int8 - 31) & 4294967295)::bit(32)::int4 & 2147483647)";
            assertEquals("t", pg.scalar(sql), sql);
        }
    }

    @Test
    void everyFunctionIsImmutableAndStrict() throws Exception {
        assertEquals("21", pg.scalar("SELECT count(*) FROM pg_proc WHERE pronamespace = '_timescaledb_functions'::regnamespace"
                + " AND provolatile = 'i' AND proisstrict AND proparallel = 's'"));
    }

    @Test
    void integersHashAsTheServerParsesThem() throws Exception {
        assertSameHash(ColumnType.INT2, "0", "1", "-1", " 12 ", "+5", "-32768", "32767", "\t7\n", "007");
        assertSameHash(ColumnType.INT4, "0", "-2147483648", "2147483647", " -42 ", "+0");
        assertSameHash(ColumnType.INT8, "0", "-9223372036854775808", "9223372036854775807", "4294967296", "-1");
        List<String> ints = new ArrayList<>();
        random.ints(3000).forEach(v -> ints.add(Integer.toString(v)));
        assertBatch(ColumnType.INT4, ints);
        List<String> longs = new ArrayList<>();
        random.longs(3000).forEach(v -> longs.add(Long.toString(v)));
        assertBatch(ColumnType.INT8, longs);
    }

    @Test
    void badIntegersFailAsOnTheServer() throws Exception {
        assertSameError(ColumnType.INT2, "32768", "-32769", "abc", "", " ", "-", "1.5", "99999x", "1 2", "0x10");
        assertSameError(ColumnType.INT4, "2147483648", "-2147483649", "12a", "99999999999x", "1e3");
        assertSameError(ColumnType.INT8, "9223372036854775808", "-9223372036854775809", "99999999999999999999", "--1");
    }

    @Test
    void textTypesHashTheirCharacters() throws Exception {
        assertSameHash(ColumnType.TEXT, "", "abc", " abc ", "日本語", "😀x");
        assertSameHash(ColumnType.VARCHAR, "", "abc", "abc  ");
        assertSameHash(ColumnType.BPCHAR, "", "abc", "abc   ", "  abc", "a b ");
        assertSameHash(ColumnType.NAME, "", "pg_class", "x".repeat(70), "é".repeat(40));
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            texts.add(Long.toString(random.nextLong(), 36).repeat(random.nextInt(5)) + " ".repeat(random.nextInt(3)));
        }
        assertBatch(ColumnType.TEXT, texts);
        assertBatch(ColumnType.BPCHAR, texts);
    }

    @Test
    void uuidsHashInEveryInputForm() throws Exception {
        assertSameHash(ColumnType.UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
                "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
                "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "{a0eebc999c0b4ef8bb6d6bb9bd380a11}",
                "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff");
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            uuids.add(new UUID(random.nextLong(), random.nextLong()).toString());
        }
        assertBatch(ColumnType.UUID, uuids);
    }

    @Test
    void badUuidsFailAsOnTheServer() throws Exception {
        assertSameError(ColumnType.UUID, "", " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-", "a0e-ebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
                "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11");
    }

    @Test
    void floatsHashAsTheServerParsesThem() throws Exception {
        String[] common = {"0", "-0", "1.5", " 1e10 ", "NaN", "nan", "-Infinity", "inf", "+inf", "Infinity", "0.1",
            "-.5", "5.", "1E+2", "123456789012345678901234567890"};
        assertSameHash(ColumnType.FLOAT4, common);
        assertSameHash(ColumnType.FLOAT4, "1e-40", "3.4028235e38", "1.17549435e-38", "16777217");
        assertSameHash(ColumnType.FLOAT8, common);
        assertSameHash(ColumnType.FLOAT8, "4.9e-324", "1.7976931348623157e308", "9007199254740993", "2.2250738585072014e-308");
        List<String> floats = new ArrayList<>();
        List<String> doubles = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            floats.add(Float.isNaN(f) ? "NaN" : String.format("%.12g", f));
            double d = Double.longBitsToDouble(random.nextLong());
            doubles.add(Double.isNaN(d) ? "NaN" : Double.toString(d));
        }
        assertBatch(ColumnType.FLOAT4, floats);
        assertBatch(ColumnType.FLOAT8, doubles);
    }

    @Test
    void floatsOutOfRangeOrInOtherFormsAreHandedToTheServer() {
        assertHandedToServer(ColumnType.FLOAT4, "1e39", "1e-50", "0x1p3", "1,5", "infinit");
        assertHandedToServer(ColumnType.FLOAT8, "1e309", "1e-400", "0x1p3");
    }

    @Test
    void booleansHashInEveryInputForm() throws Exception {
        assertSameHash(ColumnType.BOOL, "t", "TRUE", "tr", " yes ", "y", "on", "ON", "1", "f", "False", "n", "no",
                "of", "off", "0");
        assertSameError(ColumnType.BOOL, "o", "", "tru e", "2", "truee", "yess");
    }

    @Test
    void oidsHashAsTheServerParsesThem() throws Exception {
        assertSameHash(ColumnType.OID, "0", "1", "4294967295", "-1", "-2147483648", " 12 ", "+7", "2147483648");
        assertSameError(ColumnType.OID, "", "4294967296", "-2147483649", "abc", " ", "1x");
    }

    @Test
    void timeValuesHashAsStoredInTheSessionZone() throws Exception {
        assertSameHash(ColumnType.DATE, "2019-01-01", "2019/1/1", " 1970-01-01 ", "0001-01-01", "9999-12-31");
        assertSameHash(ColumnType.TIMESTAMP, "2019-01-01 00:00:00", "2019-01-01T10:11:12.5", "2019-01-01 10:00+05");
        assertSameHash(ColumnType.TIMESTAMPTZ, "2019-01-01 00:00:00+00", "2019-01-01 00:00", "2019-03-10 02:30",
                "2019-11-03 01:30", "2019-06-01 12:00:00.123456-07");
        assertHandedToServer(ColumnType.DATE, "infinity", "Jan 1 2019", "2019-01-01 10:00");
        assertHandedToServer(ColumnType.TIMESTAMPTZ, "now", "2019-01-01 00:00 EST", "epoch");
    }

    @Test
    void internalTimeHashesLikeTheStoredValue() throws Exception {
        long micros = TimeValues.toInternal(ColumnType.TIMESTAMPTZ, "2019-01-01 00:00:00.5+00", null);
        assertEquals(SpaceHash.partitionHash(ColumnType.TIMESTAMPTZ, "2019-01-01 00:00:00.5+00", null),
                SpaceHash.partitionHashOfInternalTime(ColumnType.TIMESTAMPTZ, micros));
        assertEquals(SpaceHash.partitionHash(ColumnType.DATE, "2019-01-01", null),
                SpaceHash.partitionHashOfInternalTime(ColumnType.DATE, TimeValues.toInternal(ColumnType.DATE, "2019-01-01", null)));
        assertEquals(SpaceHash.partitionHash(-5), SpaceHash.partitionHashOfInternalTime(ColumnType.INT4, -5));
        assertThrows(IllegalArgumentException.class, () -> SpaceHash.partitionHashOfInternalTime(ColumnType.DATE, 1));
    }

    @Test
    void hashesAreNeverNegative() {
        for (int i = 0; i < 10_000; i++) {
            assertTrue(SpaceHash.partitionHash(random.nextLong()) >= 0);
        }
    }

    private static void assertBatch(ColumnType type, List<String> texts) throws Exception {
        List<Integer> expected = pg.evalInts("_timescaledb_functions.get_partition_hash(x::" + type.sqlName() + ")",
                "text", texts.toArray());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            try {
                assertEquals(expected.get(i), SpaceHash.partitionHash(type, text, NEW_YORK), () -> type + " '" + text + "'");
            } catch (TimeValues.NotParsed e) {
                fail(type + " '" + text + "' not parsed: " + e.getMessage());
            }
        }
    }
}
