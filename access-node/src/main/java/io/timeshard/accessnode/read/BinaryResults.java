package io.timeshard.accessnode.read;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.partitioning.ColumnType;

/**
 * Result columns a client asks for in binary format, answered by the access node from the data nodes'
 * rows without the combine query. PostgreSQL itself makes the binary: a remote query wanting some of its
 * columns in binary returns them as one more column, {@code record_send(ROW(…))} — a bytea, which the
 * data node pools' sessions read in binary (pgjdbc's {@code binaryTransferEnable}; COPY prints it as
 * {@code \x} and hex) — the
 * columns' send functions, as a backend sends them to a client asking for binary (PostgreSQL docs,
 * "Message Formats", DataRow; {@code record_send} in {@code src/backend/utils/adt/rowtypes.c}: an int32
 * column count, then per column its type OID, an int32 length (-1 for NULL) and that many bytes). Binary
 * values depend on no setting (TimeZone, DateStyle, extra_float_digits), only text values on the
 * encoding, which is UTF8 on both sides of a pass-through. pgjdbc asks for binary integers, floats and
 * timestamps once it keeps a statement prepared (its fifth run), so this is the form most JDBC
 * clients' repeated queries take.
 */
final class BinaryResults {
    private static final String ALIAS = "\"_ts_binary\"";

    private BinaryResults() {}

    /**
     * @param formats a Bind's result format codes: none (all text), one for every column, or one per column
     * @param columns the number of result columns
     * @return per result column whether it is wanted in binary (code 1; callers check {@link #valid} first);
     *         null when all are text
     */
    static boolean[] binary(short[] formats, int columns) {
        boolean[] binary = new boolean[columns];
        boolean any = false;
        for (int i = 0; i < columns; i++) {
            short f = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : i < formats.length ? formats[i] : 0;
            binary[i] = f == 1;
            any |= binary[i];
        }
        return any ? binary : null;
    }

    /** @return whether every code is text (0) or binary (1), and there is none, one, or one per column */
    static boolean valid(short[] formats, int columns) {
        if (formats.length > 1 && formats.length != columns) return false;
        for (short f : formats) if (f != 0 && f != 1) return false;
        return true;
    }

    /**
     * @param sources per result column, the remote column it passes through, or null for one that does not
     *                come from the data nodes
     * @param binary  per result column whether it is wanted in binary ({@link #binary}), or null
     * @param width   the remote columns
     * @return per remote column whether it is wanted in binary, all false when {@code binary} is null; null
     *         when one remote column is wanted both in text and in binary
     */
    static boolean[] remote(java.util.List<Integer> sources, boolean[] binary, int width) {
        boolean[] remote = new boolean[width];
        boolean[] text = new boolean[width];
        for (int i = 0; i < sources.size(); i++) {
            Integer j = sources.get(i);
            if (j == null) continue;
            if (binary != null && binary[i]) remote[j] = true;
            else text[j] = true;
            if (remote[j] && text[j]) return null;
        }
        return remote;
    }

    /** @return whether any is true ({@code flags} may be null) */
    static boolean any(boolean[] flags) {
        if (flags == null) return false;
        for (boolean f : flags) if (f) return true;
        return false;
    }

    /**
     * @param sql     a remote query (no trailing semicolon) of {@code leading + width} columns
     * @param leading columns before the remote columns (a lateral join's label) that stay text
     * @param binary  per remote column, whether it is wanted in binary (at least one is)
     * @return the query returning the same rows in the same order — a query with its own ORDER BY or LIMIT
     *         is not pulled up into the outer one, and a plain projection over it keeps its order — with each
     *         binary column NULL in its place and their binary values as one {@code record_send} value (bytea) in one
     *         more last column
     */
    static String remoteSql(String sql, int leading, boolean[] binary) {
        StringBuilder select = new StringBuilder("SELECT ");
        StringBuilder row = new StringBuilder();
        StringBuilder aliases = new StringBuilder();
        for (int i = 0; i < leading + binary.length; i++) {
            String column = ALIAS + ".\"" + (i + 1) + '"';
            aliases.append(i == 0 ? "" : ", ").append('"').append(i + 1).append('"');
            boolean b = i >= leading && binary[i - leading];
            select.append(b ? "NULL" : column).append(", ");
            if (b) row.append(row.isEmpty() ? "" : ", ").append(column);
        }
        return select.append("record_send(ROW(").append(row).append(")) FROM (").append(sql).append(") AS ")
                .append(ALIAS).append('(').append(aliases).append(')').toString();
    }

    /**
     * @param fields a row of {@link #remoteSql}'s query without its leading columns: {@code binary.length} fields
     *               (text), then the binary ones' record ({@link #record})
     * @param binary as given to {@link #remoteSql}
     * @return the row's {@code binary.length} values, text or binary as wanted (null for NULL)
     * @throws PgException XX000 when the row does not have that shape
     */
    static byte[][] values(byte[][] fields, boolean[] binary) {
        if (fields.length != binary.length + 1) {
            throw new PgException(SqlState.INTERNAL_ERROR, "a data node returned " + fields.length + " columns, expected " + (binary.length + 1));
        }
        byte[][] record = record(fields[binary.length]);
        byte[][] values = new byte[binary.length][];
        int at = 0;
        for (int i = 0; i < binary.length; i++) values[i] = binary[i] ? record[at++] : fields[i];
        if (at != record.length) throw malformed();
        return values;
    }

