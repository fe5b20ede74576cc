package io.timeshard.accessnode.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.accessnode.wire.FrontendMessage.*;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a client's byte stream into {@link FrontendMessage}s (PostgreSQL documentation,
 * "Message Flow" → "Start-up" and "Message Formats").
 *
 * <p>Two phases. In the <em>startup</em> phase each packet is an int32 length (counting itself,
 * 8..10,000 bytes) and an int32 code: SSLRequest, GSSENCRequest and CancelRequest keep the decoder
 * in this phase (a client may send GSSENCRequest then SSLRequest on one socket); a protocol 3.x
 * StartupMessage (any minor version — the session decides about NegotiateProtocolVersion) switches
 * it to the <em>typed</em> phase, where each message is a type byte and an int32 length (counting
 * itself, at most 1 GiB). Lengths are checked before any byte is buffered for the body.
 *
 * <p>Errors are {@link PgException}s: 08P01 protocol_violation for a bad length, an unknown type
 * byte or a malformed body; 0A000 for a protocol major version other than 3; 22021 for invalid
 * UTF-8. They reach the next handlers' {@code exceptionCaught} as the PgException itself (not
 * wrapped in a DecoderException); after one, the stream is out of step and every later byte is
 * discarded, so the session should send the error and close.
 *
 * <p>One instance per channel; used only from that channel's event loop.
 */
public final class FrontendDecoder extends ByteToMessageDecoder {

    private enum Phase { STARTUP, TYPED, FAILED }

    private Phase phase = Phase.STARTUP;

