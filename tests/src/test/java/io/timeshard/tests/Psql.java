package io.timeshard.tests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real psql 15 client ({@code /usr/bin/psql}) against a server, feeding a script on its
 * standard input. psql is run with {@code -X} (no ~/.psqlrc) so its output depends on the script
 * alone. Standard output and standard error are merged in the order psql writes them, so an error
 * appears next to the statement that caused it. Stateless; thread-safe.
 */
final class Psql {
    private static final String PSQL = "/usr/bin/psql";
    private static final long TIMEOUT_SECONDS = 300;

    /** What one psql run printed and how it exited. */
    record Result(int exitCode, String output) {}

    private Psql() {}

    /**
     * Runs {@code script} on {@code database} at 127.0.0.1:{@code port} as postgres.
     *
     * @param stopOnError whether to pass {@code -v ON_ERROR_STOP=1} (psql then exits 3 on an error)
     * @param variables   psql variables, as {@code name=value}, passed with {@code -v}
     */
    static Result run(int port, String database, String script, boolean stopOnError, String... variables) {
        List<String> cmd = new ArrayList<>(List.of(PSQL, "-X", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "postgres", "-d", database));
        if (stopOnError) cmd.addAll(List.of("-v", "ON_ERROR_STOP=1"));
        for (String v : variables) cmd.addAll(List.of("-v", v));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGTZ", "UTC"); // psql must not pass the machine's zone on
        pb.environment().put("PGCLIENTENCODING", "UTF8");
        pb.environment().remove("PGOPTIONS");
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // psql stopped reading (ON_ERROR_STOP); its output says why
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("psql did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
