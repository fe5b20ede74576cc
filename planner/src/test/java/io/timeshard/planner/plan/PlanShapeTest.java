package io.timeshard.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What each data node runs and what the access node combines, for the shapes the design names. */
class PlanShapeTest {
    private final DistributedPlanner planner = new DistributedPlanner();

    private DistributedPlan plan(String sql, boolean spaceOnOneNode) {
        return planner.planOrThrow(sql, Conditions.hypertable(), Conditions.context(spaceOnOneNode));
    }

    @Test
    void groupByNonSpaceColumnSendsPartialMaxToEachNode() {
        DistributedPlan p = plan("SELECT location, max(temperature) FROM conditions GROUP BY location", true);
        assertEquals(PushDown.PARTIAL, p.pushDown());
        assertTrue(p.remoteSql().matches("SELECT \"location\" AS \"(\\w+)\", MAX\\(\"temperature\"\\) AS \"(\\w+)\" FROM \"public\".\"conditions\" GROUP BY \"location\""),
                p.remoteSql());
        assertTrue(p.combineSql().contains("MAX(\"_ts_remote\"."), p.combineSql());
        assertTrue(p.combineSql().contains(" GROUP BY "), p.combineSql());
        assertEquals(List.of("text", "double precision"), p.remoteColumns().stream().map(ResultColumn::type).toList());
    }

    @Test
    void firstAndLastSendTheirValueAndBookendTimeToTheAccessNode() {
        DistributedPlan p = plan("SELECT location, first(temperature, time), last(device, time) FILTER (WHERE device > 2) FROM conditions GROUP BY location", true);
        assertEquals(PushDown.PARTIAL, p.pushDown());
        assertTrue(p.remoteSql().matches("SELECT \"location\" AS \"\\w+\", FIRST\\(\"temperature\", \"time\"\\) AS \"\\w+\", MIN\\(\"time\"\\) AS \"\\w+\", "
                + "LAST\\(\"device\", \"time\"\\) FILTER \\(WHERE \"device\" > 2 IS TRUE\\) AS \"\\w+\", MAX\\(\"time\"\\) FILTER \\(WHERE \"device\" > 2 IS TRUE\\) AS \"\\w+\" "
                + "FROM \"public\".\"conditions\" GROUP BY \"location\""), p.remoteSql());
        assertEquals(List.of("text", "double precision", "timestamp with time zone", "integer", "timestamp with time zone"),
                p.remoteColumns().stream().map(ResultColumn::type).toList());
        assertTrue(p.combineSql().matches("(?s).*FIRST\\(\"_ts_remote\".\"\\w+\", \"_ts_remote\".\"\\w+\"\\).*"), p.combineSql());
        assertTrue(p.combineSql().matches("(?s).*LAST\\(\"_ts_remote\".\"\\w+\", \"_ts_remote\".\"\\w+\"\\).*"), p.combineSql());
    }

    @Test
    void distinctAggregatesAddTheirArgumentToTheNodesGroupBy() {
        DistributedPlan p = plan("SELECT location, count(DISTINCT device), sum(DISTINCT device), count(*), avg(temperature) FROM conditions GROUP BY location", true);
        assertEquals(PushDown.PARTIAL, p.pushDown());
        // count(DISTINCT device) and sum(DISTINCT device) share one remote group key
        assertTrue(p.remoteSql().matches("SELECT \"location\" AS \"\\w+\", \"device\" AS \"(\\w+)\", COUNT\\(\\*\\) .* "
                + "FROM \"public\".\"conditions\" GROUP BY \"location\", \"device\""), p.remoteSql());
        assertTrue(p.combineSql().matches("SELECT .*, COUNT\\(DISTINCT \"_ts_remote\".\"\\w+\"\\) AS \"count\", SUM\\(DISTINCT \"_ts_remote\".\"\\w+\"\\) AS \"sum\", "
                + ".* FROM \"_ts_remote\" GROUP BY \"_ts_remote\".\"\\w+\""), p.combineSql());
        assertEquals(List.of("text", "integer", "bigint", "double precision", "bigint"),
                p.remoteColumns().stream().map(ResultColumn::type).toList());
    }

