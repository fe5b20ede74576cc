package io.timeshard.accessnode.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CopyFieldsTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRowWrittenInTextFormatReadsBackTheSame() {
        byte[][] values = {utf8("plain"), null, utf8("tab\there, line\nand\r back\\slash"), utf8(""), utf8("ünïcode")};
        byte[] row = CopyFields.textRowBytes(values);
        assertEquals("plain\t\\N\ttab\\there, line\\nand\\r back\\\\slash\t\tünïcode\n", new String(row, StandardCharsets.UTF_8));
        byte[][] back = CopyFields.textRow(row);
        assertEquals(values.length, back.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) assertNull(back[i]);
            else assertArrayEquals(values[i], back[i]);
        }
    }
}
