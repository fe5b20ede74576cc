package io.timeshard.accessnode.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link FlightsDataset} on small Parquet files written here with the real file's schema. */
class FlightsDatasetTest {
    /** The schema of vega-datasets' flights-3m.parquet, as its footer gives it. */
    static final MessageType FLIGHTS_SCHEMA = MessageTypeParser.parseMessageType("""
            message root {
              optional int64 date (TIMESTAMP(MICROS,false));
              optional int64 delay;
              optional int64 distance;
              optional binary origin (STRING);
              optional binary destination (STRING);
            }""");

    @TempDir
    Path dir;

    @BeforeAll
    static void quietParquetLogs() {
        QuietParquetLogs.apply();
    }

    @Test
    void writesEachRowAsOneTabSeparatedLineInCopyColumnOrder() throws IOException {
        Path file = write(FLIGHTS_SCHEMA, CompressionCodecName.ZSTD, List.of(
                flight("2001-01-14T21:55", 14, 405, "ABQ", "LAX"),
                flight("2001-06-30T23:59", -5, 1021, "SFO", "ORD")));

        assertEquals("""
                2001-01-14 21:55:00\t14\t405\tABQ\tLAX
                2001-06-30 23:59:00\t-5\t1021\tSFO\tORD
                """, copyText(file));
    }

    @Test
    void returnsTheNumberOfRowsWritten() throws IOException {
        Path file = write(FLIGHTS_SCHEMA, CompressionCodecName.ZSTD, List.of(
                flight("2001-01-01T00:01", 1, 2, "A", "B"),
                flight("2001-01-01T00:02", 1, 2, "A", "B"),
                flight("2001-01-01T00:03", 1, 2, "A", "B")));

        assertEquals(3, FlightsDataset.streamAsCopyText(file, new ByteArrayOutputStream(), n -> {}));
    }

    @Test
    void writesMissingValuesAsBackslashN() throws IOException {
        Group row = new SimpleGroupFactory(FLIGHTS_SCHEMA).newGroup();
        row.append("date", micros("2001-03-04T05:06"));
        row.append("origin", "JFK");
        row.append("destination", "BOS");
        Group allNull = new SimpleGroupFactory(FLIGHTS_SCHEMA).newGroup();

        Path file = write(FLIGHTS_SCHEMA, CompressionCodecName.ZSTD, List.of(row, allNull));

        assertEquals("""
                2001-03-04 05:06:00\t\\N\t\\N\tJFK\tBOS
                \\N\t\\N\t\\N\t\\N\t\\N
                """, copyText(file));
    }

    @Test
    void escapesBackslashTabNewlineAndCarriageReturnInText() throws IOException {
        Path file = write(FLIGHTS_SCHEMA, CompressionCodecName.ZSTD, List.of(
                flight("2001-01-01T00:00", 0, 0, "a\\b\tc", "d\ne\rf")));

        assertEquals("2001-01-01 00:00:00\t0\t0\ta\\\\b\\tc\td\\ne\\rf\n", copyText(file));
    }

    @Test
    void writesNonAsciiTextAsItsUtf8Bytes() throws IOException {
        Path file = write(FLIGHTS_SCHEMA, CompressionCodecName.ZSTD, List.of(
                flight("2001-01-01T00:00", 0, 0, "Zürich", "東京")));

        assertEquals("2001-01-01 00:00:00\t0\t0\tZürich\t東京\n", copyText(file));
    }

    @Test
    void printsMicrosecondsOnlyWhenTheTimeHasThem() throws IOException {
        Group early = flight("1999-12-31T23:59:59", 0, 0, "A", "B");
        Group precise = new SimpleGroupFactory(FLIGHTS_SCHEMA).newGroup();
        precise.append("date", micros("2001-01-01T00:00:01") + 250);

        Path file = write(FLIGHTS_SCHEMA, CompressionCodecName.ZSTD, List.of(early, precise));

        assertEquals("""
                1999-12-31 23:59:59\t0\t0\tA\tB
                2001-01-01 00:00:01.000250\t\\N\t\\N\t\\N\t\\N
                """, copyText(file));
    }

    @Test
    void printsTimesBefore1970() throws IOException {
        Path file = write(FLIGHTS_SCHEMA, CompressionCodecName.ZSTD, List.of(
                flight("1969-12-31T23:59:30", 0, 0, "A", "B")));

        assertEquals("1969-12-31 23:59:30\t0\t0\tA\tB\n", copyText(file));
    }