    @Test
    void aDistinctAggregatesFilterConditionJoinsTheNodesGroupByAndFiltersTheMerge() {
        DistributedPlan p = plan("SELECT location, count(DISTINCT device) FILTER (WHERE temperature > 20) FROM conditions GROUP BY location", true);
        assertEquals(PushDown.PARTIAL, p.pushDown());
        assertTrue(p.remoteSql().matches("SELECT \"location\" AS \"\\w+\", \"device\" AS \"\\w+\", \"temperature\" > 20 IS TRUE AS \"\\w+\" "
                + "FROM \"public\".\"conditions\" GROUP BY \"location\", \"device\", \"temperature\" > 20 IS TRUE"), p.remoteSql());
        assertTrue(p.combineSql().matches("SELECT .*, COUNT\\(DISTINCT \"_ts_remote\".\"\\w+\"\\) FILTER \\(WHERE \"_ts_remote\".\"\\w+\"\\) AS \"count\" "
                + "FROM \"_ts_remote\" GROUP BY \"_ts_remote\".\"\\w+\""), p.combineSql());
    }

    @Test
    void distinctOnOverGroupsPicksAmongTheMergedGroups() {
        DistributedPlan full = plan("SELECT DISTINCT ON (location) location, device, count(*) AS n FROM conditions GROUP BY location, device "
                + "ORDER BY location, n DESC, device", true);
        assertEquals(PushDown.FULL, full.pushDown());
        assertTrue(full.remoteSql().endsWith("GROUP BY \"location\", \"device\""), full.remoteSql());
        assertTrue(full.combineSql().startsWith("SELECT DISTINCT ON (\"_ts_remote\".\"_ts_o3\") "), full.combineSql());
        DistributedPlan partial = plan("SELECT DISTINCT ON (location) location, date_trunc('day', time) AS d, count(*) AS n FROM conditions "
                + "GROUP BY location, d ORDER BY location, n DESC, d", true);
        assertEquals(PushDown.PARTIAL, partial.pushDown());
        assertTrue(partial.combineSql().matches("SELECT DISTINCT ON \\(\"_ts_remote\".\"_ts_k0\"\\) .* GROUP BY \"_ts_remote\".\"_ts_k0\", "
                + "\"_ts_remote\".\"_ts_k1\" ORDER BY \"_ts_remote\".\"_ts_k0\" ASC NULLS LAST, CAST\\(COALESCE\\(SUM.*"), partial.combineSql());
    }

    @Test
    void groupBySpaceColumnSendsWholeAggregateToEachNode() {
        DistributedPlan p = plan("SELECT device, max(temperature) FROM conditions GROUP BY device HAVING count(*) > 2", true);
        assertEquals(PushDown.FULL, p.pushDown());
        assertTrue(p.remoteSql().contains("GROUP BY \"device\" HAVING COUNT(*) > 2"), p.remoteSql());
        assertFalse(p.combineSql().contains("GROUP BY"), p.combineSql());
        assertFalse(p.combineSql().contains("MAX("), p.combineSql());
    }

    @Test
    void groupBySpaceColumnAcrossARepartitioningIsPartial() {
        DistributedPlan p = plan("SELECT device, max(temperature) FROM conditions GROUP BY device", false);
        assertEquals(PushDown.PARTIAL, p.pushDown());
    }

    @Test
    void groupByAnExpressionOfTheSpaceColumnIsPartial() {
        assertEquals(PushDown.PARTIAL, plan("SELECT device % 2, count(*) FROM conditions GROUP BY device % 2", true).pushDown());
    }

    @Test
    void groupByTimeAndSpaceColumnsIsFullEvenAcrossARepartitioning() {
        assertEquals(PushDown.FULL, plan("SELECT time, device, count(*) FROM conditions GROUP BY time, device", false).pushDown());
    }

