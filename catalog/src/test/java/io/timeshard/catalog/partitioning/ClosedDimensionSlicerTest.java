package io.timeshard.catalog.partitioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.errors.PgException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ClosedDimensionSlicer} cuts the 31-bit hash space as TimescaleDB's calculate_closed_range_default. */
class ClosedDimensionSlicerTest {

    @Test
    void twoSlicesMeetAt1073741823() {
        assertEquals(List.of(new SliceRange(Long.MIN_VALUE, 1073741823L), new SliceRange(1073741823L, Long.MAX_VALUE)),
                ClosedDimensionSlicer.allSlices(2));
        assertEquals(0, ClosedDimensionSlicer.sliceIndex(1073741822L, 2));
        assertEquals(1, ClosedDimensionSlicer.sliceIndex(1073741823L, 2));
    }

    @Test
    void threeSlicesAreMultiplesOf715827882() {
        assertEquals(List.of(new SliceRange(Long.MIN_VALUE, 715827882L), new SliceRange(715827882L, 1431655764L),
                new SliceRange(1431655764L, Long.MAX_VALUE)), ClosedDimensionSlicer.allSlices(3));
    }

    @Test
    void oneSliceCoversEverything() {
        assertEquals(List.of(new SliceRange(Long.MIN_VALUE, Long.MAX_VALUE)), ClosedDimensionSlicer.allSlices(1));
        assertEquals(0, ClosedDimensionSlicer.sliceIndex(Integer.MAX_VALUE, 1));
    }

    @Test
    void theDivisionRemainderGoesToTheLastSlice() {
        // 2147483647 / 4 = 536870911; the last slice starts at 1610612733 and takes hash 2147483646
        assertEquals(new SliceRange(1610612733L, Long.MAX_VALUE), ClosedDimensionSlicer.sliceFor(2147483646L, 4));
        assertEquals(new SliceRange(1073741822L, 1610612733L), ClosedDimensionSlicer.sliceFor(1610612732L, 4));
    }

    @Test
    void sliceIndexAndSliceForAgreeForEveryCount() {
        Random random = new Random(3);
        for (int n = 1; n <= 64; n++) {
            List<SliceRange> slices = ClosedDimensionSlicer.allSlices(n);
            assertEquals(n, slices.size());
            for (int i = 1; i < n; i++) {
                assertEquals(slices.get(i - 1).end(), slices.get(i).start(), "slices are contiguous");
            }
            for (int k = 0; k < 500; k++) {
                long hash = random.nextInt(Integer.MAX_VALUE);
                int index = ClosedDimensionSlicer.sliceIndex(hash, n);
                assertEquals(slices.get(index), ClosedDimensionSlicer.sliceFor(hash, n));
                assertTrue(slices.get(index).contains(hash));
            }
        }
    }

    @Test
    void negativeValuesAndBadCountsAreRefused() {
        assertEquals("XX000", assertThrows(PgException.class, () -> ClosedDimensionSlicer.sliceFor(-1, 2)).sqlState());
        assertEquals("22023", assertThrows(PgException.class, () -> ClosedDimensionSlicer.allSlices(0)).sqlState());
        assertThrows(PgException.class, () -> ClosedDimensionSlicer.sliceIndex(5, 32768));
    }
}
