package io.timeshard.accessnode.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.errors.PgException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryResultsTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aBindsFormatCodesApplyToNoneOneOrEachColumn() {
        assertNull(BinaryResults.binary(new short[0], 3));
        assertNull(BinaryResults.binary(new short[] {0}, 3));
        assertArrayEquals(new boolean[] {true, true, true}, BinaryResults.binary(new short[] {1}, 3));
        assertArrayEquals(new boolean[] {false, true, false}, BinaryResults.binary(new short[] {0, 1, 0}, 3));
        assertTrue(BinaryResults.valid(new short[] {0, 1, 0}, 3));
        assertFalse(BinaryResults.valid(new short[] {0, 1}, 3), "neither one code nor one per column");
        assertFalse(BinaryResults.valid(new short[] {2}, 3), "no format 2");
    }

    @Test
    void aRemoteColumnIsWantedInOneFormatOnly() {
        boolean[] binary = {true, false, true};
        assertArrayEquals(new boolean[] {false, true, false, true}, BinaryResults.remote(Arrays.asList(1, null, 3), binary, 4));
        assertNull(BinaryResults.remote(List.of(1, 1, 3), binary, 4), "column 1 in binary and in text");
        assertArrayEquals(new boolean[] {false, false}, BinaryResults.remote(List.of(0, 1), null, 2));
        assertFalse(BinaryResults.any(new boolean[] {false, false}));
        assertFalse(BinaryResults.any(null));
    }

    @Test
    void theRemoteQueryKeepsTextColumnsInPlaceAndSendsTheBinaryOnesAsOneRecord() {
        assertEquals("SELECT \"_ts_binary\".\"1\", NULL, \"_ts_binary\".\"3\", NULL, record_send(ROW(\"_ts_binary\".\"2\", "
                        + "\"_ts_binary\".\"4\")) FROM (SELECT a, b, c, d FROM t ORDER BY a LIMIT 5) AS \"_ts_binary\"(\"1\", \"2\", \"3\", \"4\")",
                BinaryResults.remoteSql("SELECT a, b, c, d FROM t ORDER BY a LIMIT 5", 1, new boolean[] {true, false, true}));
    }

    @Test
    void aRecordSendValueSplitsIntoItsColumns() {
        // SELECT encode(record_send(ROW(time, usage_user, NULL::int)), 'hex') on PostgreSQL 15: a timestamptz, a
        // float8 (73.0) and a NULL integer
        byte[][] v = BinaryResults.record(ascii("00000003000004a0000000080001cb39389b8000000002bd00000008405240000000000000000017ffffffff"));
        assertEquals(3, v.length);
        assertArrayEquals(new byte[] {0, 1, (byte) 0xcb, 0x39, 0x38, (byte) 0x9b, (byte) 0x80, 0}, v[0]);
        assertEquals(73.0, java.nio.ByteBuffer.wrap(v[1]).getDouble());
        assertNull(v[2]);
        // the same as pgjdbc reads the bytea in binary, and as COPY's text format gives it back
        String hex = "00000003000004a0000000080001cb39389b8000000002bd00000008405240000000000000000017ffffffff";
        byte[][] raw = BinaryResults.record(java.util.HexFormat.of().parseHex(hex));
        byte[][] copied = BinaryResults.record(ascii("\\x" + hex));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(v[i], raw[i]);
            assertArrayEquals(v[i], copied[i]);
        }
        assertThrows(PgException.class, () -> BinaryResults.record(ascii("\\y" + hex)));
    }

    @Test
    void aRowsValuesTakeTheBinaryOnesFromItsLastField() {
        byte[][] fields = {ascii("a"), null, ascii("c"), ascii("00000001000000170000000400000005")};
        byte[][] values = BinaryResults.values(fields, new boolean[] {false, true, false});
        assertEquals("a", new String(values[0], StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {0, 0, 0, 5}, values[1]);
        assertEquals("c", new String(values[2], StandardCharsets.US_ASCII));
    }

    @Test
    void integersBooleansAndTextsAreReadInBinaryFromTheirText() {
        // SELECT int2send(-2::int2), int4send(7), int8send(-1), oidsend(4294967295), boolsend(true), textsend('ü') on PostgreSQL 15
        assertArrayEquals(new byte[] {-1, -2}, BinaryResults.fromText(21, ascii("-2")));
        assertArrayEquals(new byte[] {0, 0, 0, 7}, BinaryResults.fromText(23, ascii("7")));
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}, BinaryResults.fromText(20, ascii("-1")));
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, BinaryResults.fromText(26, ascii("4294967295")));
        assertArrayEquals(new byte[] {1}, BinaryResults.fromText(16, ascii("t")));
        assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xbc}, BinaryResults.fromText(25, "ü".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertNull(BinaryResults.fromText(23, null));
        assertEquals(false, BinaryResults.fromText(701), "a float's text depends on extra_float_digits");
        assertEquals(false, BinaryResults.fromText(1184), "a timestamp's on DateStyle and TimeZone");
        assertEquals("XX000", assertThrows(PgException.class, () -> BinaryResults.fromText(21, ascii("40000"))).sqlState());
        assertThrows(PgException.class, () -> BinaryResults.fromText(23, ascii("1.5")));
        assertThrows(PgException.class, () -> BinaryResults.fromText(16, ascii("true")));
        assertThrows(PgException.class, () -> BinaryResults.fromText(701, ascii("1")));
    }

    @Test
    void aMalformedRecordIsAnInternalError() {
        assertEquals("XX000", assertThrows(PgException.class, () -> BinaryResults.record(ascii("0000000100000017000000040000"))).sqlState());
        assertThrows(PgException.class, () -> BinaryResults.record(ascii("0000000X")), "not hex");
        assertThrows(PgException.class, () -> BinaryResults.record(null));
        assertThrows(PgException.class, () -> BinaryResults.values(new byte[][] {ascii("a")}, new boolean[] {true}), "no record field");
        assertThrows(PgException.class, () -> BinaryResults.values(new byte[][] {null, ascii("00000002000000170000000400000005"
                + "0000001700000004" + "00000006")}, new boolean[] {true}), "more binary columns than wanted");
    }
}
