package io.timeshard.accessnode.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.timeshard.accessnode.wire.BackendMessages;
import io.timeshard.accessnode.wire.BackendFrame;
import io.timeshard.catalog.errors.PgException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Buffered output to one client. Messages accumulate in a buffer that is flushed when it grows past
 * {@value #FLUSH_BYTES} bytes and whenever the session flushes (ReadyForQuery, errors, notices, COPY
 * responses), as PostgreSQL does. Writing waits while the client's socket is not writable, so a slow
 * reader holds back a relayed result instead of filling the memory. Used by the session thread only.
 */
public final class ClientOutput {
    private static final int FLUSH_BYTES = 64 * 1024;

    private final Channel channel;
    private ByteBuf buf;

    /** @param channel the client's Netty channel */
    public ClientOutput(Channel channel) {
        this.channel = channel;
        this.buf = channel.alloc().buffer(8192);
    }

    /** Appends whatever {@code writer} writes (one or more complete messages). */
    public void write(Consumer<ByteBuf> writer) {
        writer.accept(buf);
        if (buf.readableBytes() >= FLUSH_BYTES) flush();
    }

    /** Appends a frame relayed from the backend, unchanged. */
    public void frame(BackendFrame f) {
        f.writeTo(buf);
        if (buf.readableBytes() >= FLUSH_BYTES) flush();
    }

    /** Writes an ErrorResponse (or a NoticeResponse for notice severities) and flushes. */
    public void error(PgException e) {
        write(b -> BackendMessages.errorResponse(b, e));
        flush();
    }

    /**
     * Writes a NoticeResponse (protocol "Error and Notice Message Fields") with {@code notice}'s
     * severity (NOTICE, WARNING…) and fields, and flushes, as PostgreSQL does.
     */
    public void notice(PgException notice) {
        write(b -> BackendMessages.noticeResponse(b, notice));
        flush();
    }

    /** Writes a NOTICE (SQLSTATE 00000) with {@code message}. */
    public void notice(String message) {
        notice(new PgException("00000", message).severity("NOTICE"));
    }

    /** Sends the buffered messages to the client. */
    public void flush() {
        if (buf.readableBytes() == 0) return;
        while (channel.isActive() && !channel.isWritable()) {
            LockSupport.parkNanos(200_000);
        }
        channel.writeAndFlush(buf);
        buf = channel.alloc().buffer(8192);
    }

    /** Releases the buffer; the output cannot be used afterwards. */
    public void close() {
        buf.release();
    }
}
