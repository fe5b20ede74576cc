package io.timeshard.accessnode.ingest;

import java.util.Arrays;

/**
 * Cuts a COPY FROM STDIN byte stream into rows, whatever the CopyData message boundaries (PostgreSQL
 * docs, "COPY", File Formats): in text format a row ends at a newline not preceded by a backslash; in
 * CSV format at a newline outside quotes. A trailing carriage return is dropped (CRLF input). The row
 * passed on excludes its line ending, and says how many newlines it holds inside quotes: PostgreSQL
 * counts those as lines in its error messages ({@code CopyReadLineText}). Not thread-safe.
 */
final class CopyRowSplitter {
    /** Receives each row (without its line ending). */
    interface RowSink {
        /**
         * @param quotedNewlines newlines inside quoted CSV fields of this row (0 in text format)
         * @return false to stop
         */
        boolean row(byte[] buf, int off, int len, int quotedNewlines);
    }

    private final boolean csv;
    private final byte quote;
    private final byte escape;
    private byte[] buf = new byte[64 * 1024];
    private int len;
    private int scan;
    private int rowStart;
    private boolean inQuotes;
    private boolean escaped;
    private boolean ended;
    private int quotedNewlines;

    CopyRowSplitter(boolean csv, char quote, char escape) {
        this.csv = csv;
        this.quote = (byte) quote;
        this.escape = (byte) escape;
    }

    /** Feeds one CopyData payload; complete rows go to {@code sink}. */
    void feed(byte[] data, RowSink sink) {
        if (ended) return;
        if (len + data.length > buf.length) {
            // drop the consumed prefix, then grow if still needed
            System.arraycopy(buf, rowStart, buf, 0, len - rowStart);
            len -= rowStart;
            scan -= rowStart;
            rowStart = 0;
            if (len + data.length > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + data.length));
        }
        System.arraycopy(data, 0, buf, len, data.length);
        len += data.length;
        for (int i = scan; i < len; i++) {
            byte b = buf[i];
            if (escaped) {
                escaped = false;
            } else if (csv) {
                if (inQuotes && b == escape && escape != quote) {
                    escaped = true;
                } else if (b == quote) {
                    inQuotes = !inQuotes;
                } else if (b == '\n') {
                    if (inQuotes) quotedNewlines++;
                    else if (!emit(i, sink)) return;
                }
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '\n') {
                if (!emit(i, sink)) return;
            }
        }
        scan = len;
    }

    private boolean emit(int newline, RowSink sink) {
        int end = newline;
        if (end > rowStart && buf[end - 1] == '\r') end--;
        int start = rowStart;
        rowStart = newline + 1;
        if (end - start == 2 && buf[start] == '\\' && buf[start + 1] == '.') {
            ended = true;
            return false;
        }
        int lines = quotedNewlines;
        quotedNewlines = 0;
        if (!sink.row(buf, start, end - start, lines)) {
            ended = true;
            return false;
        }
        return true;
    }

    /** Passes on a last row that had no line ending. */
    void finish(RowSink sink) {
        if (ended || rowStart >= len) return;
        int end = len;
        if (buf[end - 1] == '\r') end--;
        if (end - rowStart == 2 && buf[rowStart] == '\\' && buf[rowStart + 1] == '.') return;
        if (end > rowStart) sink.row(buf, rowStart, end - rowStart, quotedNewlines);
        rowStart = len;
    }

    /** @return true when the CSV input ended inside a quoted field */
    boolean unterminatedQuote() {
        return csv && inQuotes;
    }
}
