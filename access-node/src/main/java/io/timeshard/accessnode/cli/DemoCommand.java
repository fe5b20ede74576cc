package io.timeshard.accessnode.cli;

import io.timeshard.accessnode.demo.FlightsDataset;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code timeshard demo}: the main job. Starts a local cluster with two data nodes (unless one runs
 * in the folder), creates the database {@code demo} with the extension and both data nodes, the
 * distributed hypertable {@code flights} (time: {@code date}, space: {@code origin}), loads the
 * 3,000,000 flights of vega-datasets through the access node with COPY, then shows where the chunks
 * live and runs a few queries. The cluster keeps running.
 */
@Command(name = "demo", description = "Start a local cluster, load 3 million real flights through the access node, and query them.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Override
    public Integer call() throws Exception {
        if (LocalClusterProcess.running(cluster.dir).isEmpty()) {
            System.out.println("Starting a local cluster with 2 data nodes in " + cluster.dir.toAbsolutePath() + " …");
            LocalClusterProcess.start(cluster.dir, cluster.port, 2);
        } else {
            System.out.println("Using the cluster running in " + cluster.dir.toAbsolutePath());
        }
        Path parquet = FlightsDataset.ensureDownloaded(FlightsDataset.defaultCacheDir(), System.out::println);
        resetDemoDatabase();
        try (Connection c = connect("demo"); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION timescaledb");
            for (int i = 1; i <= 2; i++) {
                st.execute("SELECT add_data_node('dn" + i + "', host => '127.0.0.1', port => " + (cluster.port + 1 + i) + ")");
            }
            st.execute(FlightsDataset.CREATE_TABLE_SQL);
            st.execute("SELECT create_distributed_hypertable('flights', 'date', 'origin', chunk_time_interval => INTERVAL '7 days')");
            System.out.println("Created the distributed hypertable flights (time: date, space: origin) on dn1 and dn2.");
            load(c, parquet);
            ChunkPicture.print(c, "flights");
            runExamples(st);
        }
        System.out.println();
        System.out.println("The cluster keeps running. Connect:  " + cluster.psql("demo"));
        System.out.println("Stop it with:                        ./timeshard down --dir " + cluster.dir);
        return 0;
    }

    /** Drops a previous demo database on the access node database and on the data nodes. */
    private void resetDemoDatabase() throws SQLException {
        for (int port : new int[] {cluster.port + 1, cluster.port + 2, cluster.port + 3}) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS demo WITH (FORCE)");
            }
        }
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE demo");
        }
    }

    private void load(Connection c, Path parquet) throws Exception {
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream out = new PipedOutputStream(in);
        AtomicReference<Exception> producerError = new AtomicReference<>();
        long total = FlightsDataset.ROW_COUNT;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Loading flights").setInitialMax(total)
                .setStyle(ProgressBarStyle.UNICODE_BLOCK).setMaxRenderedLength(100).showSpeed().build()) {
            Thread producer = Thread.ofVirtual().start(() -> {
                try (out) {
                    FlightsDataset.streamAsCopyText(parquet, out, bar::stepTo);
                } catch (IOException | RuntimeException e) {
                    producerError.set(e);
                }
            });
            long start = System.nanoTime();
            long rows = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY flights FROM STDIN", in);
            producer.join();
            if (producerError.get() != null) throw producerError.get();
            double seconds = (System.nanoTime() - start) / 1e9;
            bar.stepTo(rows);
            bar.close();
            System.out.println();
            System.out.printf("Loaded %,d rows through the access node in %.1f s: %,.0f rows/s%n", rows, seconds, rows / seconds);
        }
    }

    private void runExamples(Statement st) throws SQLException {
        String[][] queries = {
                {"How many flights?", "SELECT count(*) AS flights FROM flights"},
                {"Busiest origins", "SELECT origin, count(*) AS flights, round(avg(delay), 1) AS avg_delay FROM flights GROUP BY origin ORDER BY flights DESC LIMIT 5"},
                {"Delay by month", "SELECT date_trunc('month', date)::date AS month, count(*) AS flights, round(avg(delay), 1) AS avg_delay FROM flights GROUP BY 1 ORDER BY 1"},
                {"First departures from SFO on 2001-03-01", "SELECT date, origin, destination, delay FROM flights WHERE origin = 'SFO' AND date >= '2001-03-01' AND date < '2001-03-02' ORDER BY date, destination LIMIT 5"},
        };
        for (String[] q : queries) {
            System.out.println();
            System.out.println("-- " + q[0]);
            System.out.println(q[1] + ";");
            long start = System.nanoTime();
            try (ResultSet rs = st.executeQuery(q[1])) {
                List<String[]> rows = new ArrayList<>();
                ResultSetMetaData md = rs.getMetaData();
                String[] header = new String[md.getColumnCount()];
                for (int i = 0; i < header.length; i++) header[i] = md.getColumnLabel(i + 1);
                while (rs.next()) {
                    String[] r = new String[header.length];
                    for (int i = 0; i < r.length; i++) r[i] = rs.getString(i + 1);
                    rows.add(r);
                }
                double ms = (System.nanoTime() - start) / 1e6;
                TextTable.print(header, rows);
                System.out.printf("(%d row%s, %.1f ms)%n", rows.size(), rows.size() == 1 ? "" : "s", ms);
            }
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + cluster.port + "/" + database, "postgres", null);
    }
}