    @Test
    void orderByLimitOffsetIsPushedAsLimitPlusOffsetAndAppliedAgainOnTheAccessNode() {
        DistributedPlan p = plan("SELECT time, temperature FROM conditions WHERE device = 3 ORDER BY time DESC LIMIT 5 OFFSET 10", true);
        assertEquals(PushDown.NONE, p.pushDown());
        assertTrue(p.remoteSql().contains("WHERE \"device\" = 3"), p.remoteSql());
        assertTrue(p.remoteSql().matches("(?s).*ORDER BY \"time\" DESC\\s+LIMIT 15$"), p.remoteSql());
        assertTrue(p.combineSql().endsWith("DESC NULLS FIRST LIMIT 5 OFFSET 10"), p.combineSql());
    }

    @Test
    void orderByLimitFollowsAWholeAggregateDown() {
        DistributedPlan p = plan("SELECT device, avg(temperature) AS a FROM conditions GROUP BY device ORDER BY a DESC LIMIT 3", true);
        assertEquals(PushDown.FULL, p.pushDown());
        assertTrue(p.remoteSql().matches("(?s).*ORDER BY 2 DESC\\s+LIMIT 3$"), p.remoteSql());
        assertTrue(p.combineSql().endsWith("LIMIT 3"), p.combineSql());
    }

    @Test
    void limitStaysOnTheAccessNodeAfterPartialAggregates() {
        DistributedPlan p = plan("SELECT location, count(*) FROM conditions GROUP BY location ORDER BY 2 DESC LIMIT 3", true);
        assertEquals(PushDown.PARTIAL, p.pushDown());
        assertFalse(p.remoteSql().contains("LIMIT"), p.remoteSql());
        assertTrue(p.combineSql().endsWith("LIMIT 3"), p.combineSql());
    }

    @Test
    void topNByGroupKeyFollowsPartialAggregatesDown() {
        DistributedPlan p = plan("SELECT location, avg(temperature) FROM conditions GROUP BY location ORDER BY location DESC LIMIT 3 OFFSET 1", true);
        assertEquals(PushDown.PARTIAL, p.pushDown());
        assertTrue(p.remoteSql().matches("(?s).*GROUP BY \"location\"\\s+ORDER BY \"location\" DESC\\s+LIMIT 4$"), p.remoteSql());
        assertTrue(p.combineSql().endsWith("LIMIT 3 OFFSET 1"), p.combineSql());
        assertEquals(List.of(), p.oneNodePassThrough(), "avg's states are not its value");
    }

    @Test
    void oneNodesStatesAreTheAnswerForMinMaxSumAndCount() {
        DistributedPlan p = plan("SELECT max(temperature) AS m, location, count(*), sum(small) FROM conditions GROUP BY location ORDER BY location", true);
        assertEquals(PushDown.PARTIAL, p.pushDown());
        assertTrue(p.remoteSql().matches("(?s).*GROUP BY \"location\"\\s+ORDER BY \"location\"$"), p.remoteSql());
        assertEquals(List.of(1, 0, 2, 3), p.oneNodePassThrough());
        assertEquals(List.of(), p.passThrough());
        assertEquals(List.of(), plan("SELECT location, max(temperature) FROM conditions GROUP BY location HAVING max(temperature) > 3", true)
                .oneNodePassThrough(), "HAVING filters merged groups");
        assertEquals(List.of(), plan("SELECT location, max(temperature) * 2 FROM conditions GROUP BY location", true).oneNodePassThrough());
        assertEquals(List.of(), plan("SELECT max(temperature) FROM conditions", true).oneNodePassThrough(), "every node answers a global aggregate");
        DistributedPlan byValue = plan("SELECT location, max(temperature) AS m FROM conditions GROUP BY location ORDER BY m LIMIT 2", true);
        assertEquals(List.of(), byValue.oneNodePassThrough());
        assertFalse(byValue.remoteSql().contains("ORDER BY"), byValue.remoteSql());
    }

