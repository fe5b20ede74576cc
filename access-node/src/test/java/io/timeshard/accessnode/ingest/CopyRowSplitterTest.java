package io.timeshard.accessnode.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting COPY input into rows across arbitrary CopyData boundaries, and reading routing fields. */
class CopyRowSplitterTest {
    private static List<String> split(boolean csv, String... chunks) {
        CopyRowSplitter s = new CopyRowSplitter(csv, '"', '"');
        List<String> rows = new ArrayList<>();
        CopyRowSplitter.RowSink sink = (b, off, len, quotedNewlines) -> rows.add(new String(b, off, len, StandardCharsets.UTF_8));
        for (String c : chunks) s.feed(c.getBytes(StandardCharsets.UTF_8), sink);
        s.finish(sink);
        return rows;
    }

    @Test
    void rowsSplitAcrossMessageBoundariesAreReassembled() {
        assertEquals(List.of("a\tb", "c\td", "e"), split(false, "a\t", "b\nc", "\td\n", "e"));
    }

    @Test
    void crlfLineEndingsAndEndMarker() {
        assertEquals(List.of("a", "b"), split(false, "a\r\nb\r\n\\.\r\nignored\n"));
    }

    @Test
    void textEscapedNewlineStaysInsideTheRow() {
        assertEquals(List.of("a\\\nb", "c"), split(false, "a\\", "\nb\nc\n"));
    }

    @Test
    void csvQuotedNewlinesAndDoubledQuotesStayInsideTheRow() {
        assertEquals(List.of("1,\"x\ny\"", "2,\"he said \"\"hi\"\"\""), split(true, "1,\"x\n", "y\"\n2,\"he said \"\"hi\"\"\"\n"));
    }

    @Test
    void rowsReportTheNewlinesInsideTheirQuotes() {
        CopyRowSplitter s = new CopyRowSplitter(true, '"', '"');
        List<Integer> counts = new ArrayList<>();
        CopyRowSplitter.RowSink sink = (b, off, len, quotedNewlines) -> counts.add(quotedNewlines);
        s.feed("a,\"x\ny\nz\"\nb,c\n".getBytes(StandardCharsets.UTF_8), sink);
        assertEquals(List.of(2, 0), counts);
    }

    @Test
    void everyByteBoundaryGivesTheSameRows() {
        String input = "t1,\"a,b\",3\nt2,\"multi\nline\",4\nt3,,5\n";
        List<String> whole = split(true, input);
        for (int cut = 1; cut < input.length(); cut++) {
            assertEquals(whole, split(true, input.substring(0, cut), input.substring(cut)), "cut at " + cut);
        }
    }

    @Test
    void textFieldsDecodeEscapesAndNull() {
        CopyFields f = new CopyFields(false, '\t', '"', '"', "\\N");
        byte[] row = "2019-01-01\t\\N\ta\\tb\\\\c\t\\x41\\101".getBytes(StandardCharsets.UTF_8);
        assertEquals("2019-01-01", f.field(row, 0, row.length, 0, false));
        assertNull(f.field(row, 0, row.length, 1, false));
        assertEquals("a\tb\\c", f.field(row, 0, row.length, 2, false));
        assertEquals("AA", f.field(row, 0, row.length, 3, false));
        assertSame(CopyFields.MISSING, f.field(row, 0, row.length, 4, false));
    }

    @Test
    void csvFieldsUnquoteAndTellEmptyFromNull() {
        CopyFields f = new CopyFields(true, ',', '"', '"', "");
        byte[] row = "\"a,\"\"b\"\"\",,\"\",x".getBytes(StandardCharsets.UTF_8);
        assertEquals("a,\"b\"", f.field(row, 0, row.length, 0, false));
        assertNull(f.field(row, 0, row.length, 1, false));
        assertEquals("", f.field(row, 0, row.length, 1, true));
        assertEquals("", f.field(row, 0, row.length, 2, false));
        assertEquals("x", f.field(row, 0, row.length, 3, false));
        assertTrue(f.field(row, 0, row.length, 4, false) == CopyFields.MISSING);
    }
}
