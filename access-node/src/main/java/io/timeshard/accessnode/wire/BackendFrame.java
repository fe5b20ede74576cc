package io.timeshard.accessnode.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.timeshard.catalog.errors.PgException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One message as a PostgreSQL backend sent it: the type byte and the body (without the int32
 * length). {@link #writeTo} re-frames it byte for byte, so a relay can copy backend output to its
 * client unchanged; the decoding helpers read the common message kinds (PostgreSQL documentation,
 * "Message Formats").
 *
 * <p>Immutable by convention: the body array is shared and must not be modified. Thread-safe.
 * Each helper requires the matching type and throws {@link IllegalStateException} otherwise; a
 * body that does not parse raises {@link PgException} 08P01.
 *
 * @param type the message type byte, e.g. {@code 'D'} for DataRow
 * @param body the message body, never null, possibly empty
 */
public record BackendFrame(byte type, byte[] body) {
    /** @throws NullPointerException when a reference component is null */
    public BackendFrame {
        Objects.requireNonNull(body, "body");
    }

    /** The type byte as a char, e.g. 'Z'. */
    public char kind() {
        return (char) (type & 0xFF);
    }

    /** Appends the complete message (type byte, int32 length counting itself, body) to {@code out}. */
    public void writeTo(ByteBuf out) {
        out.writeByte(type);
        out.writeInt(4 + body.length);
        out.writeBytes(body);
    }

    /**
     * Decodes an ErrorResponse ('E') or NoticeResponse ('N'). Keeps severity (V, the
     * non-localized one, when present, else S), SQLSTATE (C), message (M), detail (D), hint (H),
     * position (P) and context (W); other fields are dropped.
     */
    public PgException toException() {
        requireKind('E', 'N');
        ByteBuf in = Unpooled.wrappedBuffer(body);
        String severity = null;
        String localizedSeverity = null;
        String code = null;
        String message = null;
        String detail = null;
        String hint = null;
        String context = null;
        int position = 0;
        try {
            while (true) {
                byte field = in.readByte();
                if (field == 0) {
                    break;
                }
                String value = Wire.readCString(in);
                switch (field) {
                    case 'V' -> severity = value;
                    case 'S' -> localizedSeverity = value;
                    case 'C' -> code = value;
                    case 'M' -> message = value;
                    case 'D' -> detail = value;
                    case 'H' -> hint = value;
                    case 'W' -> context = value;
                    case 'P' -> position = parsePosition(value);
                    default -> { }
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw malformed();
        }
        PgException e = new PgException(code != null ? code : "XX000", message != null ? message : "(no message)")
                .detail(detail)
                .hint(hint)
                .context(context)
                .position(position);
        String s = severity != null ? severity : localizedSeverity;
        return s != null ? e.severity(s) : e;
    }

    /** Decodes a RowDescription ('T'). */
    public List<ColumnDescription> rowDescription() {
        requireKind('T');
        ByteBuf in = Unpooled.wrappedBuffer(body);
        try {
            int count = in.readUnsignedShort();
            List<ColumnDescription> columns = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                columns.add(new ColumnDescription(Wire.readCString(in), in.readInt(), in.readShort(), in.readInt(),
                        in.readShort(), in.readInt(), in.readShort()));
            }
            return columns;
        } catch (IndexOutOfBoundsException e) {
            throw malformed();
        }
    }

    /** Decodes a DataRow ('D'): one entry per column, null for SQL NULL. */
    public byte[][] dataRow() {
        requireKind('D');
        ByteBuf in = Unpooled.wrappedBuffer(body);
        try {
            byte[][] values = new byte[in.readUnsignedShort()][];
            for (int i = 0; i < values.length; i++) {
                int length = in.readInt();
                if (length >= 0) {
                    values[i] = new byte[length];
                    in.readBytes(values[i]);
                } else if (length != -1) {
                    throw malformed();
                }
            }
            return values;
        } catch (IndexOutOfBoundsException e) {
            throw malformed();
        }
    }

    /** Decodes a CommandComplete ('C'): the tag, e.g. {@code INSERT 0 1}. */
    public String commandTag() {
        requireKind('C');
        return cString();
    }

    /** Decodes a ReadyForQuery ('Z'): 'I', 'T' or 'E'. */
    public char readyStatus() {
        requireKind('Z');
        if (body.length != 1) {
            throw malformed();
        }
        return (char) body[0];
    }

    /** Decodes a ParameterDescription ('t'): the parameter type OIDs. */
    public int[] parameterDescription() {
        requireKind('t');
        ByteBuf in = Unpooled.wrappedBuffer(body);
        try {
            int[] oids = new int[in.readUnsignedShort()];
            for (int i = 0; i < oids.length; i++) {
                oids[i] = in.readInt();
            }
            return oids;
        } catch (IndexOutOfBoundsException e) {
            throw malformed();
        }
    }

    /** Decodes a ParameterStatus ('S'): {name, value}. */
    public String[] parameterStatus() {
        requireKind('S');
        ByteBuf in = Unpooled.wrappedBuffer(body);
        return new String[] {Wire.readCString(in), Wire.readCString(in)};
    }

    @Override
    public String toString() {
        return "BackendFrame['" + kind() + "', " + body.length + " bytes]";
    }

    private String cString() {
        return Wire.readCString(Unpooled.wrappedBuffer(body));
    }

    private static int parsePosition(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void requireKind(char... kinds) {
        for (char k : kinds) {
            if (kind() == k) {
                return;
            }
        }
        throw new IllegalStateException("expected a '" + new String(kinds) + "' message, got '" + kind() + "'");
    }

    private PgException malformed() {
        return Wire.protocolViolation("invalid '" + kind() + "' message from the server");
    }
}
