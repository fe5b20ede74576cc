package io.timeshard.accessnode.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.timeshard.catalog.errors.PgException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Golden bytes, checked against the layouts in the protocol chapter "Message Formats". */
class BackendMessagesTest {

    private static String hex(Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        writer.accept(buf);
        return HexFormat.of().formatHex(ByteBufUtil.getBytes(buf));
    }

    private static String ascii(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void readyForQueryIsZLengthFiveAndTheStatus() {
        assertEquals("5a0000000549", hex(out -> BackendMessages.readyForQuery(out, 'I')));
        assertEquals("5a0000000545", hex(out -> BackendMessages.readyForQuery(out, 'E')));
    }

    @Test
    void errorResponseWritesSeverityBothWaysCodeMessageAndOnlyPresentFields() {
        PgException e = new PgException("42P01", "relation \"t\" does not exist").position(15).hint("h");

        String expected = "45" + "0000003e"
                + "53" + ascii("ERROR") + "00"
                + "56" + ascii("ERROR") + "00"
                + "43" + ascii("42P01") + "00"
                + "4d" + ascii("relation \"t\" does not exist") + "00"
                + "48" + ascii("h") + "00"
                + "50" + ascii("15") + "00"
                + "00";
        assertEquals(expected, hex(out -> BackendMessages.errorResponse(out, e)));
    }

    @Test
    void noticeResponseUsesTypeNAndItsSeverity() {
        PgException notice = new PgException("00000", "n").severity("NOTICE").detail("d").context("c");

        String expected = "4e" + "00000025"
                + "53" + ascii("NOTICE") + "00"
                + "56" + ascii("NOTICE") + "00"
                + "43" + ascii("00000") + "00"
                + "4d" + ascii("n") + "00"
                + "44" + ascii("d") + "00"
                + "57" + ascii("c") + "00"
                + "00";
        assertEquals(expected, hex(out -> BackendMessages.noticeResponse(out, notice)));
    }

    @Test
    void rowDescriptionWritesEveryFieldAttribute() {
        List<ColumnDescription> columns = List.of(
                new ColumnDescription("id", 16384, (short) 1, 23, (short) 4, -1, (short) 1),
                ColumnDescription.of("v", 25, (short) -1));

        String expected = "54" + "0000002f" + "0002"
                + ascii("id") + "00" + "00004000" + "0001" + "00000017" + "0004" + "ffffffff" + "0001"
                + ascii("v") + "00" + "00000000" + "0000" + "00000019" + "ffff" + "ffffffff" + "0000";
        assertEquals(expected, hex(out -> BackendMessages.rowDescription(out, columns)));
    }

    @Test
    void dataRowWritesMinusOneForNull() {
        assertEquals("44" + "0000000f" + "0002" + "00000001" + ascii("1") + "ffffffff",
                hex(out -> BackendMessages.dataRow(out, new byte[][] {{'1'}, null})));
    }

    @Test
    void negotiateProtocolVersionWritesTheFullVersionAndTheUnknownOptions() {
        assertEquals("76" + "00000013" + "00030000" + "00000001" + ascii("_pq_.x") + "00",
                hex(out -> BackendMessages.negotiateProtocolVersion(out, 0, List.of("_pq_.x"))));
    }

    @Test
    void copyInResponseWritesOverallAndPerColumnFormats() {
        assertEquals("47" + "0000000b" + "00" + "0002" + "0000" + "0000",
                hex(out -> BackendMessages.copyInResponse(out, (byte) 0, new short[] {0, 0})));
    }

    @Test
    void authenticationMd5PasswordCarriesTheSalt() {
        assertEquals("52" + "0000000c" + "00000005" + "01020304",
                hex(out -> BackendMessages.authenticationMd5Password(out, new byte[] {1, 2, 3, 4})));
    }

    @Test
    void sslRefusalIsTheSingleByteN() {
        assertEquals("4e", hex(BackendMessages::sslRefused));
    }

    @Test
    void backendFrameReframesAWrittenMessageExactly() {
        ByteBuf original = Unpooled.buffer();
        BackendMessages.commandComplete(original, "INSERT 0 3");
        byte[] bytes = ByteBufUtil.getBytes(original);
        byte[] body = java.util.Arrays.copyOfRange(bytes, 5, bytes.length);

        BackendFrame frame = new BackendFrame(bytes[0], body);
        ByteBuf copy = Unpooled.buffer();
        frame.writeTo(copy);

        assertEquals(HexFormat.of().formatHex(bytes), HexFormat.of().formatHex(ByteBufUtil.getBytes(copy)));
        assertEquals("INSERT 0 3", frame.commandTag());
    }

    @Test
    void backendFrameDecodesAnErrorResponseBackIntoTheSameFields() {
        PgException e = new PgException("23505", "duplicate key").severity("FATAL").detail("d").hint("h")
                .context("w").position(7);
        ByteBuf buf = Unpooled.buffer();
        BackendMessages.errorResponse(buf, e);
        byte[] bytes = ByteBufUtil.getBytes(buf);

        PgException back = new BackendFrame(bytes[0], java.util.Arrays.copyOfRange(bytes, 5, bytes.length)).toException();
        assertEquals(List.of("FATAL", "23505", "duplicate key", "d", "h", "w", 7),
                List.of(back.severity(), back.sqlState(), back.getMessage(), back.detail(), back.hint(), back.context(),
                        back.position()));
    }
}
