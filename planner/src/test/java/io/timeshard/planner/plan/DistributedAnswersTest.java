package io.timeshard.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The planner's answers are PostgreSQL's: every query of {@code differential-queries.sql} is planned,
 * run on two halves of the data set (remote SQL per half, union into {@code _ts_remote}, combine SQL)
 * and compared, as text — column names, column types, rows — with the same query on one table holding
 * every row. Each query runs against two splits: by device with {@code spaceValuesStayOnOneNode}
 * (FULL push-down where the GROUP BY has the device) and by hour without it (PARTIAL: every group
 * spans both nodes).
 */
class DistributedAnswersTest {
    private static TestServer server;
    private static final DistributedPlanner PLANNER = new DistributedPlanner();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    record CorpusQuery(String sql, boolean partialDeclines) {}

    static List<CorpusQuery> corpus() throws IOException {
        try (InputStream in = DistributedAnswersTest.class.getResourceAsStream("/planner/differential-queries.sql")) {
            List<CorpusQuery> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("--")) continue;
                boolean declines = l.startsWith("partial-declines:");
                out.add(new CorpusQuery(declines ? l.substring("partial-declines:".length()).strip() : l, declines));
            }
            return out;
        }
    }

    @TestFactory
    Stream<DynamicTest> splitByDeviceWithSpaceValuesOnOneNode() throws IOException {
        return corpus().stream().map(q -> DynamicTest.dynamicTest(q.sql(), () -> check(q, true, "bydevice1", "bydevice2")));
    }

    @TestFactory
    Stream<DynamicTest> splitByHourWithGroupsSpanningNodes() throws IOException {
        return corpus().stream().map(q -> DynamicTest.dynamicTest(q.sql(), () -> check(q, false, "byhour1", "byhour2")));
    }

    private static void check(CorpusQuery q, boolean spaceOnOneNode, String node1, String node2) throws Exception {
        Optional<DistributedPlan> plan = PLANNER.plan(q.sql(), Conditions.hypertable(), Conditions.context(spaceOnOneNode));
        if (q.partialDeclines() && !spaceOnOneNode) {
            assertTrue(plan.isEmpty(), () -> "expected the fast path to decline, got\n" + plan.get().explain());
            return;
        }
        assertTrue(plan.isPresent(), "the fast path declined: " + reason(q.sql(), spaceOnOneNode));
        TestServer.Answer expected = server.runWhole(q.sql());
        TestServer.Answer actual;
        try {
            actual = server.runDistributed(plan.get(), node1, node2);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e.getMessage() + "\n" + plan.get().explain(), e);
        }
        if (!q.sql().toLowerCase(Locale.ROOT).contains("order by")) {
            expected = expected.sorted();
            actual = actual.sorted();
        }
        assertEquals(expected, actual, plan.get().explain());
    }

    private static String reason(String sql, boolean spaceOnOneNode) {
        try {
            PLANNER.planOrThrow(sql, Conditions.hypertable(), Conditions.context(spaceOnOneNode));
            return "?";
        } catch (Declined d) {
            return d.getMessage();
        }
    }
}
