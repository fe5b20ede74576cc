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
 * run on the "data nodes" of a split of the data set (remote SQL per node, union into {@code
 * _ts_remote}, combine SQL) and compared, as text — column names, column types, rows — with the same
 * query on one table holding the same rows. Each query runs against five splits: by device on two
 * nodes with {@code spaceValuesStayOnOneNode} (FULL push-down where the GROUP BY has the device); by
 * hour on two nodes without it (PARTIAL: every group spans both nodes); every row on one node (FULL
 * whatever the query); every row on one of two nodes without {@code spaceValuesStayOnOneNode}
 * (PARTIAL, and the one node's rows pass through where the plan allows); and no node at all (chunk
 * exclusion left nothing: compared with an empty table). Pass-through plans are checked both ways.
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

    /**
     * A split of the rows over "data nodes" (schemas of the test server).
     *
     * @param nodes          the schemas holding the split's rows, one per node
     * @param spaceOnOneNode the context's {@code spaceValuesStayOnOneNode}
     * @param whole          the schema holding every row of the split in one table
     */
    record Split(List<String> nodes, boolean spaceOnOneNode, String whole) {
        PlanContext context() {
            return new PlanContext(nodes.stream().map(n -> "dn_" + n).toList(), spaceOnOneNode);
        }

        /** @return whether a query the planner declines when groups may span nodes must be declined here */
        boolean declinesUnsplittable() {
            return nodes.size() > 1 && !spaceOnOneNode || nodes.isEmpty();
        }
    }

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

    private static Stream<DynamicTest> run(Split split) throws IOException {
        return corpus().stream().map(q -> DynamicTest.dynamicTest(q.sql(), () -> check(q, split)));
    }

    @TestFactory
    Stream<DynamicTest> splitByDeviceWithSpaceValuesOnOneNode() throws IOException {
        return run(new Split(List.of("bydevice1", "bydevice2"), true, "whole"));
    }

    @TestFactory
    Stream<DynamicTest> splitByHourWithGroupsSpanningNodes() throws IOException {
        return run(new Split(List.of("byhour1", "byhour2"), false, "whole"));
    }

    @TestFactory
    Stream<DynamicTest> everyRowOnOneDataNode() throws IOException {
        return run(new Split(List.of("whole"), false, "whole"));
    }

    @TestFactory
    Stream<DynamicTest> everyRowOnOneOfTwoDataNodes() throws IOException {
        return run(new Split(List.of("whole", "empty"), false, "whole"));
    }

    @TestFactory
    Stream<DynamicTest> noDataNodeInPlay() throws IOException {
        return run(new Split(List.of(), false, "empty"));
    }

    private static void check(CorpusQuery q, Split split) throws Exception {
        Optional<DistributedPlan> plan = PLANNER.plan(q.sql(), Conditions.hypertable(), split.context());
        if (q.partialDeclines() && split.declinesUnsplittable()) {
            assertTrue(plan.isEmpty(), () -> "expected the fast path to decline, got\n" + plan.get().explain());
            return;
        }
        assertTrue(plan.isPresent(), "the fast path declined: " + reason(q.sql(), split));
        TestServer.Answer expected = server.runOn(split.whole(), q.sql());
        TestServer.Answer actual;
        try {
            actual = server.runDistributed(plan.get(), split.nodes());
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e.getMessage() + "\n" + plan.get().explain(), e);
        }
        List<List<String>> passedThrough = plan.get().passThrough().isEmpty() ? null
                : server.runPassThrough(plan.get(), split.nodes());
        List<List<String>> oneNode = plan.get().oneNodePassThrough().isEmpty() ? null
                : server.runOneNodePassThrough(plan.get(), split.nodes());
        if (!q.sql().toLowerCase(Locale.ROOT).contains("order by")) {
            expected = expected.sorted();
            actual = actual.sorted();
            if (passedThrough != null) passedThrough = new TestServer.Answer(List.of(), List.of(), passedThrough).sorted().rows();
            if (oneNode != null) oneNode = new TestServer.Answer(List.of(), List.of(), oneNode).sorted().rows();
        }
        assertEquals(expected, actual, plan.get().explain());
        if (passedThrough != null) assertEquals(expected.rows(), passedThrough, "passed through:\n" + plan.get().explain());
        if (oneNode != null) assertEquals(expected.rows(), oneNode, "one node's rows passed through:\n" + plan.get().explain());
    }

    private static String reason(String sql, Split split) {
        try {
            PLANNER.planOrThrow(sql, Conditions.hypertable(), split.context());
            return "?";
        } catch (Declined d) {
            return d.getMessage();
        }
    }
}