    @Test
    void avgOfIntegersIsSumAndCountOnNodesAndNumericDivisionOnTheAccessNode() {
        DistributedPlan p = plan("SELECT avg(small) FROM conditions", true);
        assertTrue(p.remoteSql().matches("SELECT SUM\\(\"small\"\\) AS \"\\w+\", COUNT\\(\"small\"\\) AS \"\\w+\" FROM \"public\".\"conditions\""), p.remoteSql());
        assertEquals(List.of("bigint", "bigint"), p.remoteColumns().stream().map(ResultColumn::type).toList());
        assertTrue(p.combineSql().matches("SELECT SUM\\(.*\\) / NULLIF\\(SUM\\(.*\\), 0\\) AS \"avg\" FROM \"_ts_remote\""), p.combineSql());
    }

    @Test
    void stddevOfFloatsUsesCountMeanAndM2NeverSumOfSquares() {
        DistributedPlan p = plan("SELECT stddev(temperature) FROM conditions", true);
        assertTrue(p.remoteSql().contains("VAR_POP(\"temperature\")"), p.remoteSql());
        assertFalse(p.remoteSql().contains("\"temperature\" * \"temperature\""), p.remoteSql());
        assertTrue(p.combineSql().contains("OVER ()"), p.combineSql());
    }

    @Test
    void filterClauseGoesIntoTheRemoteAggregate() {
        DistributedPlan p = plan("SELECT location, count(*) FILTER (WHERE temperature > 20) FROM conditions GROUP BY location", true);
        assertTrue(p.remoteSql().contains("COUNT(*) FILTER (WHERE \"temperature\" > 20 IS TRUE)"), p.remoteSql());
    }

    @Test
    void remoteColumnsCarryPostgresTypesAndCombineKeepsClientNames() {
        DistributedPlan p = plan("SELECT note, reading, time AS t, 1 + 2, count(*) FROM conditions GROUP BY note, reading, time, device", true);
        assertEquals(PushDown.FULL, p.pushDown());
        assertEquals(List.of("character varying(20)", "numeric(10,3)", "timestamp with time zone", "integer", "bigint"),
                p.remoteColumns().stream().map(ResultColumn::type).toList());
        assertTrue(p.combineSql().contains("AS \"note\", "), p.combineSql());
        assertTrue(p.combineSql().contains("AS \"t\", "), p.combineSql());
        assertTrue(p.combineSql().contains("AS \"?column?\", "), p.combineSql());
        assertTrue(p.combineSql().contains("AS \"count\" FROM"), p.combineSql());
    }

    @Test
    void timeBucketAndLiteralsPrintAsWritten() {
        DistributedPlan p = plan("SELECT time_bucket('5 minutes', time) FROM conditions "
                + "WHERE time >= '2024-01-01 00:00:00.123456+00' AND temperature < 1e3 AND location = 'it''s'", true);
        assertTrue(p.remoteSql().contains("TIME_BUCKET('5 minutes', \"time\")"), p.remoteSql());
        assertTrue(p.remoteSql().contains("\"time\" >= '2024-01-01 00:00:00.123456+00'"), p.remoteSql());
        assertTrue(p.remoteSql().contains("\"temperature\" < 1e3"), p.remoteSql());
        assertTrue(p.remoteSql().contains("\"location\" = 'it''s'"), p.remoteSql());
    }

    @Test
    void oneDataNodeInPlayRunsTheWholeAggregateThereAndTheCombineOnlySortsAgain() {
        DistributedPlan p = planner.planOrThrow("SELECT date_trunc('minute', time) AS minute, max(temperature) FROM conditions "
                + "WHERE device IN (7) GROUP BY minute ORDER BY minute", Conditions.hypertable(), new PlanContext(List.of("dn2"), false));
        assertEquals(PushDown.FULL, p.pushDown());
        assertTrue(p.remoteSql().contains("MAX(\"temperature\")"), p.remoteSql());
        assertTrue(p.remoteSql().contains("GROUP BY DATE_TRUNC('minute', \"time\")"), p.remoteSql());
        assertTrue(p.combineSql().matches("SELECT \"_ts_remote\".\"\\w+\" AS \"minute\", \"_ts_remote\".\"\\w+\" AS \"max\" "
                + "FROM \"_ts_remote\" ORDER BY \"_ts_remote\".\"\\w+\" ASC NULLS LAST"), p.combineSql());
    }

