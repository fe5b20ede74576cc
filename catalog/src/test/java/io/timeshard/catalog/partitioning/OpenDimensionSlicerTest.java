package io.timeshard.catalog.partitioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.errors.PgException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link OpenDimensionSlicer} aligns time slices as TimescaleDB's calculate_open_range_default. */
class OpenDimensionSlicerTest {
    private static final long DAY = TimeValues.MICROS_PER_DAY;
    private static final long WEEK = 7 * DAY;

    @Test
    void sevenDaySlicesAlignToTheUnixEpochSo2019StartsInTheSliceOfThursday20181227() throws Exception {
        long newYear = TimeValues.toInternal(ColumnType.TIMESTAMPTZ, "2019-01-01 00:00:00+00", null);
        SliceRange slice = OpenDimensionSlicer.sliceFor(newYear, WEEK);
        Instant start = Instant.EPOCH.plusNanos(slice.start() * 1000);
        assertEquals("2018-12-27T00:00:00Z", start.toString());
        assertEquals(DayOfWeek.THURSDAY, start.atOffset(ZoneOffset.UTC).getDayOfWeek());
        assertEquals(slice.start() + WEEK, slice.end());
    }

    @Test
    void valuesAtTheStartOfAnIntervalOpenIt() {
        assertEquals(new SliceRange(0, 10), OpenDimensionSlicer.sliceFor(0, 10));
        assertEquals(new SliceRange(10, 20), OpenDimensionSlicer.sliceFor(10, 10));
        assertEquals(new SliceRange(10, 20), OpenDimensionSlicer.sliceFor(19, 10));
    }

    @Test
    void negativeValuesFallInTheIntervalEndingAtTheNextMultiple() {
        assertEquals(new SliceRange(-10, 0), OpenDimensionSlicer.sliceFor(-1, 10));
        assertEquals(new SliceRange(-10, 0), OpenDimensionSlicer.sliceFor(-10, 10));
        assertEquals(new SliceRange(-20, -10), OpenDimensionSlicer.sliceFor(-11, 10));
        long beforeEpoch = -1; // 1969-12-31 23:59:59.999999
        assertEquals(new SliceRange(-WEEK, 0), OpenDimensionSlicer.sliceFor(beforeEpoch, WEEK));
    }

    @Test
    void slicesNearTheLimitsOfBigintAreUnbounded() {
        assertEquals(new SliceRange(Long.MIN_VALUE, -9223372036854775800L), OpenDimensionSlicer.sliceFor(Long.MIN_VALUE, 10));
        assertEquals(new SliceRange(9223372036854775800L, Long.MAX_VALUE), OpenDimensionSlicer.sliceFor(Long.MAX_VALUE - 1, 10));
        assertEquals(new SliceRange(9223372036854775790L, 9223372036854775800L),
                OpenDimensionSlicer.sliceFor(9223372036854775799L, 10));
    }

    @Test
    void smallintSlicesAreUnboundedNearTheTypeLimits() {
        assertEquals(new SliceRange(30000, Long.MAX_VALUE), OpenDimensionSlicer.sliceFor(ColumnType.INT2, 32000, 10000));
        assertEquals(new SliceRange(20000, 30000), OpenDimensionSlicer.sliceFor(ColumnType.INT2, 29999, 10000));
        assertEquals(new SliceRange(Long.MIN_VALUE, -30000), OpenDimensionSlicer.sliceFor(ColumnType.INT2, -32000, 10000));
        assertEquals(new SliceRange(-30000, -20000), OpenDimensionSlicer.sliceFor(ColumnType.INT2, -29999, 10000));
    }

    @Test
    void timestampSlicesAreUnboundedNearTheTimestampLimits() {
        long lowest = TimeValues.MIN_TIMESTAMP_MICROS;
        assertEquals(Long.MIN_VALUE, OpenDimensionSlicer.sliceFor(ColumnType.TIMESTAMPTZ, lowest, WEEK).start());
        long last = OpenDimensionSlicer.TIMESTAMP_INTERNAL_END - 2;
        assertEquals(Long.MAX_VALUE, OpenDimensionSlicer.sliceFor(ColumnType.TIMESTAMPTZ, last, WEEK).end());
        assertEquals(OpenDimensionSlicer.sliceFor(1_546_300_800_000_000L, WEEK),
                OpenDimensionSlicer.sliceFor(ColumnType.DATE, 1_546_300_800_000_000L, WEEK));
    }

    @Test
    void everyValueLiesInItsSliceAndSlicesTile() {
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            long interval = 1 + (random.nextBoolean() ? random.nextInt(1000) : Math.abs(random.nextLong() % (365 * DAY)));
            long value = random.nextLong() / (1 + random.nextInt(1_000_000));
            SliceRange slice = OpenDimensionSlicer.sliceFor(value, interval);
            assertTrue(slice.contains(value), () -> value + " in " + slice);
            if (slice.start() != Long.MIN_VALUE && slice.end() != Long.MAX_VALUE) {
                assertEquals(interval, slice.end() - slice.start());
                assertEquals(0, Math.floorMod(slice.start(), interval));
                assertEquals(new SliceRange(slice.end(), slice.end() + interval), OpenDimensionSlicer.sliceFor(slice.end(), interval));
            }
        }
    }

    @Test
    void valuesAtTheTypeEndAndBadIntervalsAreRefused() {
        assertEquals("XX000", assertThrows(PgException.class, () -> OpenDimensionSlicer.sliceFor(Long.MAX_VALUE, 10)).sqlState());
        assertEquals("XX000", assertThrows(PgException.class,
                () -> OpenDimensionSlicer.sliceFor(ColumnType.INT2, Short.MAX_VALUE, 10)).sqlState());
        assertEquals("22023", assertThrows(PgException.class, () -> OpenDimensionSlicer.sliceFor(5, 0)).sqlState());
        assertEquals("0A000", assertThrows(PgException.class,
                () -> OpenDimensionSlicer.sliceFor(ColumnType.TEXT, 5, 10)).sqlState());
    }
}
