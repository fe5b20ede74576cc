package io.timeshard.accessnode.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.timeshard.accessnode.wire.FrontendMessage.*;
import io.timeshard.catalog.errors.PgException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A {@link PgServer} with a tiny scripted session, driven by pgjdbc: proves the framing end to end. */
class PgServerEndToEndTest {
    private final List<FrontendMessage> received = new CopyOnWriteArrayList<>();
    private PgServer server;

    /** Answers the start-up, {@code SELECT 1}, any SET; refuses everything else with 0A000. */
    private final class ScriptedSession extends SimpleChannelInboundHandler<FrontendMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FrontendMessage message) {
            received.add(message);
            ByteBuf out = ctx.alloc().buffer();
            switch (message) {
                case StartupMessage startup -> {
                    BackendMessages.authenticationOk(out);
                    Map.of("server_version", "15.0",
                                    "client_encoding", "UTF8",
                                    "DateStyle", "ISO, MDY",
                                    "integer_datetimes", "on",
                                    "standard_conforming_strings", "on",
                                    "TimeZone", "UTC")
                            .forEach((name, value) -> BackendMessages.parameterStatus(out, name, value));
                    BackendMessages.backendKeyData(out, 17, 0x5EC2E7);
                    BackendMessages.readyForQuery(out, 'I');
                }
                case Query q when q.sql().equals("SELECT 1") -> {
                    BackendMessages.rowDescription(out, List.of(ColumnDescription.of("?column?", 23, (short) 4)));
                    BackendMessages.dataRow(out, new byte[][] {"1".getBytes(UTF_8)});
                    BackendMessages.commandComplete(out, "SELECT 1");
                    BackendMessages.readyForQuery(out, 'I');
                }
                case Query q when q.sql().startsWith("SET ") -> {
                    BackendMessages.commandComplete(out, "SET");
                    BackendMessages.readyForQuery(out, 'I');
                }
                case Query q -> {
                    BackendMessages.errorResponse(out, PgException.notSupported("not scripted: " + q.sql(), null));
                    BackendMessages.readyForQuery(out, 'I');
                }
                case Terminate t -> {
                    out.release();
                    ctx.close();
                    return;
                }
                default -> {
                    BackendMessages.errorResponse(out, PgException.notSupported("not scripted: " + message, null)
                            .severity("FATAL"));
                    ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            }
            ctx.writeAndFlush(out);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ByteBuf out = ctx.alloc().buffer();
            PgException e = cause instanceof PgException pg ? pg : new PgException("XX000", String.valueOf(cause));
            BackendMessages.errorResponse(out, e.severity("FATAL"));
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @BeforeEach
    void startServer() {
        server = new PgServer("127.0.0.1", 0, ScriptedSession::new);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String url() {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/db?user=u&preferQueryMode=simple";
    }

    @Test
    void pgjdbcReadsOneFromSelectOne() throws SQLException {
        try (Connection c = DriverManager.getConnection(url());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
            assertFalse(rs.next());
        }
    }

    @Test
    void pgjdbcsSslRequestIsRefusedAndItsStartupArrivesWithItsParameters() throws SQLException {
        try (Connection c = DriverManager.getConnection(url())) {
            assertFalse(c.isClosed());
        }
        // pgjdbc's default sslmode=prefer sends SSLRequest first; EncryptionRefusal consumed it.
        StartupMessage startup = (StartupMessage) received.getFirst();
        assertEquals("u", startup.parameters().get("user"));
        assertEquals("db", startup.parameters().get("database"));
        assertEquals("UTF8", startup.parameters().get("client_encoding"));
    }

    @Test
    void pgjdbcSeesAnErrorResponseAsSqlExceptionWithItsSqlState() throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT 2"));
            assertEquals("0A000", e.getSQLState());
        }
    }

    @Test
    void startingOnATakenPortSaysSo() {
        PgServer second = new PgServer("127.0.0.1", server.port(), ScriptedSession::new);

        UncheckedIOException e = assertThrows(UncheckedIOException.class, second::start);
        assertEquals("port " + server.port() + " on 127.0.0.1 is already in use", e.getMessage());
        second.close();
    }
}