    @Test
    void oneDataNodeInPlaySortsThereAndPassesItsRowsThrough() {
        DistributedPlan p = planner.planOrThrow("SELECT date_trunc('minute', time) AS minute, max(temperature) FROM conditions "
                + "WHERE device IN (7) GROUP BY minute ORDER BY minute", Conditions.hypertable(), new PlanContext(List.of("dn2"), false));
        assertTrue(p.remoteSql().matches("(?s).*GROUP BY DATE_TRUNC\\('minute', \"time\"\\)\\s+ORDER BY 1$"), p.remoteSql());
        assertEquals(List.of(0, 1), p.passThrough());
        DistributedPlan reordered = planner.planOrThrow("SELECT max(temperature) AS m, location, location AS again FROM conditions "
                + "GROUP BY location", Conditions.hypertable(), new PlanContext(List.of("dn2"), false));
        assertEquals(3, reordered.passThrough().size(), "every result column is a remote column");
    }

    @Test
    void nothingPassesThroughWithAnOffsetOrAnOrderOrPartialStatesFromSeveralDataNodes() {
        PlanContext one = new PlanContext(List.of("dn1"), false);
        assertEquals(List.of(), planner.planOrThrow("SELECT location, time FROM conditions ORDER BY time LIMIT 5 OFFSET 2",
                Conditions.hypertable(), one).passThrough());
        assertEquals(List.of(), plan("SELECT location, max(temperature) FROM conditions GROUP BY location ORDER BY location", false).passThrough());
        assertEquals(List.of(), plan("SELECT device, max(temperature) FROM conditions GROUP BY device ORDER BY device", true).passThrough());
        assertEquals(List.of(), plan("SELECT location, time FROM conditions LIMIT 5", true).passThrough());
        assertEquals(List.of(0, 1), plan("SELECT device, max(temperature) FROM conditions GROUP BY device", true).passThrough(),
                "FULL: each group on one node");
        assertEquals(List.of(0, 1), plan("SELECT location, time FROM conditions WHERE temperature > 3", false).passThrough());
        assertEquals(List.of(0, 1), planner.planOrThrow("SELECT location, time FROM conditions ORDER BY time DESC LIMIT 5",
                Conditions.hypertable(), one).passThrough());
    }

    @Test
    void oneDataNodeInPlayTakesAggregatesThatCannotBeSplit() {
        DistributedPlan p = planner.planOrThrow("SELECT count(DISTINCT location), stddev(reading) FROM conditions HAVING count(*) > 1",
                Conditions.hypertable(), new PlanContext(List.of("dn1"), false));
        assertEquals(PushDown.FULL, p.pushDown());
        assertTrue(p.remoteSql().contains("COUNT(DISTINCT \"location\")"), p.remoteSql());
        assertTrue(p.remoteSql().contains("HAVING COUNT(*) > 1"), p.remoteSql());
    }

    @Test
    void oneDataNodeInPlayPushesHavingOrderByLimitAndOffset() {
        DistributedPlan p = planner.planOrThrow("SELECT location, sum(amount) AS s FROM conditions GROUP BY location "
                + "HAVING count(*) > 3 ORDER BY s DESC, location LIMIT 2 OFFSET 1", Conditions.hypertable(), new PlanContext(List.of("dn1"), false));
        assertEquals(PushDown.FULL, p.pushDown());
        assertTrue(p.remoteSql().contains("HAVING COUNT(*) > 3"), p.remoteSql());
        assertTrue(p.remoteSql().matches("(?s).*ORDER BY 2 DESC, \"location\"\\s+LIMIT 3$"), p.remoteSql());
        assertTrue(p.combineSql().endsWith("LIMIT 2 OFFSET 1"), p.combineSql());
        assertFalse(p.combineSql().contains("SUM("), p.combineSql());
    }

