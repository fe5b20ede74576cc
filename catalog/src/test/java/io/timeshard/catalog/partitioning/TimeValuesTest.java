package io.timeshard.catalog.partitioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.timeshard.catalog.errors.PgException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link TimeValues} reads and writes time values as PostgreSQL and partitioning.sql's time_to_internal do. */
class TimeValuesTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static ServerOracle pg;
    private final Random random = new Random(11);

    private static final List<String> FORMS = List.of("2019-01-01 00:00:00+00", "2019-01-01T00:00:00Z",
            "2019-01-01 00:00:00.123456-05", "2019-01-01 00:00:00+05:30", "2019-01-01 00:00", "2019-01-01",
            "2019/01/01 10:30", "2019-1-2 3:04:05", "2019-01-01 00:00:00.1", "2019-01-01 00:00:00.000001",
            "  2019-01-01 00:00:00  ", "2019-01-01 00:00:00 +0530", "2019-01-01 00:00:00 Z", "2019-01-01 00:00:00z",
            "2019-01-01 00:00:00-00:30:15", "2019-01-01 00:00:00+5:30", "2019-01-01 00:00:00-5", "2019-01-01 24:00:00", "2019-01-01 24:00", "2019-12-31 23:59:59.999999+14",
            "2020-02-29 12:00", "0001-01-01 00:00:00+00", "9999-12-31 23:59:59.999999-15",
            "2019-03-10 02:30", "2019-03-10 01:59:59", "2019-03-10 03:00", "2019-11-03 01:30", "2019-11-03 00:59",
            "2019-11-03 02:00", "1850-06-01 12:00", "1883-11-18 12:03:58", "2100-07-04 12:00");

    @BeforeAll
    static void startServer() throws Exception {
        pg = ServerOracle.start();
        pg.installPartitioningSql();
    }

    @AfterAll
    static void stopServer() throws Exception {
        pg.close();
    }

    private static void assertLikeServer(ColumnType type, ZoneId zone, List<String> texts) throws Exception {
        pg.execute("SET TimeZone = '" + zone.getId() + "'");
        List<String> expected = pg.eval("_timescaledb_functions.time_to_internal(x::" + type.sqlName() + ")",
                "text", texts.toArray());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            assertEquals(Long.parseLong(expected.get(i)), TimeValues.toInternal(type, text, zone),
                    () -> type + " '" + text + "' in " + zone);
        }
    }

    @Test
    void timestamptzFormsReadAsTheServerReadsThemInUtc() throws Exception {
        assertLikeServer(ColumnType.TIMESTAMPTZ, UTC, FORMS);
    }

    @Test
    void timestamptzFormsReadAsTheServerReadsThemInNewYorkAcrossDaylightSaving() throws Exception {
        assertLikeServer(ColumnType.TIMESTAMPTZ, NEW_YORK, FORMS);
    }

    @Test
    void timestampIgnoresAnyOffsetAndTheSessionZone() throws Exception {
        assertLikeServer(ColumnType.TIMESTAMP, NEW_YORK, FORMS);
    }

    @Test
    void dateTextReadsAsMidnight() throws Exception {
        assertLikeServer(ColumnType.DATE, NEW_YORK, List.of("2019-01-01", "1970-01-01", "1969-12-31", "0001-01-01",
                "9999-12-31", "2019/1/1", " 2000-02-29 "));
    }

    @Test
    void randomTimestampsInEveryFormReadAsOnTheServer() throws Exception {
        List<String> texts = new ArrayList<>();
        LocalDateTime from = LocalDateTime.of(1700, 1, 1, 0, 0);
        long span = ChronoUnit.MICROS.between(from, LocalDateTime.of(2200, 1, 1, 0, 0));
        for (int i = 0; i < 4000; i++) {
            LocalDateTime t = from.plus(Math.floorMod(random.nextLong(), span), ChronoUnit.MICROS);
            if (i % 4 == 0) {
                t = t.truncatedTo(ChronoUnit.HOURS).withMinute(30 * random.nextInt(2)); // hits DST edges often
            }
            String date = (i % 7 == 0) ? String.format("%04d/%02d/%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth())
                    : t.toLocalDate().toString();
            String time = String.format("%02d:%02d:%02d.%06d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000)
                    .replaceFirst("\\.?0+$", "");
            if (time.length() == 5) {
                time += ":00";
            }
            String offset = switch (i % 6) {
                case 0 -> "";
                case 1 -> "Z";
                case 2 -> String.format("%+03d", random.nextInt(29) - 14);
                case 3 -> String.format("%+03d:%02d", random.nextInt(29) - 14, 15 * random.nextInt(4));
                case 4 -> "+00";
                default -> "";
            };
            texts.add(date + (i % 3 == 0 ? "T" : " ") + time + offset);
        }
        assertLikeServer(ColumnType.TIMESTAMPTZ, NEW_YORK, texts);
        assertLikeServer(ColumnType.TIMESTAMPTZ, UTC, texts);
        assertLikeServer(ColumnType.TIMESTAMPTZ, ZoneId.of("Australia/Lord_Howe"), texts);
        assertLikeServer(ColumnType.TIMESTAMP, NEW_YORK, texts);
    }

    @Test
    void integerTimeValuesAreThemselves() throws Exception {
        assertLikeServer(ColumnType.INT8, UTC, List.of("0", "-1", "9223372036854775807", " 42 "));
        assertLikeServer(ColumnType.INT4, UTC, List.of("0", "-2147483648"));
        assertLikeServer(ColumnType.INT2, UTC, List.of("7", "-32768"));
    }

    @Test
    void slashDatesAreYearFirstUnderEveryDateStyle() throws Exception {
        try {
            pg.execute("SET DateStyle = 'ISO, DMY'");
            assertLikeServer(ColumnType.TIMESTAMPTZ, UTC, List.of("2019/01/02 10:30", "2019-01-02"));
            pg.execute("SET DateStyle = 'ISO, MDY'"); // pgjdbc requires ISO output
            assertLikeServer(ColumnType.TIMESTAMPTZ, UTC, List.of("2019/01/02 10:30", "2019-01-02"));
        } finally {
            pg.execute("RESET DateStyle");
        }
    }

    @Test
    void infinitiesMapToTheBigintLimitsOnTheServer() throws Exception {
        assertEquals("9223372036854775807", pg.scalar("SELECT _timescaledb_functions.time_to_internal('infinity'::timestamptz)"));
        assertEquals("-9223372036854775808", pg.scalar("SELECT _timescaledb_functions.time_to_internal('-infinity'::timestamp)"));
        assertEquals("9223372036854775807", pg.scalar("SELECT _timescaledb_functions.time_to_internal('infinity'::date)"));
    }

    @Test
    void theHighestTimestampTimescaleDbAcceptsIsJustBeforeYear294247() throws Exception {
        pg.execute("SET TimeZone = 'UTC'");
        assertEquals("294247-01-02 00:00:00+00",
                pg.scalar("SELECT to_timestamp(" + OpenDimensionSlicer.TIMESTAMP_INTERNAL_END / 1_000_000 + ")::text"));
    }

    @Test
    void textsItCannotReadWithCertaintyAreHandedToTheServer() {
        for (String text : List.of("infinity", "-infinity", "now", "today", "epoch", "2019-01-01 00:00:00 BC",
                "Jan 1 2019", "01/02/2019", "2019-01-01 00:00 EST", "2019-01-01 00:00 America/Chicago",
                "2019-01-01 00:00:00.1234567", "2019-02-30", "2019-13-01", "2019-01-01 23:59:60", "2019-01-01 25:00",
                "10000-01-01", "0000-01-01", "19-01-01", "2019-01-01 00:00+16", "2019-01-01T", "2019-01-01 1:2",
                "20190101", "2019-01-01 00:00:00.", "")) {
            assertThrows(TimeValues.NotParsed.class, () -> TimeValues.toInternal(ColumnType.TIMESTAMPTZ, text, UTC), text);
        }
        assertThrows(TimeValues.NotParsed.class, () -> TimeValues.toInternal(ColumnType.DATE, "2019-01-01 10:00", UTC));
    }

    @Test
    void timestamptzLiteralsAreWhatTheServerPrintsInUtcAndReadBack() throws Exception {
        List<Long> micros = new ArrayList<>(List.of(0L, 1L, -1L, 1_546_300_800_000_000L, 1_546_300_800_500_000L,
                TimeValues.MIN_TIMESTAMP_MICROS, -62_135_596_800_000_000L, -62_135_596_800_000_001L,
                OpenDimensionSlicer.TIMESTAMP_INTERNAL_END - 1));
        for (int i = 0; i < 2000; i++) {
            micros.add(random.nextLong(TimeValues.MIN_TIMESTAMP_MICROS, OpenDimensionSlicer.TIMESTAMP_INTERNAL_END));
            micros.add(random.nextLong(-5_000_000_000_000_000L, 5_000_000_000_000_000L));
        }
        List<String> literals = micros.stream().map(m -> unquote(TimeValues.toPgTimestamptzLiteral(m))).toList();
        pg.execute("SET TimeZone = 'UTC'");
        List<String> printed = pg.eval("x::timestamptz::text", "text", literals.toArray());
        List<String> readBack = pg.eval("_timescaledb_functions.time_to_internal(x::timestamptz)", "text", literals.toArray());
        for (int i = 0; i < micros.size(); i++) {
            assertEquals(printed.get(i), literals.get(i));
            assertEquals(micros.get(i), Long.parseLong(readBack.get(i)), literals.get(i));
        }
    }

    @Test
    void timestampLiteralsAreWhatTheServerPrints() throws Exception {
        List<Long> micros = new ArrayList<>(List.of(0L, -1L, 1_546_300_800_123_000L, TimeValues.MIN_TIMESTAMP_MICROS));
        for (int i = 0; i < 1000; i++) {
            micros.add(random.nextLong(TimeValues.MIN_TIMESTAMP_MICROS, 300_000_000_000_000_000L));
        }
        List<String> literals = micros.stream().map(m -> unquote(TimeValues.toPgTimestampLiteral(m))).toList();
        List<String> printed = pg.eval("x::timestamp::text", "text", literals.toArray());
        List<String> readBack = pg.eval("_timescaledb_functions.time_to_internal(x::timestamp)", "text", literals.toArray());
        for (int i = 0; i < micros.size(); i++) {
            assertEquals(printed.get(i), literals.get(i));
            assertEquals(micros.get(i), Long.parseLong(readBack.get(i)), literals.get(i));
        }
    }

    @Test
    void dateLiteralsRoundUpToTheNextMidnight() throws Exception {
        long day = TimeValues.MICROS_PER_DAY;
        assertEquals("'2019-01-01'", TimeValues.toPgDateLiteral(1_546_300_800_000_000L));
        assertEquals("'2019-01-02'", TimeValues.toPgDateLiteral(1_546_300_800_000_001L));
        assertEquals("'1969-12-31'", TimeValues.toPgDateLiteral(-day));
        assertEquals("'1970-01-01'", TimeValues.toPgDateLiteral(-day + 1));
        assertEquals("'4714-11-24 BC'", TimeValues.toPgDateLiteral(TimeValues.MIN_TIMESTAMP_MICROS));
        List<String> literals = new ArrayList<>();
        List<Long> days = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long d = random.nextLong(TimeValues.MIN_TIMESTAMP_MICROS / day, 3_000_000L);
            days.add(d);
            literals.add(unquote(TimeValues.toPgDateLiteral(d * day)));
        }
        List<String> printed = pg.eval("x::date::text", "text", literals.toArray());
        List<String> readBack = pg.eval("_timescaledb_functions.time_to_internal(x::date)", "text", literals.toArray());
        for (int i = 0; i < literals.size(); i++) {
            assertEquals(printed.get(i), literals.get(i));
            assertEquals(days.get(i) * day, Long.parseLong(readBack.get(i)));
        }
    }

    @Test
    void valuesBeforeTheLowestTimestampHaveNoLiteral() {
        PgException e = assertThrows(PgException.class, () -> TimeValues.toPgTimestamptzLiteral(Long.MIN_VALUE));
        assertEquals("22008", e.sqlState());
        assertThrows(PgException.class, () -> TimeValues.toPgDateLiteral(TimeValues.MIN_TIMESTAMP_MICROS - 1));
    }

    @Test
    void literalFormatIsIsoWithUtcOffset() {
        assertEquals("'2019-01-01 00:00:00+00'", TimeValues.toPgTimestamptzLiteral(1_546_300_800_000_000L));
        assertEquals("'2019-01-01 00:00:00.12+00'", TimeValues.toPgTimestamptzLiteral(1_546_300_800_120_000L));
        assertEquals("'1969-12-31 23:59:59.999999'", TimeValues.toPgTimestampLiteral(-1));
    }

    private static String unquote(String literal) {
        return literal.substring(1, literal.length() - 1);
    }
}
