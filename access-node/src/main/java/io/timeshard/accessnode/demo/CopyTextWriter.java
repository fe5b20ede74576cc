package io.timeshard.accessnode.demo;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Writes rows in PostgreSQL's COPY text format (the "Text Format" section of the documentation's
 * COPY page): columns separated by a tab, rows ended by a newline, {@code \N} for NULL, and in
 * text values the backslash, tab, newline and carriage return written as {@code \\}, {@code \t},
 * {@code \n} and {@code \r}. Text is written as the UTF-8 bytes it is given; those four are ASCII,
 * so escaping byte by byte never splits a multi-byte character.
 *
 * <p>Buffers its output in a 64 KiB array and writes whole buffers to the underlying stream; call
 * {@link #flush()} at the end. Mutable and not thread-safe: one writer per stream.
 */
final class CopyTextWriter {
    private static final int BUFFER_SIZE = 64 * 1024;
    /** Longest single item put without a capacity check: a timestamp with fraction, or a long. */
    private static final int MAX_FIXED_ITEM = 32;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

    private final OutputStream out;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    /** The day last printed and its {@code YYYY-MM-DD } bytes: rows come mostly in date order. */
    private long cachedEpochDay = Long.MIN_VALUE;
    private final byte[] cachedDay = new byte[11];

    /** @param out stream that receives the bytes; never null; not closed by this writer */
    CopyTextWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Writes the column separator (a tab). */
    void tab() throws IOException {
        ensure(1);
        buf[pos++] = '\t';
    }

    /** Ends the row (a newline). */
    void endRow() throws IOException {
        ensure(1);
        buf[pos++] = '\n';
    }

    /** Writes a NULL column value, {@code \N}. */
    void nullValue() throws IOException {
        ensure(2);
        buf[pos++] = '\\';
        buf[pos++] = 'N';
    }

    /** Writes {@code value} in decimal, as PostgreSQL's integer input accepts it. */
    void integer(long value) throws IOException {
        ensure(MAX_FIXED_ITEM);
        if (value == Long.MIN_VALUE) {
            for (byte b : Long.toString(value).getBytes(StandardCharsets.US_ASCII)) {
                buf[pos++] = b;
            }
            return;
        }
        if (value < 0) {
            buf[pos++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        pos = end;
    }

    /**
     * Writes a wall-clock time given as microseconds since 1970-01-01 00:00:00 (no time zone) as
     * {@code YYYY-MM-DD HH:MM:SS}, followed by {@code .ffffff} only when the microseconds are not 0:
     * PostgreSQL's ISO input for {@code timestamp without time zone}.
     *
     * @throws PgException SQLSTATE 22008 (datetime_field_overflow) when the year is outside 1..9999,
     *     which this format cannot show
     */
    void timestampMicros(long micros) throws IOException {
        ensure(MAX_FIXED_ITEM);
        long epochDay = Math.floorDiv(micros, MICROS_PER_DAY);
        long microsOfDay = Math.floorMod(micros, MICROS_PER_DAY);
        if (epochDay != cachedEpochDay) {
            cacheDay(epochDay);
        }
        System.arraycopy(cachedDay, 0, buf, pos, cachedDay.length);
        pos += cachedDay.length;
        long secondOfDay = microsOfDay / MICROS_PER_SECOND;
        twoDigits((int) (secondOfDay / 3600));
        buf[pos++] = ':';
        twoDigits((int) (secondOfDay / 60 % 60));
        buf[pos++] = ':';
        twoDigits((int) (secondOfDay % 60));
        int fraction = (int) (microsOfDay % MICROS_PER_SECOND);
        if (fraction != 0) {
            buf[pos++] = '.';
            for (int div = 100_000; div > 0; div /= 10) {
                buf[pos++] = (byte) ('0' + fraction / div % 10);
            }
        }
    }

    /**
     * Writes the UTF-8 bytes between {@code text}'s position and limit as a COPY text value,
     * escaping backslash, tab, newline and carriage return. Does not move {@code text}'s position.
     */
    void text(ByteBuffer text) throws IOException {
        int end = text.limit();
        for (int i = text.position(); i < end; i++) {
            if (pos + 2 > buf.length) {
                drain();
            }
            byte b = text.get(i);
            switch (b) {
                case '\\' -> { buf[pos++] = '\\'; buf[pos++] = '\\'; }
                case '\t' -> { buf[pos++] = '\\'; buf[pos++] = 't'; }
                case '\n' -> { buf[pos++] = '\\'; buf[pos++] = 'n'; }
                case '\r' -> { buf[pos++] = '\\'; buf[pos++] = 'r'; }
                default -> buf[pos++] = b;
            }
        }
    }

    /** Writes out everything buffered and flushes the underlying stream. */
    void flush() throws IOException {
        drain();
        out.flush();
    }

    private void cacheDay(long epochDay) {
        LocalDate day = LocalDate.ofEpochDay(epochDay);
        int year = day.getYear();
        if (year < 1 || year > 9999) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW,
                    "timestamp out of range: year " + year + " is outside 1..9999");
        }
        cachedDay[0] = (byte) ('0' + year / 1000);
        cachedDay[1] = (byte) ('0' + year / 100 % 10);
        cachedDay[2] = (byte) ('0' + year / 10 % 10);
        cachedDay[3] = (byte) ('0' + year % 10);
        cachedDay[4] = '-';
        cachedDay[5] = (byte) ('0' + day.getMonthValue() / 10);
        cachedDay[6] = (byte) ('0' + day.getMonthValue() % 10);
        cachedDay[7] = '-';
        cachedDay[8] = (byte) ('0' + day.getDayOfMonth() / 10);
        cachedDay[9] = (byte) ('0' + day.getDayOfMonth() % 10);
        cachedDay[10] = ' ';
        cachedEpochDay = epochDay;
    }

    private void twoDigits(int value) {
        buf[pos++] = (byte) ('0' + value / 10);
        buf[pos++] = (byte) ('0' + value % 10);
    }

    private void ensure(int room) throws IOException {
        if (pos + room > buf.length) {
            drain();
        }
    }

    private void drain() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            pos = 0;
        }
    }
}
