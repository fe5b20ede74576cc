package io.timeshard.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.model.Hypertable;
import java.util.List;
import java.util.Optional;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.statement.select.PlainSelect;
import org.junit.jupiter.api.Test;

/** A plan from the cache is the plan the planner makes for the statement itself. */
class PlanCacheTest {
    private final DistributedPlanner planner = new DistributedPlanner();
    private final Hypertable conditions = Conditions.hypertable();

    /** @return the cache's plan without its parameterized remote SQL (the planner's own plans have none) */
    private Optional<DistributedPlan> cached(PlanCache cache, String sql) throws Exception {
        return withParameters(cache, sql).map(p -> p.withParameterized(null));
    }

    private Optional<DistributedPlan> withParameters(PlanCache cache, String sql) throws Exception {
        PlainSelect select = (PlainSelect) new CCJSqlParser(new StringProvider(sql)).withAllowComplexParsing(true).Statement();
        String before = select.toString();
        Optional<DistributedPlan> plan = cache.plan(select, sql, conditions, Conditions.context(false));
        assertEquals(before, select.toString(), "the statement's literals are put back");
        return plan;
    }

    @Test
    void aPlanFromATemplateCarriesItsRemoteSqlWithParametersThatGiveTheRemoteSqlBack() throws Exception {
        PlanCache cache = new PlanCache(planner);
        String first = "SELECT device, max(temperature) FROM conditions WHERE location IN ('a', 'b') AND time >= '2021-01-01' "
                + "AND note = 'x' GROUP BY device";
        String second = first.replace("'a'", "'c'").replace("'b'", "'d e'").replace("2021-01-01", "2021-02-03 04:05").replace("'x'", "'y'");
        assertEquals(null, withParameters(cache, first).orElseThrow().parameterized(), "the first statement of a shape is planned in full");
        DistributedPlan p = withParameters(cache, second).orElseThrow();
        DistributedPlan.Parameterized parameterized = p.parameterized();
        assertEquals(List.of("2021-02-03 04:05", "c", "d e", "y"), parameterized.values().stream().sorted().toList());
        StringBuilder back = new StringBuilder();
        int value = 0;
        for (char ch : parameterized.remoteSql().toCharArray()) {
            if (ch == '?') back.append('\'').append(parameterized.values().get(value++)).append('\'');
            else back.append(ch);
        }
        assertEquals(p.remoteSql(), back.toString());
        assertEquals(parameterized.values().size(), value);
        assertTrue(!parameterized.remoteSql().contains("'c'") && !parameterized.remoteSql().contains("ts_pc7"), parameterized.remoteSql());
    }

    private Optional<DistributedPlan> direct(String sql) {
        return planner.plan(sql, conditions, Conditions.context(false));
    }

    @Test
    void everyCorpusQueryPlansAsThePlannerDoesTheFirstAndTheSecondTime() throws Exception {
        PlanCache cache = new PlanCache(planner);
        for (DistributedAnswersTest.CorpusQuery q : DistributedAnswersTest.corpus()) {
            assertEquals(direct(q.sql()), cached(cache, q.sql()), q.sql());
            assertEquals(direct(q.sql()), cached(cache, q.sql()), q.sql());
        }
    }

    @Test
    void otherFilterValuesAreFilledIntoTheTemplate() throws Exception {
        PlanCache cache = new PlanCache(planner);
        String first = "SELECT time_bucket('1 hour', time) AS h, max(temperature) FROM conditions "
                + "WHERE location IN ('a', 'b') AND time >= '2020-01-01 00:00:00+00' AND time < '2020-01-02' GROUP BY h ORDER BY h";
        String second = "SELECT time_bucket('1 hour', time) AS h, max(temperature) FROM conditions "
                + "WHERE location IN ('c', 'd e') AND time >= '2021-03-04 05:06:07+00' AND time < '2021-03-05' GROUP BY h ORDER BY h";
        cached(cache, first);
        long before = cache.templateHits();
        Optional<DistributedPlan> plan = cached(cache, second);
        assertEquals(before + 1, cache.templateHits(), "the second statement is served from the first one's template");
        assertEquals(direct(second), plan);
        assertTrue(plan.orElseThrow().remoteSql().contains("'d e'"), plan.orElseThrow().remoteSql());
    }

    @Test
    void positionsHoldAcrossLinesTabsAndComments() throws Exception {
        PlanCache cache = new PlanCache(planner);
        String shape = "SELECT count(*)\n\tFROM conditions -- a 'comment'\r\nWHERE /* 'x' */ location = '%s'\n  AND time >= '%s'";
        cached(cache, shape.formatted("a", "2020-01-01"));
        long before = cache.templateHits();
        String second = shape.formatted("bb", "2021-02-03 04:05");
        Optional<DistributedPlan> plan = cached(cache, second);
        assertEquals(before + 1, cache.templateHits());
        assertEquals(direct(second), plan);
    }

    @Test
    void castLiteralsAreFilledInToo() throws Exception {
        PlanCache cache = new PlanCache(planner);
        cached(cache, "SELECT max(temperature) FROM conditions WHERE device IN ('6'::integer, CAST('7' AS integer))");
        long before = cache.templateHits();
        String second = "SELECT max(temperature) FROM conditions WHERE device IN ('16'::integer, CAST('3' AS integer))";
        assertEquals(direct(second), cached(cache, second));
        assertEquals(before + 1, cache.templateHits());
    }

    @Test
    void aLiteralOutsideTheFilterStaysPartOfTheShape() throws Exception {
        PlanCache cache = new PlanCache(planner);
        cached(cache, "SELECT 'a' AS tag, count(*) FROM conditions WHERE location = 'a'");
        String other = "SELECT 'b' AS tag, count(*) FROM conditions WHERE location = 'b'";
        assertEquals(direct(other), cached(cache, other));
        String bucket = "SELECT time_bucket('2 hours', time) AS h, count(*) FROM conditions WHERE location = 'x' GROUP BY h";
        cached(cache, bucket.replace("2 hours", "1 hour"));
        assertEquals(direct(bucket), cached(cache, bucket));
    }

    @Test
    void valuesThatNeedQuotingAreNotTakenOut() throws Exception {
        PlanCache cache = new PlanCache(planner);
        cached(cache, "SELECT count(*) FROM conditions WHERE location = 'plain'");
        for (String sql : new String[] {"SELECT count(*) FROM conditions WHERE location = 'it''s'",
                "SELECT count(*) FROM conditions WHERE location = 'back\\slash'",
                "SELECT count(*) FROM conditions WHERE location = 'ümlaut'",
                "SELECT count(*) FROM conditions WHERE location = E'tab\\t'"}) {
            assertEquals(direct(sql), cached(cache, sql), sql);
        }
    }

    @Test
    void aShapeWhoseTemplateDiffersIsPlannedInFullEveryTime() throws Exception {
        PlanCache cache = new PlanCache(planner);
        // equal literals: the planner may merge the two conditions, a template with two placeholders cannot
        String first = "SELECT count(*) FROM conditions WHERE location = 'a' OR location = 'a'";
        String second = "SELECT count(*) FROM conditions WHERE location = 'b' OR location = 'c'";
        assertEquals(direct(first), cached(cache, first));
        assertEquals(direct(second), cached(cache, second));
        assertEquals(direct(first), cached(cache, first));
    }
}
