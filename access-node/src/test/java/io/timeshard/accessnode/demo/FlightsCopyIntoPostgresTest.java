package io.timeshard.accessnode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

/** The COPY text of {@link FlightsDataset#streamAsCopyText} as a real PostgreSQL reads it. */
class FlightsCopyIntoPostgresTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void quietParquetLogs() {
        QuietParquetLogs.apply();
    }

    @Test
    void postgresReadsTheCopyTextBackIntoTheSameValues() throws Exception {
        SimpleGroupFactory rows = new SimpleGroupFactory(FlightsDatasetTest.FLIGHTS_SCHEMA);
        Group plain = rows.newGroup().append("date", 979509300_000_000L).append("delay", -5L)
                .append("distance", 405L).append("origin", "ABQ").append("destination", "LAX");
        Group awkward = rows.newGroup().append("date", 979509300_000_250L)
                .append("origin", "a\\b\tc").append("destination", "d\ne\rf Zürich");
        Path file = dir.resolve("f.parquet");
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withCodecFactory(new ParquetPageCodecs())
                .withCompressionCodec(CompressionCodecName.ZSTD).withType(FlightsDatasetTest.FLIGHTS_SCHEMA).build()) {
            writer.write(plain);
            writer.write(awkward);
        }
        ByteArrayOutputStream copyText = new ByteArrayOutputStream();
        FlightsDataset.streamAsCopyText(file, copyText, n -> {});

        List<String> back = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(Files.createDirectories(dir.resolve("pg")))
                .setCleanDataDirectory(true).start();
             Connection c = pg.getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            s.execute(FlightsDataset.CREATE_TABLE_SQL);
            long copied = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY flights FROM STDIN", new ByteArrayInputStream(copyText.toByteArray()));
            assertEquals(2, copied);
            try (ResultSet r = s.executeQuery("SELECT date::text, delay, distance, origin, destination FROM flights ORDER BY date")) {
                while (r.next()) {
                    back.add(r.getString(1) + "|" + r.getObject(2) + "|" + r.getObject(3) + "|" + r.getString(4) + "|" + r.getString(5));
                }
            }
        }

        assertEquals(List.of("2001-01-14 21:55:00|-5|405|ABQ|LAX",
                "2001-01-14 21:55:00.00025|null|null|a\\b\tc|d\ne\rf Zürich"), back);
    }
}