    @Test
    void noDataNodeInPlayStillAnswersAGlobalAggregateOnTheAccessNode() {
        DistributedPlan p = planner.planOrThrow("SELECT count(*) FROM conditions", Conditions.hypertable(), new PlanContext(List.of(), false));
        assertEquals(PushDown.PARTIAL, p.pushDown());
        assertTrue(p.combineSql().contains("COALESCE(SUM("), p.combineSql());
    }

    @Test
    void distinctOnRunsOnEachNodeAndAgainOverTheUnion() {
        DistributedPlan p = plan("SELECT DISTINCT ON (device) * FROM conditions ORDER BY device, time DESC", true);
        assertEquals(PushDown.PARTIAL, p.pushDown());
        assertTrue(p.remoteSql().matches("SELECT DISTINCT ON \\(\"(\\w+)\"\\) \\* FROM \\(SELECT \"time\" AS \"(\\w+)\", \"device\" AS \"\\1\", .* "
                + "FROM \"public\".\"conditions\"\\) AS \"_ts_rows\" ORDER BY \"\\1\" ASC NULLS LAST, \"\\2\" DESC NULLS FIRST"), p.remoteSql());
        assertTrue(p.combineSql().matches("SELECT DISTINCT ON \\(\"_ts_remote\".\"(\\w+)\"\\) .* FROM \"_ts_remote\" "
                + "ORDER BY \"_ts_remote\".\"\\1\" ASC NULLS LAST, \"_ts_remote\".\"\\w+\" DESC NULLS FIRST"), p.combineSql());
    }

    @Test
    void distinctOnWithLimitAndOffsetSendsLimitPlusOffsetAndAppliesBothAgain() {
        DistributedPlan p = plan("SELECT DISTINCT ON (location) time, temperature FROM conditions ORDER BY location, time DESC LIMIT 3 OFFSET 2", true);
        assertTrue(p.remoteSql().endsWith("DESC NULLS FIRST LIMIT 5"), p.remoteSql());
        assertTrue(p.combineSql().endsWith("DESC NULLS FIRST LIMIT 3 OFFSET 2"), p.combineSql());
        assertEquals(3, p.remoteColumns().size(), "the hidden key travels too");
    }

    @Test
    void distinctOnKeysMissingFromOrderByFollowItAscending() {
        DistributedPlan p = plan("SELECT DISTINCT ON (device, location) device, location FROM conditions ORDER BY location DESC", true);
        assertTrue(p.remoteSql().matches("SELECT DISTINCT ON \\(\"(\\w+)\", \"(\\w+)\"\\) .* ORDER BY \"\\1\" DESC NULLS FIRST, \"\\2\" ASC NULLS LAST"),
                p.remoteSql());
    }

    @Test
    void distinctOnWithOneDataNodeInPlayIsFull() {
        DistributedPlan p = planner.planOrThrow("SELECT DISTINCT ON (location) location, time FROM conditions WHERE device = 3 ORDER BY location, time DESC",
                Conditions.hypertable(), new PlanContext(List.of("dn1"), true));
        assertEquals(PushDown.FULL, p.pushDown());
        assertTrue(p.remoteSql().startsWith("SELECT DISTINCT ON ("), p.remoteSql());
        assertTrue(p.remoteSql().contains("WHERE \"device\" = 3"), p.remoteSql());
    }

    @Test
    void everyNodeOfTheContextGetsTheRemoteQuery() {
        DistributedPlan p = planner.plan("SELECT count(*) FROM conditions", Conditions.hypertable(),
                new PlanContext(List.of("dn1", "dn2", "dn3"), true)).orElseThrow();
        assertEquals(List.of("dn1", "dn2", "dn3"), p.dataNodes());
        assertTrue(p.explain().startsWith("Push-down: PARTIAL"), p.explain());
    }
}
