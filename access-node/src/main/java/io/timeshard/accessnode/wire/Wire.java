package io.timeshard.accessnode.wire;

import io.netty.buffer.ByteBuf;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Framing primitives shared by both directions of the v3 protocol (PostgreSQL documentation,
 * "Message Data Types" and "Message Formats"): big-endian integers, NUL-terminated UTF-8 strings,
 * and a type byte followed by an int32 length that counts itself but not the type byte.
 *
 * <p>Stateless; safe from any thread.
 */
final class Wire {
    /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH: the largest startup packet accepted, in bytes. */
    static final int MAX_STARTUP_LENGTH = 10_000;
    /** PostgreSQL's PQ_LARGE_MESSAGE_LIMIT (1 GiB): the largest typed message accepted, in bytes. */
    static final int MAX_MESSAGE_LENGTH = 1 << 30;
    /** character_not_in_repertoire, raised by PostgreSQL for invalid UTF-8. */
    static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";

    private Wire() {}

    /**
     * Reads a NUL-terminated UTF-8 string and the NUL after it.
     *
     * @throws PgException 08P01 when no NUL follows within the readable bytes; 22021 when the bytes
     *                     are not valid UTF-8
     */
    static String readCString(ByteBuf in) {
        int length = in.bytesBefore((byte) 0);
        if (length < 0) {
            throw protocolViolation("invalid string in message");
        }
        String s = decodeUtf8(in.nioBuffer(in.readerIndex(), length));
        in.skipBytes(length + 1);
        return s;
    }

    /** Strictly decodes UTF-8. @throws PgException 22021 on an invalid byte sequence */
    static String decodeUtf8(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PgException(CHARACTER_NOT_IN_REPERTOIRE, "invalid byte sequence for encoding \"UTF8\"");
        }
    }

    /**
     * Writes {@code s} as UTF-8 followed by a NUL.
     *
     * @throws IllegalArgumentException when {@code s} contains a NUL, which the protocol cannot carry
     */
    static void writeCString(ByteBuf out, String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a protocol string cannot contain a NUL character");
        }
        out.writeCharSequence(s, StandardCharsets.UTF_8);
        out.writeByte(0);
    }

    /** Writes the type byte and a length placeholder; returns the placeholder's index for {@link #endMessage}. */
    static int beginMessage(ByteBuf out, char type) {
        out.writeByte(type);
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        return lengthIndex;
    }

    /** Fills in the length written by {@link #beginMessage} (or by hand for startup packets). */
    static void endMessage(ByteBuf out, int lengthIndex) {
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex);
    }

    /** Writes a message without a body (Sync, Flush, CopyDone, ParseComplete…). */
    static void emptyMessage(ByteBuf out, char type) {
        out.writeByte(type);
        out.writeInt(4);
    }

    /** A PgException with SQLSTATE 08P01 protocol_violation. */
    static PgException protocolViolation(String message) {
        return new PgException(SqlState.PROTOCOL_VIOLATION, message);
    }
}
