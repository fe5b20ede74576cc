package io.timeshard.accessnode.session;

import io.timeshard.accessnode.wire.ColumnDescription;
import io.timeshard.catalog.errors.PgException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Result format codes of the extended protocol (Bind: 0 = text for all, 1 = one code for all, N =
 * one per column) applied to results the access node produces itself. Binary encodings follow
 * PostgreSQL's send functions for the few types our results use: bool, int2/4/8, text-like types.
 */
final class ResultFormats {
    private static final int BOOL = 16, INT8 = 20, INT2 = 21, INT4 = 23;

    private ResultFormats() {}

    static short formatOf(short[] formats, int column) {
        if (formats == null || formats.length == 0) return 0;
        return formats.length == 1 ? formats[0] : formats[column];
    }

    /** @return the columns with the format codes the client asked for */
    static List<ColumnDescription> describe(List<ColumnDescription> cols, short[] formats) {
        List<ColumnDescription> out = new ArrayList<>(cols.size());
        for (int i = 0; i < cols.size(); i++) {
            ColumnDescription c = cols.get(i);
            out.add(new ColumnDescription(c.name(), c.tableOid(), c.columnAttr(), c.typeOid(), c.typeSize(),
                    c.typeModifier(), formatOf(formats, i)));
        }
        return out;
    }

    /** @return {@code row} (text values) encoded in the requested formats */
    static byte[][] encode(List<ColumnDescription> cols, byte[][] row, short[] formats) {
        byte[][] out = new byte[row.length][];
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null || formatOf(formats, i) == 0) {
                out[i] = row[i];
                continue;
            }
            String text = new String(row[i], StandardCharsets.UTF_8);
            out[i] = switch (cols.get(i).typeOid()) {
                case BOOL -> new byte[] {(byte) (text.equals("t") ? 1 : 0)};
                case INT2 -> ByteBuffer.allocate(2).putShort(Short.parseShort(text)).array();
                case INT4 -> ByteBuffer.allocate(4).putInt(Integer.parseInt(text)).array();
                case INT8 -> ByteBuffer.allocate(8).putLong(Long.parseLong(text)).array();
                case 25, 19, 1043 -> row[i];
                default -> throw PgException.notSupported("binary output of type " + cols.get(i).typeOid()
                        + " is not supported for this result", "Request text format for this column.");
            };
        }
        return out;
    }
}
