package io.timeshard.accessnode.wire;

import io.netty.buffer.ByteBuf;
import io.timeshard.catalog.errors.PgException;
import java.util.List;

/**
 * Writers for the messages a server (backend) sends, each appending one complete message (type
 * byte, int32 length counting itself, body) to the given buffer. Layouts follow the PostgreSQL
 * documentation, chapter "Frontend/Backend Protocol", section "Message Formats"; the order in which
 * to send them is in "Message Flow".
 *
 * <p>Stateless; safe from any thread, but a given {@code out} must be used by one thread at a time.
 * The caller flushes: after ReadyForQuery, after every ErrorResponse/NoticeResponse, and on Flush.
 * Strings must not contain NUL ({@link IllegalArgumentException} otherwise).
 */
public final class BackendMessages {
    private BackendMessages() {}

    /** AuthenticationOk: 'R', int32 0. */
    public static void authenticationOk(ByteBuf out) {
        authentication(out, 0);
    }

    /** AuthenticationCleartextPassword: 'R', int32 3. */
    public static void authenticationCleartextPassword(ByteBuf out) {
        authentication(out, 3);
    }

    /**
     * AuthenticationMD5Password: 'R', int32 5, the salt.
     *
     * @param salt exactly 4 random bytes
     */
    public static void authenticationMd5Password(ByteBuf out, byte[] salt) {
        if (salt.length != 4) {
            throw new IllegalArgumentException("an MD5 salt has 4 bytes, not " + salt.length);
        }
        int at = Wire.beginMessage(out, 'R');
        out.writeInt(5);
        out.writeBytes(salt);
        Wire.endMessage(out, at);
    }

    /**
     * AuthenticationSASL: 'R', int32 10, the mechanism names each NUL-terminated, then an empty name.
     *
     * @param mechanisms e.g. {@code SCRAM-SHA-256}, most preferred first
     */
    public static void authenticationSasl(ByteBuf out, List<String> mechanisms) {
        int at = Wire.beginMessage(out, 'R');
        out.writeInt(10);
        for (String mechanism : mechanisms) {
            Wire.writeCString(out, mechanism);
        }
        out.writeByte(0);
        Wire.endMessage(out, at);
    }

    /** AuthenticationSASLContinue: 'R', int32 11, the mechanism's data (server-first-message). */
    public static void authenticationSaslContinue(ByteBuf out, byte[] data) {
        authenticationWithData(out, 11, data);
    }

    /** AuthenticationSASLFinal: 'R', int32 12, the mechanism's data (server-final-message). */
    public static void authenticationSaslFinal(ByteBuf out, byte[] data) {
        authenticationWithData(out, 12, data);
    }

    /** ParameterStatus ('S'): a reported run-time parameter and its current value. */
    public static void parameterStatus(ByteBuf out, String name, String value) {
        int at = Wire.beginMessage(out, 'S');
        Wire.writeCString(out, name);
        Wire.writeCString(out, value);
        Wire.endMessage(out, at);
    }

    /**
     * BackendKeyData ('K'): the key a client uses in a CancelRequest.
     *
     * @param processId backend process id, unique among live sessions
     * @param secretKey random 4-byte secret (protocol 3.0)
     */
    public static void backendKeyData(ByteBuf out, int processId, int secretKey) {
        int at = Wire.beginMessage(out, 'K');
        out.writeInt(processId);
        out.writeInt(secretKey);
        Wire.endMessage(out, at);
    }

    /**
     * ReadyForQuery ('Z').
     *
     * @param status 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block
     */
    public static void readyForQuery(ByteBuf out, char status) {
        if (status != 'I' && status != 'T' && status != 'E') {
            throw new IllegalArgumentException("transaction status must be 'I', 'T' or 'E', not '" + status + "'");
        }
        int at = Wire.beginMessage(out, 'Z');
        out.writeByte(status);
        Wire.endMessage(out, at);
    }

    /** RowDescription ('T'): int16 field count, then per field name, table OID, attnum, type OID, typlen, typmod, format. */
    public static void rowDescription(ByteBuf out, List<ColumnDescription> columns) {
        int at = Wire.beginMessage(out, 'T');
        out.writeShort(columns.size());
        for (ColumnDescription c : columns) {
            Wire.writeCString(out, c.name());
            out.writeInt(c.tableOid());
            out.writeShort(c.columnAttr());
            out.writeInt(c.typeOid());
            out.writeShort(c.typeSize());
            out.writeInt(c.typeModifier());
            out.writeShort(c.format());
        }
        Wire.endMessage(out, at);
    }

    /**
     * DataRow ('D'): int16 column count, then per column an int32 length (-1 for NULL) and the bytes.
     *
     * @param values one entry per column in the format announced for it; a null entry is SQL NULL
     */
    public static void dataRow(ByteBuf out, byte[][] values) {
        int at = Wire.beginMessage(out, 'D');
        out.writeShort(values.length);
        for (byte[] value : values) {
            if (value == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(value.length);
                out.writeBytes(value);
            }
        }
        Wire.endMessage(out, at);
    }

    /** CommandComplete ('C'): the command tag, e.g. {@code SELECT 1}, {@code INSERT 0 3}, {@code BEGIN}. */
    public static void commandComplete(ByteBuf out, String tag) {
        int at = Wire.beginMessage(out, 'C');
        Wire.writeCString(out, tag);
        Wire.endMessage(out, at);
    }

