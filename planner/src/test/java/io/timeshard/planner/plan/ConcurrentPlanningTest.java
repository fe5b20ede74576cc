package io.timeshard.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One planner instance serves many threads: plans made concurrently equal the plans made one by one. */
class ConcurrentPlanningTest {
    @Test
    void planningFromEightThreadsGivesTheSamePlans() throws Exception {
        DistributedPlanner planner = new DistributedPlanner();
        List<String> queries = DistributedAnswersTest.corpus().stream().map(DistributedAnswersTest.CorpusQuery::sql).toList();
        List<Optional<DistributedPlan>> expected = queries.stream()
                .map(q -> planner.plan(q, Conditions.hypertable(), Conditions.context(false))).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<List<Optional<DistributedPlan>>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> queries.stream()
                        .map(q -> planner.plan(q, Conditions.hypertable(), Conditions.context(false))).toList()));
            }
            for (Future<List<Optional<DistributedPlan>>> f : futures) assertEquals(expected, f.get());
        }
    }
}
