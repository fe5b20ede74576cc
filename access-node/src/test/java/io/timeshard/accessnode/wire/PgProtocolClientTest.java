package io.timeshard.accessnode.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.accessnode.wire.FrontendMessage.*;
import io.timeshard.catalog.errors.PgException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link PgProtocolClient} against a real PostgreSQL 15 (zonky embedded). */
class PgProtocolClientTest {
    private static final String HOST = "127.0.0.1";
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectoryCustomizer(dir -> {
                    try {
                        Files.writeString(dir.toPath().resolve("pg_hba.conf"), """
                                local all all trust
                                host all clear_user 127.0.0.1/32 password
                                host all md5_user 127.0.0.1/32 md5
                                host all scram_user 127.0.0.1/32 scram-sha-256
                                host all all 127.0.0.1/32 trust
                                host all all ::1/128 trust
                                """);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'md5'");
            s.execute("CREATE ROLE md5_user LOGIN PASSWORD 'md5 secret'");
            s.execute("CREATE ROLE clear_user LOGIN PASSWORD 'clear secret'");
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("CREATE ROLE scram_user LOGIN PASSWORD 'scram secret'");
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    private static Map<String, String> startup(String user) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", user);
        p.put("database", "postgres");
        p.put("application_name", "timeshard-wire-test");
        p.put("client_encoding", "UTF8");
        p.put("DateStyle", "ISO, MDY");
        p.put("TimeZone", "UTC");
        return p;
    }

    private static PgProtocolClient connect(String user, String password) {
        return PgProtocolClient.connect(HOST, postgres.getPort(), startup(user), password);
    }

    /** Reads frames up to and including ReadyForQuery. */
    private static List<BackendFrame> untilReady(PgProtocolClient client) {
        List<BackendFrame> frames = new ArrayList<>();
        BackendFrame f;
        do {
            f = client.read();
            frames.add(f);
        } while (f.kind() != 'Z');
        return frames;
    }

    private static String kinds(List<BackendFrame> frames) {
        StringBuilder sb = new StringBuilder();
        frames.forEach(f -> sb.append(f.kind()));
        return sb.toString();
    }

    @Test
    void trustConnectCollectsParameterStatusAndBackendKey() {
        try (PgProtocolClient client = connect("postgres", null)) {
            assertEquals("UTF8", client.parameterStatus().get("client_encoding"));
            assertEquals("timeshard-wire-test", client.parameterStatus().get("application_name"));
            assertTrue(client.parameterStatus().get("server_version").startsWith("15."));
            assertNotEquals(0, client.backendPid());
            assertEquals('I', client.transactionStatus());
        }
    }

    @Test
    void simpleQueryReturnsRowDescriptionDataRowCommandCompleteAndReadyForQuery() {
        try (PgProtocolClient client = connect("postgres", null)) {
            client.send(new Query("SELECT 1 AS one, NULL::text AS nothing"));
            client.flush();
            List<BackendFrame> frames = untilReady(client);

            assertEquals("TDCZ", kinds(frames));
            List<ColumnDescription> columns = frames.get(0).rowDescription();
            assertEquals(List.of("one", "nothing"), columns.stream().map(ColumnDescription::name).toList());
            assertEquals(23, columns.get(0).typeOid());
            assertEquals(25, columns.get(1).typeOid());
            byte[][] row = frames.get(1).dataRow();
            assertArrayEquals("1".getBytes(UTF_8), row[0]);
            assertNull(row[1]);
            assertEquals("SELECT 1", frames.get(2).commandTag());
            assertEquals('I', frames.get(3).readyStatus());
        }
    }

    @Test
    void extendedProtocolRoundTripWithATextParameter() {
        try (PgProtocolClient client = connect("postgres", null)) {
            client.send(new Parse("s1", "SELECT $1::text || '!' AS shout", new int[] {25}));
            client.send(new Bind("", "s1", new short[0], new byte[][] {"hey".getBytes(UTF_8)}, new short[0]));
            client.send(new Describe('P', ""));
            client.send(new Execute("", 0));
            client.send(new Sync());
            client.flush();
            List<BackendFrame> frames = untilReady(client);

            assertEquals("12TDCZ", kinds(frames));
            assertEquals("shout", frames.get(2).rowDescription().get(0).name());
            assertArrayEquals("hey!".getBytes(UTF_8), frames.get(3).dataRow()[0]);
            assertEquals("SELECT 1", frames.get(4).commandTag());
        }
    }

    @Test
    void describeStatementReturnsParameterDescription() {
        try (PgProtocolClient client = connect("postgres", null)) {
            client.send(new Parse("", "SELECT $1::int8 + $2::int4", new int[0]));
            client.send(new Describe('S', ""));
            client.send(new Sync());
            client.flush();
            List<BackendFrame> frames = untilReady(client);

            assertEquals("1tTZ", kinds(frames));
            assertArrayEquals(new int[] {20, 23}, frames.get(1).parameterDescription());
        }
    }

    @Test
    void missingTableErrorDecodesTo42P01WithPosition() {
        try (PgProtocolClient client = connect("postgres", null)) {
            client.send(new Query("SELECT * FROM no_such_table"));
            client.flush();
            List<BackendFrame> frames = untilReady(client);

            assertEquals("EZ", kinds(frames));
            PgException e = frames.get(0).toException();
            assertEquals("42P01", e.sqlState());
            assertEquals("ERROR", e.severity());
            assertEquals("relation \"no_such_table\" does not exist", e.getMessage());
            assertEquals(15, e.position());
        }
    }

    @Test
    void transactionStatusFollowsReadyForQuery() {
        try (PgProtocolClient client = connect("postgres", null)) {
            client.send(new Query("BEGIN"));
            client.flush();
            untilReady(client);
            assertEquals('T', client.transactionStatus());

            client.send(new Query("SELECT 1/0"));
            client.flush();
            untilReady(client);
            assertEquals('E', client.transactionStatus());
        }
    }

    @Test
    void parameterStatusIsUpdatedBySetAfterStartup() {
        try (PgProtocolClient client = connect("postgres", null)) {
            client.send(new Query("SET application_name = 'renamed'"));
            client.flush();
            untilReady(client);

            assertEquals("renamed", client.parameterStatus().get("application_name"));
        }
    }

    @Test
    void errorDuringStartupIsThrownWithTheBackendsSqlState() {
        Map<String, String> p = startup("postgres");
        p.put("database", "no_such_db");

        PgException e = assertThrows(PgException.class,
                () -> PgProtocolClient.connect(HOST, postgres.getPort(), p, null));
        assertEquals("3D000", e.sqlState());
        assertEquals("FATAL", e.severity());
    }

    @Test
    void cleartextPasswordAuthentication() {
        try (PgProtocolClient client = connect("clear_user", "clear secret")) {
            assertEquals('I', client.transactionStatus());
        }
    }

    @Test
    void md5PasswordAuthentication() {
        try (PgProtocolClient client = connect("md5_user", "md5 secret")) {
            assertEquals('I', client.transactionStatus());
        }
    }

    @Test
    void scramSha256Authentication() {
        try (PgProtocolClient client = connect("scram_user", "scram secret")) {
            assertEquals('I', client.transactionStatus());
        }
    }

    @Test
    void wrongScramPasswordIsRefusedWith28P01() {
        PgException e = assertThrows(PgException.class, () -> connect("scram_user", "wrong"));
        assertEquals("28P01", e.sqlState());
    }

    @Test
    void passwordRequestWithoutAPasswordFailsWith08001() {
        PgException e = assertThrows(PgException.class, () -> connect("md5_user", null));
        assertEquals("08001", e.sqlState());
    }

    @Test
    void cancelStopsARunningStatementWith57014() throws Exception {
        try (PgProtocolClient client = connect("postgres", null)) {
            client.send(new Query("SELECT pg_sleep(30)"));
            client.flush();
            Thread.sleep(300);
            PgProtocolClient.cancel(HOST, postgres.getPort(), client.backendPid(), client.backendSecret());
            List<BackendFrame> frames = untilReady(client);

            BackendFrame error = frames.stream().filter(f -> f.kind() == 'E').findFirst().orElseThrow();
            assertEquals("57014", error.toException().sqlState());
        }
    }

    @Test
    void hasBufferedInputSeesAnEarlyErrorDuringCopy() throws Exception {
        try (PgProtocolClient client = connect("postgres", null)) {
            client.send(new Query("CREATE TEMP TABLE t (i int); COPY t FROM STDIN"));
            client.flush();
            assertEquals('C', client.read().kind());
            assertEquals('G', client.read().kind());
            assertTrue(!client.hasBufferedInput());

            client.send(new CopyData("not a number\n".getBytes(UTF_8)));
            client.send(new CopyDone());
            client.flush();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!client.hasBufferedInput() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(client.hasBufferedInput());
            assertEquals("22P02", client.read().toException().sqlState());
        }
    }

    @Test
    void framesReadFromTheBackendReframeToTheirExactBytes() {
        try (PgProtocolClient client = connect("postgres", null)) {
            client.send(new Query("SELECT 'a'::text, 2"));
            client.flush();
            for (BackendFrame f : untilReady(client)) {
                io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
                f.writeTo(buf);
                assertEquals(f.type(), buf.readByte());
                assertEquals(f.body().length + 4, buf.readInt());
                assertArrayEquals(f.body(), io.netty.buffer.ByteBufUtil.getBytes(buf));
            }
        }
    }
}
