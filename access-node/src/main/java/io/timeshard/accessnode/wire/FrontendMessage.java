package io.timeshard.accessnode.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message sent by a client (frontend) in protocol 3.x, as described in the PostgreSQL
 * documentation, chapter "Frontend/Backend Protocol", section "Message Formats". {@link
 * FrontendDecoder} produces these; {@link #encode} writes the exact wire form back, so that a
 * message can be relayed to a PostgreSQL backend unchanged (startup-phase messages included).
 *
 * <p>Records are immutable in their references, but array components are shared with the caller
 * and must not be modified after construction; {@code equals} on array components is by identity.
 * Strings never contain NUL (the wire cannot carry one); {@link #encode} throws {@link
 * IllegalArgumentException} if one does.
 */
public sealed interface FrontendMessage {

    /** Protocol code of an SSLRequest packet (1234.5679). */
    int SSL_REQUEST_CODE = 80877103;
    /** Protocol code of a GSSENCRequest packet (1234.5680). */
    int GSSENC_REQUEST_CODE = 80877104;
    /** Protocol code of a CancelRequest packet (1234.5678). */
    int CANCEL_REQUEST_CODE = 80877102;

    /**
     * Appends this message's complete wire form (type byte, if any, and int32 length included) to
     * {@code out}. Not thread-safe with respect to {@code out}.
     */
    void encode(ByteBuf out);

    /**
     * StartupMessage: protocol version and run-time parameters ({@code user}, {@code database},
     * {@code options}, GUCs, {@code _pq_.*} protocol options), in the order sent.
     *
     * @param majorVersion protocol major version, 3 for every accepted message
     * @param minorVersion protocol minor version (0 or 2 today; the session negotiates down)
     * @param parameters   name → value, never null; copied into an unmodifiable insertion-ordered map
     */
    record StartupMessage(int majorVersion, int minorVersion, Map<String, String> parameters)
            implements FrontendMessage {
        /** Copies {@code parameters}, keeping their order. @throws NullPointerException when it is null */
        public StartupMessage {
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }

        @Override
        public void encode(ByteBuf out) {
            int lengthIndex = out.writerIndex();
            out.writeInt(0);
            out.writeInt((majorVersion << 16) | (minorVersion & 0xFFFF));
            parameters.forEach((name, value) -> {
                Wire.writeCString(out, name);
                Wire.writeCString(out, value);
            });
            out.writeByte(0);
            Wire.endMessage(out, lengthIndex);
        }
    }

    /** SSLRequest: asks for TLS before the StartupMessage; answered with a single byte. */
    record SslRequest() implements FrontendMessage {
        @Override
        public void encode(ByteBuf out) {
            out.writeInt(8);
            out.writeInt(SSL_REQUEST_CODE);
        }
    }

    /** GSSENCRequest: asks for GSSAPI encryption before the StartupMessage; answered with a single byte. */
    record GssEncRequest() implements FrontendMessage {
        @Override
        public void encode(ByteBuf out) {
            out.writeInt(8);
            out.writeInt(GSSENC_REQUEST_CODE);
        }
    }

    /**
     * CancelRequest: sent on a new connection to cancel the statement running in the backend
     * identified by {@code processId} and {@code secretKey} (BackendKeyData). Never answered.
     */
    record CancelRequest(int processId, int secretKey) implements FrontendMessage {
        @Override
        public void encode(ByteBuf out) {
            out.writeInt(16);
            out.writeInt(CANCEL_REQUEST_CODE);
            out.writeInt(processId);
            out.writeInt(secretKey);
        }
    }

    /** Query ('Q'): a simple-protocol query string, possibly several statements. */
    record Query(String sql) implements FrontendMessage {
        /** @throws NullPointerException when a reference component is null */
        public Query {
            Objects.requireNonNull(sql, "sql");
        }

        @Override
        public void encode(ByteBuf out) {
            int at = Wire.beginMessage(out, 'Q');
            Wire.writeCString(out, sql);
            Wire.endMessage(out, at);
        }
    }

    /**
     * Parse ('P').
     *
     * @param name           prepared statement name, "" for the unnamed statement
     * @param query          the statement text with {@code $n} placeholders
     * @param parameterTypes type OIDs the client fixes, 0 = let the server infer; may be shorter
     *                       than the number of placeholders
     */
    record Parse(String name, String query, int[] parameterTypes) implements FrontendMessage {
        /** @throws NullPointerException when a reference component is null */
        public Parse {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(parameterTypes, "parameterTypes");
        }

        @Override
        public void encode(ByteBuf out) {
            int at = Wire.beginMessage(out, 'P');
            Wire.writeCString(out, name);
            Wire.writeCString(out, query);
            out.writeShort(parameterTypes.length);
            for (int oid : parameterTypes) {
                out.writeInt(oid);
            }
            Wire.endMessage(out, at);
        }

        @Override
        public String toString() {
            return "Parse[name=" + name + ", query=" + query + ", parameterTypes=" + Arrays.toString(parameterTypes) + "]";
        }
    }

    /**
     * Bind ('B').
     *
     * @param portal           destination portal, "" for the unnamed portal
     * @param statement        source prepared statement, "" for the unnamed statement
     * @param parameterFormats 0 entries = all text, 1 = applies to all, else one per parameter
     *                         (0 text, 1 binary)
     * @param parameters       parameter values as sent; a null element is SQL NULL
     * @param resultFormats    result column format codes, same 0/1/N convention
     */
    record Bind(String portal, String statement, short[] parameterFormats, byte[][] parameters, short[] resultFormats)
            implements FrontendMessage {
        /** @throws NullPointerException when a reference component is null */
        public Bind {
            Objects.requireNonNull(portal, "portal");
            Objects.requireNonNull(statement, "statement");
            Objects.requireNonNull(parameterFormats, "parameterFormats");
            Objects.requireNonNull(parameters, "parameters");
            Objects.requireNonNull(resultFormats, "resultFormats");
        }

        /** The format code of parameter {@code i} (0-based) after applying the 0/1/N convention. */
        public short parameterFormat(int i) {
            return formatAt(parameterFormats, i);
        }

        /** The format code of result column {@code i} (0-based) after applying the 0/1/N convention. */
        public short resultFormat(int i) {
            return formatAt(resultFormats, i);
        }

        private static short formatAt(short[] formats, int i) {
            return switch (formats.length) {
                case 0 -> 0;
                case 1 -> formats[0];
                default -> formats[i];
            };
        }

        @Override
        public void encode(ByteBuf out) {
            int at = Wire.beginMessage(out, 'B');
            Wire.writeCString(out, portal);
            Wire.writeCString(out, statement);
            writeShorts(out, parameterFormats);
            out.writeShort(parameters.length);
            for (byte[] value : parameters) {
                writeValue(out, value);
            }
            writeShorts(out, resultFormats);
            Wire.endMessage(out, at);
        }

        @Override
        public String toString() {
            return "Bind[portal=" + portal + ", statement=" + statement
                    + ", parameterFormats=" + Arrays.toString(parameterFormats)
                    + ", parameters=" + parameters.length
                    + ", resultFormats=" + Arrays.toString(resultFormats) + "]";
        }
    }

    /**
     * Describe ('D').
     *
     * @param kind 'S' for a prepared statement, 'P' for a portal
     * @param name "" for the unnamed one
     */
    record Describe(char kind, String name) implements FrontendMessage {
        /** @throws IllegalArgumentException when kind is not 'S' or 'P'; NullPointerException when name is null */
        public Describe {
            requireKind(kind);
            Objects.requireNonNull(name, "name");
        }

        @Override
        public void encode(ByteBuf out) {
            int at = Wire.beginMessage(out, 'D');
            out.writeByte(kind);
            Wire.writeCString(out, name);
            Wire.endMessage(out, at);
        }
    }

    /**
     * Execute ('E').
     *
     * @param portal  "" for the unnamed portal
     * @param maxRows row limit for this call, 0 = no limit
     */
    record Execute(String portal, int maxRows) implements FrontendMessage {
        /** @throws NullPointerException when a reference component is null */
        public Execute {
            Objects.requireNonNull(portal, "portal");
        }

        @Override
        public void encode(ByteBuf out) {
            int at = Wire.beginMessage(out, 'E');
            Wire.writeCString(out, portal);
            out.writeInt(maxRows);
            Wire.endMessage(out, at);
        }
    }

    /** Sync ('S'): ends an extended-protocol batch; the server answers with ReadyForQuery. */
    record Sync() implements FrontendMessage {
        @Override
        public void encode(ByteBuf out) {
            Wire.emptyMessage(out, 'S');
        }
    }

    /** Flush ('H'): asks the server to send any pending output. */
    record Flush() implements FrontendMessage {
        @Override
        public void encode(ByteBuf out) {
            Wire.emptyMessage(out, 'H');
        }
    }

    /**
     * Close ('C').
     *
     * @param kind 'S' for a prepared statement, 'P' for a portal
     * @param name "" for the unnamed one
     */
    record Close(char kind, String name) implements FrontendMessage {
        /** @throws IllegalArgumentException when kind is not 'S' or 'P'; NullPointerException when name is null */
        public Close {
            requireKind(kind);
            Objects.requireNonNull(name, "name");
        }

        @Override
        public void encode(ByteBuf out) {
            int at = Wire.beginMessage(out, 'C');
            out.writeByte(kind);
            Wire.writeCString(out, name);
            Wire.endMessage(out, at);
        }
    }

    /** CopyData ('d'): an arbitrary slice of the COPY FROM STDIN stream; boundaries carry no meaning. */
    record CopyData(byte[] data) implements FrontendMessage {
        /** @throws NullPointerException when a reference component is null */
        public CopyData {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public void encode(ByteBuf out) {
            out.writeByte('d');
            out.writeInt(4 + data.length);
            out.writeBytes(data);
        }

        @Override
        public String toString() {
            return "CopyData[" + data.length + " bytes]";
        }
    }

    /** CopyDone ('c'): the COPY FROM STDIN stream is complete. */
    record CopyDone() implements FrontendMessage {
        @Override
        public void encode(ByteBuf out) {
            Wire.emptyMessage(out, 'c');
        }
    }

    /** CopyFail ('f'): the client aborts COPY FROM STDIN; the server answers 57014. */
    record CopyFail(String message) implements FrontendMessage {
        /** @throws NullPointerException when a reference component is null */
        public CopyFail {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public void encode(ByteBuf out) {
            int at = Wire.beginMessage(out, 'f');
            Wire.writeCString(out, message);
            Wire.endMessage(out, at);
        }
    }

    /** Terminate ('X'): the client is closing the connection. */
    record Terminate() implements FrontendMessage {
        @Override
        public void encode(ByteBuf out) {
            Wire.emptyMessage(out, 'X');
        }
    }

    /**
     * PasswordMessage, SASLInitialResponse, SASLResponse or GSSResponse ('p'): the body is
     * interpreted according to the authentication request the server sent, so it is kept raw. For
     * a cleartext or MD5 password it is the NUL-terminated password string.
     */
    record PasswordMessage(byte[] data) implements FrontendMessage {
        /** @throws NullPointerException when a reference component is null */
        public PasswordMessage {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public void encode(ByteBuf out) {
            out.writeByte('p');
            out.writeInt(4 + data.length);
            out.writeBytes(data);
        }

        @Override
        public String toString() {
            return "PasswordMessage[" + data.length + " bytes]";
        }
    }

    /**
     * FunctionCall ('F'), the legacy fast-path interface. Decoded only so that it can be refused.
     *
     * @param functionOid     OID of the function to call
     * @param argumentFormats format codes, 0/1/N convention as in Bind
     * @param arguments       argument values; a null element is SQL NULL
     * @param resultFormat    0 text, 1 binary
     */
    record FunctionCall(int functionOid, short[] argumentFormats, byte[][] arguments, short resultFormat)
            implements FrontendMessage {
        /** @throws NullPointerException when a reference component is null */
        public FunctionCall {
            Objects.requireNonNull(argumentFormats, "argumentFormats");
            Objects.requireNonNull(arguments, "arguments");
        }

        @Override
        public void encode(ByteBuf out) {
            int at = Wire.beginMessage(out, 'F');
            out.writeInt(functionOid);
            writeShorts(out, argumentFormats);
            out.writeShort(arguments.length);
            for (byte[] value : arguments) {
                writeValue(out, value);
            }
            out.writeShort(resultFormat);
            Wire.endMessage(out, at);
        }
    }

    private static void requireKind(char kind) {
        if (kind != 'S' && kind != 'P') {
            throw new IllegalArgumentException("kind must be 'S' or 'P', not '" + kind + "'");
        }
    }

    private static void writeShorts(ByteBuf out, short[] values) {
        out.writeShort(values.length);
        for (short v : values) {
            out.writeShort(v);
        }
    }

    private static void writeValue(ByteBuf out, byte[] value) {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.writeBytes(value);
        }
    }
}
