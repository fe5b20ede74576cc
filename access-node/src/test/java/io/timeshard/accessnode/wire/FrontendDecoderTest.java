package io.timeshard.accessnode.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.timeshard.accessnode.wire.FrontendMessage.*;
import io.timeshard.catalog.errors.PgException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FrontendDecoderTest {

    private static final StartupMessage STARTUP = new StartupMessage(3, 0, orderedParameters());

    private static Map<String, String> orderedParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", "alice");
        p.put("database", "metrics");
        p.put("client_encoding", "UTF8");
        p.put("DateStyle", "ISO");
        p.put("TimeZone", "Europe/Zürich");
        return p;
    }

    private static byte[] bytes(FrontendMessage... messages) {
        ByteBuf buf = Unpooled.buffer();
        for (FrontendMessage m : messages) {
            m.encode(buf);
        }
        return ByteBufUtil.getBytes(buf);
    }

    private static List<FrontendMessage> decodeAll(EmbeddedChannel ch) {
        List<FrontendMessage> out = new ArrayList<>();
        for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
            out.add((FrontendMessage) m);
        }
        return out;
    }

    private static EmbeddedChannel startedChannel() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(STARTUP)));
        assertInstanceOf(StartupMessage.class, ch.readInbound());
        return ch;
    }

    @Test
    void startupMessageKeepsItsParametersInOrder() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(STARTUP)));

        StartupMessage m = (StartupMessage) ch.readInbound();
        assertEquals(3, m.majorVersion());
        assertEquals(0, m.minorVersion());
        assertEquals(List.of("user", "database", "client_encoding", "DateStyle", "TimeZone"),
                List.copyOf(m.parameters().keySet()));
        assertEquals("Europe/Zürich", m.parameters().get("TimeZone"));
    }

    @Test
    void startupMessageWithNewerMinorVersionIsPassedOnForTheSessionToNegotiate() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(new StartupMessage(3, 2, Map.of("user", "u", "_pq_.x", "1")))));

        StartupMessage m = (StartupMessage) ch.readInbound();
        assertEquals(2, m.minorVersion());
        assertEquals("1", m.parameters().get("_pq_.x"));
    }

    @Test
    void gssEncRequestThenSslRequestThenStartupAreDecodedOnOneConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(new GssEncRequest())));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(new SslRequest())));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(STARTUP, new Query("SELECT 1"))));

        List<FrontendMessage> messages = decodeAll(ch);
        assertEquals(List.of(new GssEncRequest(), new SslRequest(), STARTUP, new Query("SELECT 1")), messages);
    }

    @Test
    void cancelRequestCarriesProcessIdAndSecret() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(new CancelRequest(4242, 0xCAFEBABE))));

        assertEquals(new CancelRequest(4242, 0xCAFEBABE), ch.readInbound());
    }

    @Test
    void typedMessagesSplitAcrossArbitraryByteBoundariesDecodeToTheSameMessages() {
        FrontendMessage[] sent = {
                STARTUP,
                new Parse("S_1", "SELECT $1::int + $2", new int[] {23, 0}),
                new Bind("", "S_1", new short[] {1, 0}, new byte[][] {{0, 0, 0, 7}, "35".getBytes(UTF_8)}, new short[] {1}),
                new Describe('P', ""),
                new Execute("", 50),
                new Flush(),
                new Sync(),
                new Close('S', "S_1"),
                new Query("COPY t FROM STDIN"),
                new CopyData("1\tä\n2\tb\n".getBytes(UTF_8)),
                new CopyDone(),
                new CopyFail("stopped"),
                new PasswordMessage("md5abc\0".getBytes(UTF_8)),
                new FunctionCall(1598, new short[0], new byte[][] {null}, (short) 1),
                new Terminate(),
        };
        byte[] stream = bytes(sent);
        for (long seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder());
            for (int i = 0; i < stream.length; ) {
                int n = seed == 0 ? 1 : Math.min(stream.length - i, 1 + random.nextInt(40));
                ch.writeInbound(Unpooled.wrappedBuffer(stream, i, n));
                i += n;
            }
            List<FrontendMessage> received = decodeAll(ch);
            assertEquals(sent.length, received.size(), "seed " + seed);
            assertArrayEquals(stream, bytes(received.toArray(FrontendMessage[]::new)), "seed " + seed);
        }
    }

    @Test
    void bindKeepsNullParametersAndMixedFormats() {
        EmbeddedChannel ch = startedChannel();
        byte[] binaryInt = {0, 0, 0, 42};
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(new Bind("portal", "stmt", new short[] {0, 1, 0},
                new byte[][] {"abc".getBytes(UTF_8), binaryInt, null}, new short[] {0, 1}))));

        Bind bind = (Bind) ch.readInbound();
        assertEquals("portal", bind.portal());
        assertEquals("stmt", bind.statement());
        assertArrayEquals(new short[] {0, 1, 0}, bind.parameterFormats());
        assertEquals(3, bind.parameters().length);
        assertArrayEquals("abc".getBytes(UTF_8), bind.parameters()[0]);
        assertArrayEquals(binaryInt, bind.parameters()[1]);
        assertNull(bind.parameters()[2]);
        assertEquals(1, bind.parameterFormat(1));
        assertEquals(1, bind.resultFormat(1));
    }

    @Test
    void singleFormatCodeAppliesToEveryParameter() {
        Bind bind = new Bind("", "", new short[] {1}, new byte[][] {{1}, {2}}, new short[0]);

        assertEquals(1, bind.parameterFormat(0));
        assertEquals(1, bind.parameterFormat(1));
        assertEquals(0, bind.resultFormat(5));
    }

    @Test
    void copyDataKeepsItsBytesExactly() {
        EmbeddedChannel ch = startedChannel();
        byte[] data = {'1', '\t', (byte) 0xC3, (byte) 0xA4, '\n', 0, (byte) 0xFF};
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(new CopyData(data))));

        assertArrayEquals(data, ((CopyData) ch.readInbound()).data());
    }

    @Test
    void typedMessageLongerThanOneGibibyteIsAProtocolViolation() {
        EmbeddedChannel ch = startedChannel();
        ByteBuf huge = Unpooled.buffer().writeByte('Q').writeInt((1 << 30) + 1);

        PgException e = assertThrows(PgException.class, () -> ch.writeInbound(huge));
        assertEquals("08P01", e.sqlState());
        assertTrue(e.getMessage().contains("length"), e.getMessage());
    }

    @Test
    void typedMessageLengthBelowFourIsAProtocolViolation() {
        EmbeddedChannel ch = startedChannel();

        PgException e = assertThrows(PgException.class,
                () -> ch.writeInbound(Unpooled.buffer().writeByte('S').writeInt(3)));
        assertEquals("08P01", e.sqlState());
    }

    @Test
    void startupPacketLongerThanTenThousandBytesIsAProtocolViolation() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder());

        PgException e = assertThrows(PgException.class,
                () -> ch.writeInbound(Unpooled.buffer().writeInt(10_001).writeInt(3 << 16)));
        assertEquals("08P01", e.sqlState());
        assertTrue(e.getMessage().contains("startup packet"), e.getMessage());
    }

    @Test
    void unknownMessageTypeIsAProtocolViolationNamingTheType() {
        EmbeddedChannel ch = startedChannel();

        PgException e = assertThrows(PgException.class,
                () -> ch.writeInbound(Unpooled.buffer().writeByte('z').writeInt(4)));
        assertEquals("08P01", e.sqlState());
        assertTrue(e.getMessage().contains(Integer.toString('z')), e.getMessage());
    }

    @Test
    void describeWithAnUnknownKindIsAProtocolViolation() {
        EmbeddedChannel ch = startedChannel();
        ByteBuf bad = Unpooled.buffer().writeByte('D').writeInt(6).writeByte('X').writeByte(0);

        assertEquals("08P01", assertThrows(PgException.class, () -> ch.writeInbound(bad)).sqlState());
    }

    @Test
    void trailingBytesInAMessageAreAProtocolViolation() {
        EmbeddedChannel ch = startedChannel();
        ByteBuf bad = Unpooled.buffer().writeByte('S').writeInt(5).writeByte(1);

        assertEquals("08P01", assertThrows(PgException.class, () -> ch.writeInbound(bad)).sqlState());
    }

    @Test
    void bindValueLongerThanItsMessageIsAProtocolViolation() {
        EmbeddedChannel ch = startedChannel();
        ByteBuf bad = Unpooled.buffer().writeByte('B').writeInt(4 + 2 + 2 + 2 + 4)
                .writeByte(0).writeByte(0).writeShort(0).writeShort(1).writeInt(1_000_000);

        assertEquals("08P01", assertThrows(PgException.class, () -> ch.writeInbound(bad)).sqlState());
    }

    @Test
    void protocolVersionTwoIsNotSupported() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder());

        PgException e = assertThrows(PgException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(bytes(new StartupMessage(2, 0, Map.of("user", "u"))))));
        assertEquals("0A000", e.sqlState());
    }

    @Test
    void invalidUtf8InAQueryIsRejectedWith22021() {
        EmbeddedChannel ch = startedChannel();
        ByteBuf bad = Unpooled.buffer().writeByte('Q').writeInt(4 + 2).writeByte(0xC3).writeByte(0);

        assertEquals("22021", assertThrows(PgException.class, () -> ch.writeInbound(bad)).sqlState());
    }

    @Test
    void decodeErrorReachesTheNextHandlerAsThePgExceptionItself() {
        AtomicReference<Throwable> caught = new AtomicReference<>();
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                caught.set(cause);
            }
        });
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(STARTUP)));
        ch.writeInbound(Unpooled.buffer().writeByte('Q').writeInt(-5));

        PgException e = assertInstanceOf(PgException.class, caught.get());
        assertEquals("08P01", e.sqlState());
    }

    @Test
    void bytesAfterADecodeErrorAreDiscarded() {
        AtomicReference<Throwable> caught = new AtomicReference<>();
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                caught.compareAndSet(null, cause);
            }
        });
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(STARTUP)));
        ch.readInbound();
        ch.writeInbound(Unpooled.buffer().writeByte('?').writeInt(4));
        Throwable first = caught.get();
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(new Query("SELECT 1"))));

        assertNull(ch.readInbound());
        assertSame(first, caught.get());
    }
}
