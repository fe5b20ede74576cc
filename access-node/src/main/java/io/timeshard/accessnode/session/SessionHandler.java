package io.timeshard.accessnode.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.wire.BackendMessages;
import io.timeshard.accessnode.wire.FrontendMessage;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;

/**
 * The Netty end of a session: hands each decoded message to the session's thread (a platform thread) and
 * reports connection loss. A decoding error (08P01) closes only this connection, after a FATAL
 * ErrorResponse.
 */
public final class SessionHandler extends SimpleChannelInboundHandler<FrontendMessage> {
    private final AccessNode node;
    private Session session;

    /** @param node the access node */
    public SessionHandler(AccessNode node) {
        this.node = node;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session = new Session(node, ctx.channel());
        // a platform thread, not a virtual one: a session blocks on its backend socket and on the data nodes' rows
        // several times a statement, and each wake-up of a virtual thread went through the I/O poller and the
        // carrier pool (0.4-0.6 ms of CPU a statement on TSBS's tags-form lastpoint, on two cores)
        Thread.ofPlatform().daemon().name("session").start(session);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FrontendMessage msg) {
        session.offer(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) session.disconnected();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        PgException e = cause instanceof PgException pe ? pe
                : cause.getCause() instanceof PgException pe2 ? pe2
                : new PgException(SqlState.PROTOCOL_VIOLATION, "invalid frontend message: " + cause.getMessage());
        var buf = ctx.alloc().buffer();
        BackendMessages.errorResponse(buf, e.severity("FATAL"));
        ctx.writeAndFlush(buf).addListener(f -> ctx.close());
    }
}
