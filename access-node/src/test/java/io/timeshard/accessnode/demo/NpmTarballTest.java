package io.timeshard.accessnode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NpmTarball#extractEntry} on gzip'd ustar archives built here, as npm's node-tar writes them. */
class NpmTarballTest {
    @TempDir
    Path dir;

    @Test
    void extractsTheNamedFileAndSkipsTheOthers() throws IOException {
        Path tgz = tgz(entry("package/package.json", "{}"), entry("package/data/a.bin", "0123456789".repeat(100)),
                entry("package/data/b.bin", "wanted"));
        Path target = dir.resolve("b.bin");

        NpmTarball.extractEntry(tgz, "package/data/b.bin", target);

        assertEquals("wanted", Files.readString(target));
    }

    @Test
    void findsAFileNamedByAPaxPathRecord() throws IOException {
        String longName = "package/" + "d".repeat(120) + "/f.txt";
        String record = " path=" + longName + "\n";
        String pax = (record.length() + 4) + record;
        // the pax record names the entry that follows it, whose own header holds a truncated name
        Path tgz = tgz(header("PaxHeader/f.txt", pax.length(), (byte) 'x'), pad(pax), entry("package/truncated", "x"));
        Path target = dir.resolve("f.txt");

        NpmTarball.extractEntry(tgz, longName, target);

        assertEquals("x", Files.readString(target));
    }

    @Test
    void failsNamingTheFileWhenTheArchiveLacksIt() throws IOException {
        Path tgz = tgz(entry("package/package.json", "{}"));

        IOException e = assertThrows(IOException.class,
                () -> NpmTarball.extractEntry(tgz, "package/data/flights-3m.parquet", dir.resolve("x")));

        assertTrue(e.getMessage().contains("package/data/flights-3m.parquet"), e.getMessage());
    }

    private static byte[] entry(String name, String content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(header(name, body.length, (byte) '0'));
        out.writeBytes(pad(content));
        return out.toByteArray();
    }

    /** A ustar header block; the checksum is left blank, which the reader does not check. */
    private static byte[] header(String name, long size, byte type) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
        byte[] s = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, h, 124, s.length);
        h[156] = type;
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        return h;
    }

    private static byte[] pad(String content) {
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[(body.length + 511) / 512 * 512];
        System.arraycopy(body, 0, padded, 0, body.length);
        return padded;
    }

    private Path tgz(byte[]... blocks) throws IOException {
        Path file = dir.resolve("p.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (byte[] b : blocks) {
                out.write(b);
            }
            out.write(new byte[1024]);
        }
        return file;
    }
}
