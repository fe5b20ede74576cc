package io.timeshard.planner.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Planning stays well under the design's 5 ms per query once warm: the differential corpus is
 * planned repeatedly (both contexts), and the median and 99th percentile after warm-up are reported
 * (in the test's output file) and the median checked.
 */
class PlanningSpeedTest {
    @Test
    void warmMedianPlanningTimeIsWellUnderFiveMilliseconds() throws Exception {
        DistributedPlanner planner = new DistributedPlanner();
        List<String> queries = DistributedAnswersTest.corpus().stream().map(DistributedAnswersTest.CorpusQuery::sql).toList();
        for (int round = 0; round < 30; round++) planAll(planner, queries, null);
        List<Long> nanos = new ArrayList<>();
        for (int round = 0; round < 20; round++) planAll(planner, queries, nanos);
        nanos.sort(null);
        double median = nanos.get(nanos.size() / 2) / 1e6;
        double p99 = nanos.get((int) (nanos.size() * 0.99)) / 1e6;
        System.out.printf("planning %d queries: median %.3f ms, p99 %.3f ms%n", nanos.size(), median, p99);
        assertTrue(median < 5.0, "median planning time " + median + " ms");
    }

    private static void planAll(DistributedPlanner planner, List<String> queries, List<Long> nanos) {
        for (String sql : queries) {
            for (boolean spaceOnOneNode : new boolean[] {true, false}) {
                long start = System.nanoTime();
                planner.plan(sql, Conditions.hypertable(), Conditions.context(spaceOnOneNode));
                if (nanos != null) nanos.add(System.nanoTime() - start);
            }
        }
    }
}
