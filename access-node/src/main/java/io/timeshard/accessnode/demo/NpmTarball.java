package io.timeshard.accessnode.demo;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Fetches an npm package's tarball with the {@code npm} command ({@code npm pack NAME@VERSION}, which
 * downloads through npm's own cache and checks the registry's integrity hash) and pulls one file out
 * of it. The tarball is a gzip stream of a POSIX ustar archive (POSIX.1-2001 {@code pax} format,
 * as npm's node-tar writes it); entries sit under {@code package/}.
 *
 * <p>Stateless; safe to call from several threads on different directories.
 */
final class NpmTarball {
    private static final int BLOCK = 512;

    private NpmTarball() {}

    /**
     * Runs {@code npm pack SPEC --pack-destination DIR} (npm 7.18 or newer) and returns the tarball
     * it wrote. npm keeps its own download cache ({@code ~/.npm}), so a repeated pack may not
     * touch the network either.
     *
     * @param spec      package and exact version, e.g. {@code vega-datasets@3.2.1}; never null
     * @param directory existing directory that receives the tarball; never null
     * @param timeoutSeconds how long npm may run before it is stopped
     * @return the {@code .tgz} file npm wrote into {@code directory}
     * @throws IOException when npm cannot be started (not installed, not on PATH), exits non-zero,
     *     runs too long, or writes no tarball; the message carries npm's own output
     */
    static Path pack(String spec, Path directory, long timeoutSeconds) throws IOException {
        List<String> command = List.of("npm", "pack", spec, "--pack-destination", directory.toString(),
                "--silent", "--no-fund", "--no-audit");
        Process npm;
        try {
            npm = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("npm is not installed or not on the PATH: " + e.getMessage(), e);
        }
        npm.getOutputStream().close();
        String output;
        try (InputStream in = npm.getInputStream()) {
            // npm prints little; reading to the end also waits for it to finish writing
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        try {
            if (!npm.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                npm.destroyForcibly();
                throw new IOException("npm pack " + spec + " did not finish in " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while npm fetched " + spec, e);
        }
        if (npm.exitValue() != 0) {
            throw new IOException("npm pack " + spec + " failed with exit code " + npm.exitValue() + ": " + output);
        }
        List<Path> tarballs = new ArrayList<>();
        try (var files = Files.list(directory)) {
            files.filter(f -> f.getFileName().toString().endsWith(".tgz")).forEach(tarballs::add);
        }
        if (tarballs.size() != 1) {
            throw new IOException("npm pack " + spec + " left " + tarballs.size() + " tarballs in " + directory
                    + ", expected 1: " + output);
        }
        return tarballs.getFirst();
    }

    /**
     * Copies the regular file {@code entryName} (e.g. {@code package/data/flights-3m.parquet}) out of
     * the gzip-compressed tar archive {@code tgz} into {@code target}, replacing it.
     *
     * @throws IOException when the archive is damaged or holds no such regular file
     */
    static void extractEntry(Path tgz, String entryName, Path target) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)), 64 * 1024)) {
            byte[] header = new byte[BLOCK];
            String paxPath = null;
            while (true) {
                if (in.readNBytes(header, 0, BLOCK) < BLOCK || isZero(header)) {
                    break;
                }
                String name = entryName(header);
                long size = octal(header, 124, 12);
                byte type = header[156];
                if (type == 'x') {
                    paxPath = paxPath(new String(readExactly(in, size), StandardCharsets.UTF_8));
                    skipPadding(in, size);
                    continue;
                }
                if (paxPath != null) {
                    name = paxPath;
                    paxPath = null;
                }
                if ((type == '0' || type == 0) && name.equals(entryName)) {
                    try (OutputStream out = Files.newOutputStream(target)) {
                        copy(in, out, size);
                    }
                    return;
                }
                skip(in, size);
                skipPadding(in, size);
            }
        }
        throw new IOException("npm tarball " + tgz + " holds no file " + entryName);
    }

    private static String entryName(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = field(header, 257, 6).startsWith("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a pax extended header ("LENGTH path=VALUE\n"), or null. */
    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        String digits = field(header, offset, length).trim();
        try {
            return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new IOException("bad size field in tar header: " + digits, e);
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readExactly(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar pax header of " + size + " bytes is implausibly large");
        }
        byte[] bytes = in.readNBytes((int) size);
        if (bytes.length < size) {
            throw new EOFException("tar archive ends inside an entry");
        }
        return bytes;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (n < 0) {
                throw new EOFException("tar archive ends inside an entry");
            }
            out.write(chunk, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long size) throws IOException {
        copy(in, OutputStream.nullOutputStream(), size);
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        skip(in, (BLOCK - size % BLOCK) % BLOCK);
    }
}
