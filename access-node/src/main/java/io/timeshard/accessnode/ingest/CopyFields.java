package io.timeshard.accessnode.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads single fields out of one COPY row, in text or CSV format (PostgreSQL docs, "COPY", File
 * Formats): text fields are separated by the delimiter, {@code \N} (or the NULL string) is NULL and
 * backslash sequences are decoded; CSV fields may be quoted, an unquoted field equal to the NULL
 * string is NULL. Only the fields routing needs are decoded. Stateless apart from its settings.
 */
public final class CopyFields {
    /** COPY's default text format: tab-delimited, {@code \N} for NULL. */
    private static final CopyFields TEXT = new CopyFields(false, '\t', '"', '"', "\\N");

    /** The outcome of reading a field: {@link #MISSING} when the row has fewer fields. */
    static final String MISSING = new String("<missing>");

    private final boolean csv;
    private final byte delimiter;
    private final byte quote;
    private final byte escape;
    private final String nullString;
    private final byte[] nullBytes;

    CopyFields(boolean csv, char delimiter, char quote, char escape, String nullString) {
        this.csv = csv;
        this.delimiter = (byte) delimiter;
        this.quote = (byte) quote;
        this.escape = (byte) escape;
        this.nullString = nullString;
        this.nullBytes = nullString.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param index 0-based field index
     * @param forceNotNull for CSV: an unquoted NULL string is the empty string instead of NULL
     * @return the decoded field, null for SQL NULL, {@link #MISSING} if the row is shorter
     */
    String field(byte[] row, int off, int len, int index, boolean forceNotNull) {
        int end = off + len;
        int i = off;
        for (int f = 0; f < index; f++) {
            i = skipField(row, i, end);
            if (i >= end) return MISSING;
            i++; // the delimiter
        }
        return csv ? csvField(row, i, end, forceNotNull) : textField(row, i, end);
    }

    /**
     * Decodes every field of one row in COPY's default text format (as {@code COPY … TO STDOUT} sends it).
     *
     * @param row one CopyData payload: the fields, tab-separated, with or without the terminating newline
     * @return the decoded fields in order, each as its bytes (the text a DataRow in text format carries),
     *         null for SQL NULL
     */
    public static byte[][] textRow(byte[] row) {
        int end = row.length > 0 && row[row.length - 1] == '\n' ? row.length - 1 : row.length;
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        int i = 0;
        while (true) {
            int stop = TEXT.skipField(row, i, end);
            out.add(TEXT.fieldBytes(row, i, stop));
            i = stop;
            if (i >= end) return out.toArray(new byte[0][]);
            i++; // the delimiter
        }
    }

    /**
     * The inverse of {@link #textRow}.
     *
     * @param values one row's values (UTF-8 text; null for NULL)
     * @return the row in COPY's default text format: tab-separated, {@code \N} for NULL, backslash, tab,
     *         newline and carriage return escaped, ending in a newline (PostgreSQL docs, COPY, "Text
     *         Format"; no byte of a multi-byte UTF-8 character is one of those)
     */
    public static byte[] textRowBytes(byte[][] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * values.length);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) out.write('\t');
            byte[] v = values[i];
            if (v == null) {
                out.write('\\');
                out.write('N');
                continue;
            }
            int from = 0;
            for (int k = 0; k < v.length; k++) {
                byte b = v[k];
                if (b != '\\' && b != '\t' && b != '\n' && b != '\r') continue;
                out.write(v, from, k - from);
                out.write('\\');
                out.write(b == '\\' ? b : b == '\t' ? 't' : b == '\n' ? 'n' : 'r');
                from = k + 1;
            }
            out.write(v, from, v.length - from);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private int skipField(byte[] row, int i, int end) {
        boolean inQuotes = false;
        while (i < end) {
            byte b = row[i];
            if (csv) {
                if (inQuotes && b == escape && escape != quote && i + 1 < end) {
                    i += 2;
                    continue;
                }
                if (b == quote) inQuotes = !inQuotes;
                else if (b == delimiter && !inQuotes) return i;
            } else {
                if (b == '\\') {
                    i += 2;
                    continue;
                }
                if (b == delimiter) return i;
            }
            i++;
        }
        return end;
    }

    private String textField(byte[] row, int start, int end) {
        byte[] field = textFieldBytes(row, start, end);
        return field == null ? null : new String(field, StandardCharsets.UTF_8);
    }

    /** @return the field starting at {@code start}, backslash sequences decoded; null for the NULL string */
    private byte[] textFieldBytes(byte[] row, int start, int end) {
        return fieldBytes(row, start, skipField(row, start, end));
    }

    /** @return the field from {@code start} to {@code stop} (its delimiter or the row's end), decoded as {@link #textFieldBytes} */
    private byte[] fieldBytes(byte[] row, int start, int stop) {
        if (isNullString(row, start, stop)) return null;
        boolean escaped = false;
        for (int i = start; i < stop && !escaped; i++) escaped = row[i] == '\\';
        if (!escaped) return java.util.Arrays.copyOfRange(row, start, stop);
        ByteArrayOutputStream out = new ByteArrayOutputStream(stop - start);
        for (int i = start; i < stop; i++) {
            byte b = row[i];
            if (b != '\\' || i + 1 >= stop) {
                out.write(b);
                continue;
            }
            byte c = row[++i];
            switch (c) {
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                case 'x' -> {
                    int v = 0;
                    int k = 0;
                    while (k < 2 && i + 1 < stop && Character.digit(row[i + 1], 16) >= 0) {
                        v = v * 16 + Character.digit(row[++i], 16);
                        k++;
                    }
                    if (k == 0) out.write('x');
                    else out.write(v);
                }
                default -> {
                    if (c >= '0' && c <= '7') {
                        int v = c - '0';
                        int k = 1;
                        while (k < 3 && i + 1 < stop && row[i + 1] >= '0' && row[i + 1] <= '7') {
                            v = v * 8 + (row[++i] - '0');
                            k++;
                        }
                        out.write(v);
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private boolean isNullString(byte[] row, int start, int stop) {
        return java.util.Arrays.equals(row, start, stop, nullBytes, 0, nullBytes.length);
    }

    private String csvField(byte[] row, int start, int end, boolean forceNotNull) {
        int stop = skipField(row, start, end);
        boolean quoted = false;
        ByteArrayOutputStream out = new ByteArrayOutputStream(stop - start);
        boolean inQuotes = false;
        for (int i = start; i < stop; i++) {
            byte b = row[i];
            if (inQuotes) {
                if (b == escape && i + 1 < stop && (row[i + 1] == quote || row[i + 1] == escape) && (escape != quote || row[i + 1] == quote)) {
                    out.write(row[++i]);
                } else if (b == quote) {
                    inQuotes = false;
                } else {
                    out.write(b);
                }
            } else if (b == quote) {
                inQuotes = true;
                quoted = true;
            } else {
                out.write(b);
            }
        }
        String v = out.toString(StandardCharsets.UTF_8);
        if (!quoted && !forceNotNull && v.equals(nullString)) return null;
        return v;
    }
}
