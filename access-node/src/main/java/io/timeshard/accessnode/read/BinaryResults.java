package io.timeshard.accessnode.read;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;

/**
 * Result columns a client asks for in binary format, answered by the access node from the data nodes'
 * rows without the combine query. PostgreSQL itself makes the binary: a remote query wanting some of its
 * columns in binary returns them as one more column, {@code encode(record_send(ROW(…)), 'hex')} — the
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
     *         binary column NULL in its place and their binary values hex-encoded in one more last column
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
        return select.append("encode(record_send(ROW(").append(row).append(")), 'hex') FROM (").append(sql).append(") AS ")
                .append(ALIAS).append('(').append(aliases).append(')').toString();
    }

    /**
     * @param fields a row of {@link #remoteSql}'s query without its leading columns: {@code binary.length} fields
     *               (text), then the hex of the binary ones
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
     * @param hex the hex text of a {@code record_send} value (ASCII)
     * @return its columns' binary values, null for NULL
     * @throws PgException XX000 when it is not one
     */
    static byte[][] record(byte[] hex) {
        if (hex == null || hex.length % 2 != 0 || hex.length < 8) throw malformed();
        byte[] raw = new byte[hex.length / 2];
        for (int i = 0, j = 0; j < raw.length; j++, i += 2) {
            int hi = hex[i] < 0 ? -1 : HEX[hex[i]];
            int lo = hex[i + 1] < 0 ? -1 : HEX[hex[i + 1]];
            if ((hi | lo) < 0) throw malformed();
            raw[j] = (byte) (hi << 4 | lo);
        }
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