    /** EmptyQueryResponse ('I'): the query string had no statement. */
    public static void emptyQueryResponse(ByteBuf out) {
        Wire.emptyMessage(out, 'I');
    }

    /**
     * ErrorResponse ('E') with fields S and V (the exception's severity, which is non-localized), C,
     * M, and D, H, P, W when present, then the terminating NUL.
     */
    public static void errorResponse(ByteBuf out, PgException error) {
        fields(out, 'E', error);
    }

    /** NoticeResponse ('N'), laid out as {@link #errorResponse}; severity is e.g. NOTICE or WARNING. */
    public static void noticeResponse(ByteBuf out, PgException notice) {
        fields(out, 'N', notice);
    }

    /** ParseComplete ('1'). */
    public static void parseComplete(ByteBuf out) {
        Wire.emptyMessage(out, '1');
    }

    /** BindComplete ('2'). */
    public static void bindComplete(ByteBuf out) {
        Wire.emptyMessage(out, '2');
    }

    /** CloseComplete ('3'). */
    public static void closeComplete(ByteBuf out) {
        Wire.emptyMessage(out, '3');
    }

    /** NoData ('n'): the statement or portal returns no rows. */
    public static void noData(ByteBuf out) {
        Wire.emptyMessage(out, 'n');
    }

    /** ParameterDescription ('t'): int16 count, then the type OID of each parameter (never 0). */
    public static void parameterDescription(ByteBuf out, int[] oids) {
        int at = Wire.beginMessage(out, 't');
        out.writeShort(oids.length);
        for (int oid : oids) {
            out.writeInt(oid);
        }
        Wire.endMessage(out, at);
    }

    /** PortalSuspended ('s'): Execute's row limit was reached before the portal was exhausted. */
    public static void portalSuspended(ByteBuf out) {
        Wire.emptyMessage(out, 's');
    }

    /**
     * CopyInResponse ('G').
     *
     * @param overallFormat 0 textual (then every column format is 0), 1 binary
     * @param columnFormats one format code per column of the COPY
     */
    public static void copyInResponse(ByteBuf out, byte overallFormat, short[] columnFormats) {
        copyResponse(out, 'G', overallFormat, columnFormats);
    }

    /** CopyOutResponse ('H'), laid out as {@link #copyInResponse}. */
    public static void copyOutResponse(ByteBuf out, byte overallFormat, short[] columnFormats) {
        copyResponse(out, 'H', overallFormat, columnFormats);
    }

    /** CopyData ('d'): for COPY TO STDOUT, one row per message as PostgreSQL sends it. */
    public static void copyData(ByteBuf out, byte[] data) {
        out.writeByte('d');
        out.writeInt(4 + data.length);
        out.writeBytes(data);
    }

    /** CopyDone ('c'). */
    public static void copyDone(ByteBuf out) {
        Wire.emptyMessage(out, 'c');
    }

    /**
     * NegotiateProtocolVersion ('v'), sent once before authentication when the client asked for a
     * newer minor version or for {@code _pq_.*} options the server does not know.
     *
     * @param newestMinor         the newest 3.x minor version the server supports; written as the
     *                            full version {@code (3 << 16) | newestMinor}, as PostgreSQL does and
     *                            libpq expects
     * @param unrecognizedOptions the {@code _pq_.*} option names not recognized, each once
     */
    public static void negotiateProtocolVersion(ByteBuf out, int newestMinor, List<String> unrecognizedOptions) {
        int at = Wire.beginMessage(out, 'v');
        out.writeInt((3 << 16) | newestMinor);
        out.writeInt(unrecognizedOptions.size());
        for (String option : unrecognizedOptions) {
            Wire.writeCString(out, option);
        }
        Wire.endMessage(out, at);
    }

    /** The single byte 'N' refusing an SSLRequest or GSSENCRequest; not a framed message. */
    public static void sslRefused(ByteBuf out) {
        out.writeByte('N');
    }

    private static void authentication(ByteBuf out, int code) {
        int at = Wire.beginMessage(out, 'R');
        out.writeInt(code);
        Wire.endMessage(out, at);
    }

    private static void authenticationWithData(ByteBuf out, int code, byte[] data) {
        int at = Wire.beginMessage(out, 'R');
        out.writeInt(code);
        out.writeBytes(data);
        Wire.endMessage(out, at);
    }

    private static void fields(ByteBuf out, char type, PgException e) {
        int at = Wire.beginMessage(out, type);
        field(out, 'S', e.severity());
        field(out, 'V', e.severity());
        field(out, 'C', e.sqlState());
        field(out, 'M', e.getMessage());
        field(out, 'D', e.detail());
        field(out, 'H', e.hint());
        if (e.position() > 0) {
            field(out, 'P', Integer.toString(e.position()));
        }
        field(out, 'W', e.context());
        out.writeByte(0);
        Wire.endMessage(out, at);
    }

    private static void field(ByteBuf out, char code, String value) {
        if (value != null) {
            out.writeByte(code);
            Wire.writeCString(out, value);
        }
    }

    private static void copyResponse(ByteBuf out, char type, byte overallFormat, short[] columnFormats) {
        int at = Wire.beginMessage(out, type);
        out.writeByte(overallFormat);
        out.writeShort(columnFormats.length);
        for (short format : columnFormats) {
            out.writeShort(format);
        }
        Wire.endMessage(out, at);
    }
}