    /**
     * @param value a {@code record_send} value: its bytes (as read in binary), its bytea text ({@code \x} and hex,
     *              as COPY's text format reads back), or its hex ({@code encode(…, 'hex')}; ASCII). The forms do
     *              not overlap: the bytes start with a column count below 2^24, so with a zero byte
     * @return its columns' binary values, null for NULL
     * @throws PgException XX000 when it is not one
     */
    static byte[][] record(byte[] value) {
        if (value == null || value.length == 0) throw malformed();
        byte[] raw = value[0] == 0 ? value : unhex(value, value[0] == '\\' ? 2 : 0);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(raw);
        try {
            int n = in.getInt();
            if (n < 0 || n > raw.length / 8) throw malformed();
            byte[][] values = new byte[n][];
            for (int c = 0; c < n; c++) {
                in.getInt(); // the column's type OID
                int length = in.getInt();
                if (length == -1) continue;
                if (length < 0 || length > in.remaining()) throw malformed();
                values[c] = new byte[length];
                in.get(values[c]);
            }
            if (in.hasRemaining()) throw malformed();
            return values;
        } catch (java.nio.BufferUnderflowException e) {
            throw malformed();
        }
    }

    /** @return the bytes of the lower-case hex digits of {@code hex} from {@code from} on */
    private static byte[] unhex(byte[] hex, int from) {
        if ((hex.length - from) % 2 != 0 || from == 2 && hex[1] != 'x') throw malformed();
        byte[] raw = new byte[(hex.length - from) / 2];
        for (int i = from, j = 0; j < raw.length; j++, i += 2) {
            int hi = hex[i] < 0 ? -1 : HEX[hex[i]];
            int lo = hex[i + 1] < 0 ? -1 : HEX[hex[i + 1]];
            if ((hi | lo) < 0) throw malformed();
            raw[j] = (byte) (hi << 4 | lo);
        }
        return raw;
    }

    /**
     * Types whose binary form follows from their text output alone, whatever the session's settings
     * (PostgreSQL's send functions: {@code int2send}, {@code int4send}, {@code int8send}, {@code oidsend} —
     * big-endian two's complement, unsigned for oid; {@code boolsend} — one byte 0 or 1; {@code textsend},
     * {@code varcharsend}, {@code bpcharsend}, {@code namesend} — the text's bytes in the client encoding,
     * as its text output): smallint, integer, bigint, oid, boolean, text, varchar, char(n), name.
     *
     * @param typeOid a type's OID
     * @return whether {@link #fromText(int, byte[])} reads that type
     */
    static boolean fromText(int typeOid) {
        return FROM_TEXT.contains(typeOid);
    }

    private static final java.util.Set<Integer> FROM_TEXT = java.util.Set.of(ColumnType.INT2.oid(), ColumnType.INT4.oid(),
            ColumnType.INT8.oid(), ColumnType.OID.oid(), ColumnType.BOOL.oid(), ColumnType.TEXT.oid(), ColumnType.VARCHAR.oid(),
            ColumnType.BPCHAR.oid(), ColumnType.NAME.oid());

    /**
     * @param typeOid a type {@link #fromText(int)} accepts
     * @param text    a value's text output as the client's session sends it (its encoding), or null for NULL
     * @return the value's binary form, as the type's send function makes it; null for NULL
     * @throws PgException XX000 when the text is not one of that type's outputs, or the type is not one of those
     */
    static byte[] fromText(int typeOid, byte[] text) {
        if (text == null) return null;
        java.nio.ByteBuffer b;
        if (typeOid == ColumnType.INT2.oid()) {
            b = java.nio.ByteBuffer.allocate(2).putShort((short) integer(text, Short.MIN_VALUE, Short.MAX_VALUE));
        } else if (typeOid == ColumnType.INT4.oid()) {
            b = java.nio.ByteBuffer.allocate(4).putInt((int) integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE));
        } else if (typeOid == ColumnType.INT8.oid()) {
            b = java.nio.ByteBuffer.allocate(8).putLong(integer(text, Long.MIN_VALUE, Long.MAX_VALUE));
        } else if (typeOid == ColumnType.OID.oid()) {
            b = java.nio.ByteBuffer.allocate(4).putInt((int) integer(text, 0, 0xFFFF_FFFFL));
        } else if (typeOid == ColumnType.BOOL.oid()) {
            if (text.length != 1 || text[0] != 't' && text[0] != 'f') throw malformed();
            return new byte[] {(byte) (text[0] == 't' ? 1 : 0)};
        } else if (fromText(typeOid)) {
            return text; // the text types
        } else {
            throw new PgException(SqlState.INTERNAL_ERROR, "type " + typeOid + " has no binary form read from its text");
        }
        return b.array();
    }

    /** @return the decimal integer {@code text} (ASCII, optional minus sign), within [min, max] */
    private static long integer(byte[] text, long min, long max) {
        try {
            long v = Long.parseLong(new String(text, java.nio.charset.StandardCharsets.US_ASCII));
            if (v < min || v > max) throw malformed();
            return v;
        } catch (NumberFormatException e) {
            throw malformed();
        }
    }

    /** Per ASCII byte, its value as a lower-case hex digit ({@code encode(…, 'hex')} writes those), else -1. */
    private static final byte[] HEX = new byte[128];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int d = 0; d < 16; d++) HEX["0123456789abcdef".charAt(d)] = (byte) d;
    }

    private static PgException malformed() {
        return new PgException(SqlState.INTERNAL_ERROR, "a binary row value is malformed");
    }
}
