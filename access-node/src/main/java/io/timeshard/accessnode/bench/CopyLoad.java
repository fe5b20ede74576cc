package io.timeshard.accessnode.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.postgresql.PGConnection;

/**
 * Loads a COPY text file into {@code cpu} with one {@code COPY … FROM STDIN} (pgjdbc's
 * {@code CopyManager}), showing a progress bar counted in rows. The time measured is from the COPY
 * statement's start to its completion; reading the file is part of it (it is in the page cache after
 * the generator wrote it).
 */
final class CopyLoad {
    private CopyLoad() {}

    /**
     * One ingest measurement.
     *
     * @param rows    rows the server reported as copied
     * @param seconds wall time of the COPY
     */
    record Result(long rows, double seconds) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    static Result load(Connection c, Path file, long expectedRows, String task) throws SQLException, IOException {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(expectedRows)
                .setStyle(ProgressBarStyle.UNICODE_BLOCK).setMaxRenderedLength(100).showSpeed().setUnit(" rows", 1).build();
             InputStream in = new RowCountingInputStream(Files.newInputStream(file), bar)) {
            long start = System.nanoTime();
            long rows = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY cpu(" + DevopsGenerator.COPY_COLUMNS + ") FROM STDIN", in, 256 * 1024);
            double seconds = (System.nanoTime() - start) / 1e9;
            bar.stepTo(rows);
            return new Result(rows, seconds);
        }
    }

    /** Counts the newlines that pass through and steps the bar to that count. */
    private static final class RowCountingInputStream extends InputStream {
        private final InputStream in;
        private final ProgressBar bar;
        private long rows;

        RowCountingInputStream(InputStream in, ProgressBar bar) {
            this.in = in;
            this.bar = bar;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b == '\n') bar.stepTo(++rows);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            for (int i = off; i < off + n; i++) {
                if (b[i] == '\n') rows++;
            }
            if (n > 0) bar.stepTo(rows);
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