    @Test
    void readsColumnsByNameWhateverTheirOrderAndIgnoresOthers() throws IOException {
        MessageType shuffled = MessageTypeParser.parseMessageType("""
                message flights {
                  required binary destination (STRING);
                  required int32 distance;
                  required binary tail_number (STRING);
                  required binary origin (STRING);
                  required int64 date (TIMESTAMP(MILLIS,false));
                  required int32 delay;
                }""");
        Group row = new SimpleGroupFactory(shuffled).newGroup()
                .append("destination", "LAX").append("distance", 2475).append("tail_number", "N123")
                .append("origin", "JFK").append("date", micros("2001-02-03T04:05:06") / 1000).append("delay", -7);

        Path file = write(shuffled, CompressionCodecName.UNCOMPRESSED, List.of(row));

        assertEquals("2001-02-03 04:05:06\t-7\t2475\tJFK\tLAX\n", copyText(file));
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"})
    void readsPagesOfEachSupportedCodec(CompressionCodecName codec) throws IOException {
        Path file = write(FLIGHTS_SCHEMA, codec, List.of(flight("2001-01-14T21:55", 14, 405, "ABQ", "LAX")));

        assertEquals("2001-01-14 21:55:00\t14\t405\tABQ\tLAX\n", copyText(file));
    }

    @Test
    void reportsProgressEveryTenThousandRowsAndTheTotalAtTheEnd() throws IOException {
        List<Group> rows = new ArrayList<>();
        for (int i = 0; i < 25_000; i++) {
            rows.add(flight("2001-01-01T00:00", i, i, "A", "B"));
        }
        Path file = write(FLIGHTS_SCHEMA, CompressionCodecName.ZSTD, rows);
        List<Long> reports = new ArrayList<>();

        FlightsDataset.streamAsCopyText(file, new ByteArrayOutputStream(), reports::add);

        assertEquals(List.of(10_000L, 20_000L, 25_000L), reports);
    }

    @Test
    void reportsAnExactMultipleOfTenThousandOnlyOnce() throws IOException {
        List<Group> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            rows.add(flight("2001-01-01T00:00", i, i, "A", "B"));
        }
        Path file = write(FLIGHTS_SCHEMA, CompressionCodecName.ZSTD, rows);
        List<Long> reports = new ArrayList<>();

        FlightsDataset.streamAsCopyText(file, new ByteArrayOutputStream(), reports::add);

        assertEquals(List.of(10_000L, 20_000L), reports);
    }

    @Test
    void rejectsAFileWithoutAnOriginColumnNamingIt() throws IOException {
        MessageType noOrigin = MessageTypeParser.parseMessageType("""
                message root {
                  optional int64 date (TIMESTAMP(MICROS,false));
                  optional int64 delay;
                  optional int64 distance;
                  optional binary destination (STRING);
                }""");
        Path file = write(noOrigin, CompressionCodecName.ZSTD, List.of());

        PgException e = assertThrows(PgException.class,
                () -> FlightsDataset.streamAsCopyText(file, new ByteArrayOutputStream(), n -> {}));

        assertEquals(SqlState.UNDEFINED_COLUMN, e.sqlState());
        assertTrue(e.getMessage().startsWith("column \"origin\" does not exist"), e.getMessage());
    }

    @Test
    void rejectsADateStoredAsText() throws IOException {
        MessageType textDate = MessageTypeParser.parseMessageType("""
                message root {
                  optional binary date (STRING);
                  optional int64 delay;
                  optional int64 distance;
                  optional binary origin (STRING);
                  optional binary destination (STRING);
                }""");
        Path file = write(textDate, CompressionCodecName.ZSTD, List.of());

        PgException e = assertThrows(PgException.class,
                () -> FlightsDataset.streamAsCopyText(file, new ByteArrayOutputStream(), n -> {}));

        assertEquals(SqlState.DATATYPE_MISMATCH, e.sqlState());
    }

    @Test
    void failsWithIoErrorForAFileThatIsNotParquet() throws IOException {
        Path file = Files.writeString(dir.resolve("not.parquet"), "date,delay\n");

        PgException e = assertThrows(PgException.class,
                () -> FlightsDataset.streamAsCopyText(file, new ByteArrayOutputStream(), n -> {}));

        assertEquals(SqlState.IO_ERROR, e.sqlState());
    }

    @Test
    void ensureDownloadedReturnsACompleteCachedFileWithoutFetching() throws IOException {
        Path cached = FlightsDataset.cachedFile(dir);
        Files.createDirectories(cached.getParent());
        try (RandomAccessFile f = new RandomAccessFile(cached.toFile(), "rw")) {
            f.setLength(FlightsDataset.FILE_SIZE);
        }
        List<String> log = new ArrayList<>();

        Path found = FlightsDataset.ensureDownloaded(dir, log::add);

        assertEquals(cached, found);
        assertEquals(List.of(), log);
    }

    @Test
    void createTableSqlListsTheColumnsInCopyOrder() {
        assertEquals("CREATE TABLE flights (date timestamp NOT NULL, delay integer, distance integer,"
                + " origin text NOT NULL, destination text NOT NULL)", FlightsDataset.CREATE_TABLE_SQL);
    }

    private static Group flight(String date, long delay, long distance, String origin, String destination) {
        return new SimpleGroupFactory(FLIGHTS_SCHEMA).newGroup()
                .append("date", micros(date))
                .append("delay", delay)
                .append("distance", distance)
                .append("origin", origin)
                .append("destination", destination);
    }

    private static long micros(String localDateTime) {
        LocalDateTime t = LocalDateTime.parse(localDateTime);
        return ChronoUnit.MICROS.between(LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC), t);
    }

    private Path write(MessageType schema, CompressionCodecName codec, List<Group> rows) throws IOException {
        Path file = Files.createTempFile(dir, "flights-", ".parquet");
        Files.delete(file);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new ParquetPageCodecs())
                .withCompressionCodec(codec)
                .withType(schema)
                .build()) {
            for (Group row : rows) {
                writer.write(row);
            }
        }
        return file;
    }

    private static String copyText(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FlightsDataset.streamAsCopyText(file, out, n -> {});
        return out.toString(StandardCharsets.UTF_8);
    }
}
