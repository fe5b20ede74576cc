package io.timeshard.accessnode.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubqueryResultsTest {
    private static List<List<String>> rows(int n) {
        return Collections.nCopies(n, List.of("'1'::integer"));
    }

    @Test
    void keepsTheLastRowsOfEachProbeAndForgetsAFailedOne() {
        SubqueryResults r = new SubqueryResults();
        r.put("a", rows(2), null);
        r.put("a", rows(3), null);
        assertEquals(3, r.get("a").size());
        r.put("a", null, null);
        assertNull(r.get("a"));
        r.put("big", rows(1_001), null);
        assertNull(r.get("big"), "a probe of more than 1,000 rows is not kept");
    }

    @Test
    void dropsTheLeastRecentlyUsedPastTenThousandRowsInAll() {
        SubqueryResults r = new SubqueryResults();
        for (int i = 0; i < 10; i++) r.put("p" + i, rows(1_000), null);
        assertEquals(10, r.size());
        r.get("p0"); // used: p1 is now the eldest
        r.put("p10", rows(1), null);
        assertNull(r.get("p1"));
        assertEquals(1_000, r.get("p0").size());
        assertEquals(10, r.size());
    }

    @Test
    void aStatementsFreshRowsAreTakenOnceAndForgottenAfterIt() {
        SubqueryResults r = new SubqueryResults();
        r.markFresh("a", rows(2));
        r.markFresh("b", rows(1));
        assertEquals(2, r.takeFresh("a").size());
        assertNull(r.takeFresh("a"), "taken once");
        r.clearFresh();
        assertNull(r.takeFresh("b"), "not past the statement");
    }

    @Test
    void aProbeFoundChangedTwiceInARowIsNoLongerAnsweredFromItsKeptRows() {
        SubqueryResults r = new SubqueryResults();
        r.put("once", rows(1), null);
        r.checked("once", false);
        r.put("once", rows(2), null);
        assertEquals(2, r.get("once").size(), "changed once (a table updated): still speculated");
        r.checked("once", true);
        r.checked("once", false);
        assertEquals(2, r.get("once").size(), "the streak starts again after a check that found the same rows");
        r.put("random", rows(1), null);
        r.checked("random", false);
        r.checked("random", false);
        r.put("random", rows(3), null);
        assertNull(r.get("random"), "changed at every check: run before planning from now on");
    }

    @Test
    void theDataRowBytesAreKeptWithTheRowsThroughTheirChecks() {
        SubqueryResults r = new SubqueryResults();
        List<byte[]> raw = List.of(new byte[] {0, 1, 0, 0, 0, 1, 49});
        r.put("a", rows(1), raw);
        r.checked("a", true);
        assertEquals(raw, r.raw("a"));
        r.put("a", rows(1), null);
        assertNull(r.raw("a"), "replaced with the rows");
        assertNull(r.raw("unknown"));
    }
}
