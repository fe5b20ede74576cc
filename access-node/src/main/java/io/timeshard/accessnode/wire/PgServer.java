package io.timeshard.accessnode.wire;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A TCP server speaking the PostgreSQL v3 protocol: each accepted connection gets a pipeline of
 * {@link FrontendDecoder}, {@link EncryptionRefusal} (SSLRequest/GSSENCRequest → 'N') and a fresh
 * session handler from the factory. The session handler receives {@link FrontendMessage}s — the
 * StartupMessage or CancelRequest first, then typed messages — and a {@link
 * io.timeshard.catalog.errors.PgException} in {@code exceptionCaught} when the client breaks the
 * framing. It writes {@link io.netty.buffer.ByteBuf}s built with {@link BackendMessages}.
 *
 * <p>Sockets use TCP_NODELAY and SO_KEEPALIVE. Lifecycle: construct, {@link #start()} once,
 * {@link #close()} once. Thread-safe.
 */
public final class PgServer implements AutoCloseable {
    private final String host;
    private final int requestedPort;
    private final Supplier<ChannelHandler> sessionHandlerFactory;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;

    /**
     * @param host                  address to listen on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port                  TCP port, 0 for any free port (see {@link #port()})
     * @param sessionHandlerFactory called once per connection; must return a new, unshared handler
     *                              (or a {@code @Sharable} one)
     */
    public PgServer(String host, int port, Supplier<ChannelHandler> sessionHandlerFactory) {
        this.host = Objects.requireNonNull(host, "host");
        this.requestedPort = port;
        this.sessionHandlerFactory = Objects.requireNonNull(sessionHandlerFactory, "sessionHandlerFactory");
    }

    /**
     * Binds the listening socket and starts accepting connections.
     *
     * @throws UncheckedIOException whose message says "port N on HOST is already in use" when the
     *                              port is taken, or names the address for any other bind failure
     * @throws IllegalStateException when already started
     */
    public synchronized void start() {
        if (serverChannel != null) {
            throw new IllegalStateException("the server on " + host + " is already started");
        }
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("decoder", new FrontendDecoder());
                        ch.pipeline().addLast("encryption-refusal", new EncryptionRefusal());
                        ch.pipeline().addLast("session", sessionHandlerFactory.get());
                    }
                });
        ChannelFuture bound = bootstrap.bind(host, requestedPort).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdownGroups();
            Throwable cause = bound.cause();
            IOException io = cause instanceof IOException e ? e : new IOException(cause);
            if (cause instanceof BindException) {
                throw new UncheckedIOException("port " + requestedPort + " on " + host + " is already in use", io);
            }
            throw new UncheckedIOException("could not listen on port " + requestedPort + " on " + host
                    + ": " + cause.getMessage(), io);
        }
        serverChannel = bound.channel();
    }

    /**
     * @return the port actually listened on (the chosen one when constructed with 0)
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("the server on " + host + " is not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Stops accepting, closes every connection and waits (up to 10 s) for the event loops to
     * finish their pending work. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
        }
        shutdownGroups();
    }

    private void shutdownGroups() {
        // Quiet period 100 ms: long enough for in-flight writes (a FATAL before close) to leave.
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            bossGroup = null;
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            workerGroup = null;
        }
    }
}
