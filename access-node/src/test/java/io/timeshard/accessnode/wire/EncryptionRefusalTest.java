package io.timeshard.accessnode.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncryptionRefusalTest {

    private static ByteBuf encoded(FrontendMessage m) {
        ByteBuf buf = Unpooled.buffer();
        m.encode(buf);
        return buf;
    }

    @Test
    void sslRequestIsAnsweredWithNAndNotPassedOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder(), new EncryptionRefusal());
        ch.writeInbound(encoded(new FrontendMessage.SslRequest()));

        ByteBuf answer = ch.readOutbound();
        assertEquals(1, answer.readableBytes());
        assertEquals('N', answer.readByte());
        assertNull(ch.readInbound());
    }

    @Test
    void gssEncRequestThenSslRequestAreBothRefusedAndTheStartupPassesOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrontendDecoder(), new EncryptionRefusal());
        ch.writeInbound(encoded(new FrontendMessage.GssEncRequest()));
        ch.writeInbound(encoded(new FrontendMessage.SslRequest()));
        ch.writeInbound(encoded(new FrontendMessage.StartupMessage(3, 0, Map.of("user", "u"))));

        assertEquals('N', ((ByteBuf) ch.readOutbound()).readByte());
        assertEquals('N', ((ByteBuf) ch.readOutbound()).readByte());
        assertNull(ch.readOutbound());
        assertInstanceOf(FrontendMessage.StartupMessage.class, ch.readInbound());
    }
}
