package io.timeshard.accessnode.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.timeshard.accessnode.wire.FrontendMessage.GssEncRequest;
import io.timeshard.accessnode.wire.FrontendMessage.SslRequest;

/**
 * Answers SSLRequest and GSSENCRequest with the single byte 'N' (encryption not available) and
 * consumes them; the client then continues in plaintext on the same connection, possibly with the
 * other request first (libpq sends GSSENCRequest then SSLRequest). Every other message passes on
 * unchanged. Source: PostgreSQL documentation, "Message Flow" → "SSL Session Encryption" and
 * "GSSAPI Session Encryption".
 *
 * <p>Stateless and {@link io.netty.channel.ChannelHandler.Sharable Sharable}.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class EncryptionRefusal extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SslRequest || msg instanceof GssEncRequest) {
            ByteBuf answer = ctx.alloc().buffer(1);
            BackendMessages.sslRefused(answer);
            ctx.writeAndFlush(answer);
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
