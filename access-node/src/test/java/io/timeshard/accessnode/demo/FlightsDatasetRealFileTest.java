package io.timeshard.accessnode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@link FlightsDataset} on the real flights-3m.parquet in {@link FlightsDataset#defaultCacheDir()}
 * ({@code ~/.cache/timeshard/vega-datasets@3.2.1/flights-3m.parquet}). The row-count test is skipped
 * when that file is not there; the fetch test runs only with {@code -Dtimeshard.fetchFlights=true},
 * because it needs npm and the npm registry. Both print their timings to the test output.
 */
class FlightsDatasetRealFileTest {
    private static final Path CACHED = FlightsDataset.cachedFile(FlightsDataset.defaultCacheDir());

    @BeforeAll
    static void quietParquetLogs() {
        QuietParquetLogs.apply();
    }

    @Test
    @EnabledIfSystemProperty(named = "timeshard.fetchFlights", matches = "true")
    void fetchesTheFileWithNpmOnceAndThenFindsItInTheCache() throws IOException {
        Files.deleteIfExists(CACHED);
        List<String> log = new ArrayList<>();

        long started = System.nanoTime();
        Path fetched = FlightsDataset.ensureDownloaded(FlightsDataset.defaultCacheDir(), log::add);
        long fetchMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        Path cached = FlightsDataset.ensureDownloaded(FlightsDataset.defaultCacheDir(), log::add);
        long cachedMicros = (System.nanoTime() - started) / 1_000;

        System.out.println("ensureDownloaded: fetch " + fetchMillis + " ms, from cache " + cachedMicros + " µs; " + log);
        assertEquals(CACHED, fetched);
        assertEquals(CACHED, cached);
        assertEquals(FlightsDataset.FILE_SIZE, Files.size(CACHED));
        assertEquals(2, log.size(), "only the first call fetches and logs");
    }

    @Test
    void realFileHasThreeMillionRows() throws IOException {
        assumeTrue(Files.isRegularFile(CACHED) && Files.size(CACHED) == FlightsDataset.FILE_SIZE,
                "flights-3m.parquet is not cached at " + CACHED);
        FirstLines out = new FirstLines(2);
        AtomicLong lastReport = new AtomicLong();

        long started = System.nanoTime();
        long rows = FlightsDataset.streamAsCopyText(CACHED, out, lastReport::set);
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.println("streamAsCopyText: " + rows + " rows, " + out.bytes + " bytes in " + millis + " ms");
        System.out.print(out.lines());
        assertEquals(FlightsDataset.ROW_COUNT, rows);
        assertEquals(rows, lastReport.get());
    }

    /** Discards everything but counts bytes and keeps the first few lines. */
    private static final class FirstLines extends OutputStream {
        private final int keep;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private int kept;
        long bytes;

        FirstLines(int keep) {
            this.keep = keep;
        }

        @Override
        public void write(int b) {
            bytes++;
            if (kept < keep) {
                head.write(b);
                if (b == '\n') {
                    kept++;
                }
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len && kept < keep; i++) {
                write(b[i]);
                bytes--;
            }
            bytes += len;
        }

        String lines() {
            return head.toString(StandardCharsets.UTF_8);
        }
    }
}