    /** True once a StartupMessage has been decoded and typed messages are expected. */
    public boolean startupComplete() {
        return phase == Phase.TYPED;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            FrontendMessage message = switch (phase) {
                case STARTUP -> decodeStartupPacket(in);
                case TYPED -> decodeTypedMessage(in);
                case FAILED -> {
                    in.skipBytes(in.readableBytes());
                    yield null;
                }
            };
            if (message != null) {
                out.add(message);
            }
        } catch (RuntimeException e) {
            phase = Phase.FAILED;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /** Unwraps the DecoderException Netty puts around our PgException, so handlers see the PgException. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof PgException pg) {
            ctx.fireExceptionCaught(pg);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    private FrontendMessage decodeStartupPacket(ByteBuf in) {
        if (in.readableBytes() < 4) {
            return null;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 8 || length > Wire.MAX_STARTUP_LENGTH) {
            throw Wire.protocolViolation("invalid length of startup packet: " + length + " bytes");
        }
        if (in.readableBytes() < length) {
            return null;
        }
        in.skipBytes(4);
        ByteBuf body = in.readSlice(length - 4);
        int code = body.readInt();
        FrontendMessage message = switch (code) {
            case FrontendMessage.SSL_REQUEST_CODE -> new SslRequest();
            case FrontendMessage.GSSENC_REQUEST_CODE -> new GssEncRequest();
            case FrontendMessage.CANCEL_REQUEST_CODE -> {
                if (length != 16) {
                    throw Wire.protocolViolation("invalid length of cancel request packet: " + length + " bytes");
                }
                yield new CancelRequest(body.readInt(), body.readInt());
            }
            default -> startupMessage(code, body);
        };
        requireEnd(body, "startup packet");
        if (message instanceof StartupMessage) {
            phase = Phase.TYPED;
        }
        return message;
    }

    private static StartupMessage startupMessage(int version, ByteBuf body) {
        int major = version >>> 16;
        int minor = version & 0xFFFF;
        if (major != 3) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "unsupported frontend protocol " + major + "." + minor + ": server supports 3.0 to 3.2");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            String name = Wire.readCString(body);
            if (name.isEmpty()) {
                break;
            }
            parameters.put(name, Wire.readCString(body));
        }
        return new StartupMessage(major, minor, parameters);
    }

    private static FrontendMessage decodeTypedMessage(ByteBuf in) {
        if (in.readableBytes() < 1) {
            return null;
        }
        char type = (char) in.getUnsignedByte(in.readerIndex());
        if (!isKnownType(type)) {
            throw Wire.protocolViolation("invalid frontend message type " + (int) type);
        }
        if (in.readableBytes() < 5) {
            return null;
        }
        int length = in.getInt(in.readerIndex() + 1);
        if (length < 4 || length > Wire.MAX_MESSAGE_LENGTH) {
            throw Wire.protocolViolation("invalid message length " + length + " for message type '" + type + "'");
        }
        if (in.readableBytes() < 1 + length) {
            return null;
        }
        in.skipBytes(5);
        ByteBuf body = in.readSlice(length - 4);
        FrontendMessage message;
        try {
            message = parseBody(type, body);
        } catch (IndexOutOfBoundsException e) {
            throw Wire.protocolViolation("invalid message format: '" + type + "' message is truncated");
        }
        requireEnd(body, "'" + type + "' message");
        return message;
    }

    private static boolean isKnownType(char type) {
        return "QPBDESHCdcfXpF".indexOf(type) >= 0;
    }

    private static FrontendMessage parseBody(char type, ByteBuf body) {
        return switch (type) {
            case 'Q' -> new Query(Wire.readCString(body));
            case 'P' -> parse(body);
            case 'B' -> bind(body);
            case 'D' -> new Describe(kind(body, "Describe"), Wire.readCString(body));
            case 'E' -> new Execute(Wire.readCString(body), body.readInt());
            case 'S' -> new Sync();
            case 'H' -> new Flush();
            case 'C' -> new Close(kind(body, "Close"), Wire.readCString(body));
            case 'd' -> new CopyData(bytes(body, body.readableBytes()));
            case 'c' -> new CopyDone();
            case 'f' -> new CopyFail(Wire.readCString(body));
            case 'X' -> new Terminate();
            case 'p' -> new PasswordMessage(bytes(body, body.readableBytes()));
            case 'F' -> functionCall(body);
            default -> throw Wire.protocolViolation("invalid frontend message type " + (int) type);
        };
    }

    private static Parse parse(ByteBuf body) {
        String name = Wire.readCString(body);
        String query = Wire.readCString(body);
        int count = body.readUnsignedShort();
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = body.readInt();
        }
        return new Parse(name, query, types);
    }

    private static Bind bind(ByteBuf body) {
        String portal = Wire.readCString(body);
        String statement = Wire.readCString(body);
        short[] parameterFormats = formats(body);
        byte[][] parameters = values(body, "parameters");
        short[] resultFormats = formats(body);
        return new Bind(portal, statement, parameterFormats, parameters, resultFormats);
    }

    private static FunctionCall functionCall(ByteBuf body) {
        int oid = body.readInt();
        short[] formats = formats(body);
        byte[][] arguments = values(body, "arguments");
        return new FunctionCall(oid, formats, arguments, body.readShort());
    }

    private static char kind(ByteBuf body, String message) {
        char kind = (char) body.readUnsignedByte();
        if (kind != 'S' && kind != 'P') {
            throw Wire.protocolViolation("invalid " + message + " message subtype " + (int) kind);
        }
        return kind;
    }

    private static short[] formats(ByteBuf body) {
        // Unsupported codes are the session's to refuse (22023 at Bind), not a framing error.
        short[] formats = new short[body.readUnsignedShort()];
        for (int i = 0; i < formats.length; i++) {
            formats[i] = body.readShort();
        }
        return formats;
    }

    private static byte[][] values(ByteBuf body, String what) {
        byte[][] values = new byte[body.readUnsignedShort()][];
        for (int i = 0; i < values.length; i++) {
            int length = body.readInt();
            if (length == -1) {
                values[i] = null;
            } else if (length < 0 || length > body.readableBytes()) {
                throw Wire.protocolViolation("invalid length " + length + " of " + what + " value " + (i + 1));
            } else {
                values[i] = bytes(body, length);
            }
        }
        return values;
    }

    private static byte[] bytes(ByteBuf body, int length) {
        byte[] bytes = new byte[length];
        body.readBytes(bytes);
        return bytes;
    }

    private static void requireEnd(ByteBuf body, String what) {
        if (body.isReadable()) {
            throw Wire.protocolViolation("invalid message format: " + body.readableBytes()
                    + " unexpected bytes at the end of the " + what);
        }
    }
}
