package io.timeshard.catalog.partitioning;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link SliceRange} is half-open. */
class SliceRangeTest {

    @Test
    void containsItsStartButNotItsEnd() {
        SliceRange r = new SliceRange(10, 20);
        assertTrue(r.contains(10));
        assertTrue(r.contains(19));
        assertFalse(r.contains(20));
        assertFalse(r.contains(9));
    }

    @Test
    void adjacentRangesDoNotOverlap() {
        assertFalse(new SliceRange(0, 10).overlaps(new SliceRange(10, 20)));
        assertTrue(new SliceRange(0, 11).overlaps(new SliceRange(10, 20)));
        assertTrue(new SliceRange(Long.MIN_VALUE, Long.MAX_VALUE).overlaps(new SliceRange(5, 6)));
    }

    @Test
    void emptyOrInvertedRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SliceRange(5, 5));
        assertThrows(IllegalArgumentException.class, () -> new SliceRange(6, 5));
    }
}
