package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads of distributed hypertables return exactly what PostgreSQL returns for the same query on plain
 * tables holding the same rows. Every SELECT of the corpus ({@code src/test/resources/differential/*.sql},
 * format in {@link DifferentialCorpus}) runs through the access node (pgjdbc, default settings) and on
 * the oracle (one plain PostgreSQL 15), both loaded by {@link DifferentialData}; the column labels, the
 * column type names and every value's text must be equal — as ordered lists when the query has a
 * top-level ORDER BY (which the corpus keeps total), as multisets otherwise.
 *
 * <p>The corpus runs once per {@link DifferentialSession} (text results in UTC; binary results in a
 * time zone with a DST change inside the data), each session with its own pair of connections.
 *
 * <p>{@code known-failures.sql} holds queries that show a product bug: they run too and must still fail
 * (an error on the cluster or a difference), so that the suite stays green while the bug is recorded and
 * a fix is noticed (the test then asks for the query to move to the corpus proper).
 */
class DifferentialQueryTest {
    private static TestCluster cluster;
    private static String db;
    private static final Map<DifferentialSession, Connection> DISTRIBUTED = new EnumMap<>(DifferentialSession.class);
    private static final Map<DifferentialSession, Connection> ORACLE = new EnumMap<>(DifferentialSession.class);

    @BeforeAll
    static void load() throws Exception {
        cluster = TestCluster.get();
        db = cluster.newDatabase("differential");
        try (Connection oracle = cluster.oracle(db); Connection distributed = cluster.connect(db)) {
            CompletableFuture<Void> oracleLoad = CompletableFuture.runAsync(() -> loadUnchecked(oracle, false));
            DifferentialData.load(distributed, true);
            oracleLoad.join();
        }
        for (DifferentialSession s : DifferentialSession.values()) {
            DISTRIBUTED.put(s, s.openCluster(cluster, db));
            ORACLE.put(s, s.openOracle(cluster, db));
        }
    }

    @AfterAll
    static void close() throws SQLException {
        for (Connection c : DISTRIBUTED.values()) c.close();
        for (Connection c : ORACLE.values()) c.close();
    }

    /**
     * Guards against vacuous agreement: both sides hold the whole data set, and on the cluster its rows
     * are on the data nodes (each node some, none twice), not in the access node database.
     */
    @Test
    void bothSidesHoldTheWholeDataSetAndTheClusterSpreadsItOverTheDataNodes() throws SQLException {
        String counts = "SELECT (SELECT count(*) FROM conditions), (SELECT count(*) FROM cpu)";
        List<String> whole = List.of(Long.toString(DifferentialData.conditions().lines().count()),
                Long.toString(DifferentialData.cpu().lines().count()));
        assertEquals(List.of(whole), DifferentialResult.run(ORACLE.get(DifferentialSession.TEXT_UTC), counts).rows(), "oracle");
        assertEquals(List.of(whole), DifferentialResult.run(DISTRIBUTED.get(DifferentialSession.TEXT_UTC), counts).rows(), "cluster");
        long conditions = 0;
        long cpu = 0;
        for (int i = 1; i <= 2; i++) {
            try (Connection c = cluster.dataNode(i, db)) {
                List<String> onNode = DifferentialResult.run(c, counts).rows().getFirst();
                assertTrue(Long.parseLong(onNode.get(0)) > 0 && Long.parseLong(onNode.get(1)) > 0, "data node " + i + " holds rows of both");
                conditions += Long.parseLong(onNode.get(0));
                cpu += Long.parseLong(onNode.get(1));
            }
        }
        assertEquals(whole, List.of(Long.toString(conditions), Long.toString(cpu)), "rows on the data nodes");
    }

    /**
     * The corpus exercises the fast path's push-down kinds, not only the safety net: EXPLAIN VERBOSE through
     * the access node names the kind and the number of data nodes in play. Aggregates grouped by a column
     * other than the space column stay PARTIAL over two nodes, grouped by the space column FULL; with one
     * data node in play (one host, one device) the whole statement is FULL; DISTINCT ON is PARTIAL over two
     * nodes; no chunk in play leaves a global aggregate to the access node.
     */
    @TestFactory
    Stream<DynamicTest> explainShowsThePushDownOfEachShape() {
        String[][] cases = {
                {"SELECT location, max(temperature) FROM conditions GROUP BY location", "PARTIAL", "2 data nodes"},
                {"SELECT device, max(temperature) FROM conditions GROUP BY device", "FULL", "2 data nodes"},
                {"SELECT DISTINCT location FROM conditions", "PARTIAL", "2 data nodes"},
                {"SELECT location, first(temperature, time), last(humidity, time) FROM conditions GROUP BY location", "PARTIAL", "2 data nodes"},
                {"SELECT device, last(temperature, time) FROM conditions GROUP BY device", "FULL", "2 data nodes"},
                {"SELECT location, count(DISTINCT device), count(*) FROM conditions GROUP BY location", "PARTIAL", "2 data nodes"},
                {"SELECT date_trunc('minute', time) AS minute, max(usage_user) FROM cpu WHERE hostname IN ('host_7') "
                        + "AND time >= '2016-01-01 01:13:00 +0000' AND time < '2016-01-01 02:13:00 +0000' GROUP BY minute ORDER BY minute",
                        "FULL", "1 data node"},
                {"SELECT count(DISTINCT location) FROM conditions WHERE device = 7", "FULL", "1 data node"},
                {"SELECT DISTINCT location FROM conditions WHERE device = 7 ORDER BY location", "FULL", "1 data node"},
                {"SELECT DISTINCT ON (hostname) * FROM cpu ORDER BY hostname, time DESC", "PARTIAL", "2 data nodes"},
                {"SELECT DISTINCT ON (hostname) * FROM cpu WHERE hostname = 'host_7' ORDER BY hostname, time DESC", "FULL", "1 data node"},
                {"SELECT count(*) FROM cpu WHERE time < '2015-01-01 00:00:00 +0000'", "PARTIAL", "0 data nodes"},
                {"SELECT time, usage_user FROM cpu WHERE hostname = 'host_7' ORDER BY time DESC LIMIT 3", "NONE", "1 data node"},
                {"SELECT d.device, x.time FROM devices d CROSS JOIN LATERAL (SELECT * FROM conditions c WHERE c.device = d.device "
                        + "ORDER BY time DESC LIMIT 1) x", "NONE", "2 data nodes"},
                {"SELECT d.device, x.time FROM devices d CROSS JOIN LATERAL (SELECT * FROM conditions c WHERE c.temperature = d.device "
                        + "ORDER BY time DESC LIMIT 1) x", "NONE", "2 data nodes"}};
        return Arrays.stream(cases).map(c -> DynamicTest.dynamicTest(c[0], () -> {
            List<String> plan = DifferentialResult.run(DISTRIBUTED.get(DifferentialSession.TEXT_UTC), "EXPLAIN VERBOSE " + c[0])
                    .rows().stream().map(List::getFirst).toList();
            String text = String.join("\n", plan) + "\n";
            assertEquals("Timeshard Combine (push-down: " + c[1] + ")", plan.getFirst(), text);
            assertTrue(text.contains("Parallel Append on " + c[2] + "\n"), text);
        }));
    }

    @TestFactory
    Stream<DynamicNode> clusterReturnsWhatPlainPostgresReturns() {
        return Arrays.stream(DifferentialSession.values()).map(session -> DynamicContainer.dynamicContainer(session.name(),
                DifferentialCorpus.files().stream().map(file -> DynamicContainer.dynamicContainer(file.getFileName().toString(),
                        DifferentialCorpus.read(file).stream().map(e -> DynamicTest.dynamicTest(e.displayName(),
                                () -> failure(session, e).ifPresent(f -> fail(f + "\n" + query(session, e)))))))));
    }

    /** Prepared statements with parameters ({@code ?}, bound by pgjdbc as text or binary), each with its values. */
    private static final List<Map.Entry<String, Object[]>> PARAMETERIZED = List.of(
            Map.entry("SELECT date_trunc('minute', time) AS minute, max(usage_user), count(*) FROM cpu "
                            + "WHERE hostname = ? AND time >= ? AND time < ? GROUP BY minute ORDER BY minute",
                    new Object[] {"host_3", java.time.OffsetDateTime.parse("2016-01-01T01:00:00Z"),
                            java.time.OffsetDateTime.parse("2016-01-01T02:30:00Z")}),
            Map.entry("SELECT device, count(*), sum(temperature) FROM conditions WHERE device IN (?, ?, ?) AND time >= ? "
                    + "GROUP BY device ORDER BY device", new Object[] {3, 17, 91, java.time.OffsetDateTime.parse("2024-03-04T12:00:00Z")}),
            Map.entry("SELECT location, count(*) FROM conditions WHERE location = ? OR location = ? OR location = ? "
                    + "GROUP BY location ORDER BY location", new Object[] {"a'quote", "São Paulo", "back\\slash"}),
            Map.entry("SELECT time, hostname, usage_user FROM cpu WHERE hostname = ? ORDER BY time DESC, usage_user LIMIT ?",
                    new Object[] {"host_1", 5}),
            Map.entry("SELECT count(*), min(time) FROM conditions WHERE temperature > ? AND time < ?::timestamptz",
                    new Object[] {20.5, "2024-03-05 00:00:00+00"}),
            Map.entry("SELECT count(*) FROM conditions WHERE location IS NOT DISTINCT FROM ?", new Object[] {null}),
            Map.entry("SELECT hostname, count(*) FROM cpu WHERE hostname = ? GROUP BY hostname", new Object[] {"tab\there"}));

    @TestFactory
    Stream<DynamicNode> preparedStatementsWithParametersReturnWhatPlainPostgresReturns() {
        return Arrays.stream(DifferentialSession.values()).map(session -> DynamicContainer.dynamicContainer(session.name(),
                PARAMETERIZED.stream().map(q -> DynamicTest.dynamicTest(q.getKey(), () -> {
                    DifferentialResult expected = DifferentialResult.run(ORACLE.get(session), q.getKey(), q.getValue());
                    DifferentialResult actual = DifferentialResult.run(DISTRIBUTED.get(session), q.getKey(), q.getValue());
                    assertTrue(!expected.rows().isEmpty(), "the oracle returns rows");
                    expected.differenceFrom(actual, true).ifPresent(f -> fail(f + "\n" + q.getKey()));
                }))));
    }

    @TestFactory
    Stream<DynamicNode> knownFailuresStillFail() {
        var file = DifferentialCorpus.directory().resolve(DifferentialCorpus.KNOWN_FAILURES);
        return Arrays.stream(DifferentialSession.values()).map(session -> DynamicContainer.dynamicContainer(session.name(),
                DifferentialCorpus.read(file).stream().map(e -> DynamicTest.dynamicTest(e.displayName(), () -> {
                    Optional<String> failure = failure(session, e);
                    assertTrue(failure.isPresent(), "known failure now passes: move it from " + DifferentialCorpus.KNOWN_FAILURES
                            + " to a corpus file\n" + query(session, e));
                    System.out.println("[known failure] " + session + " " + e.displayName() + ": " + failure.get().replace("\n", " | "));
                }))));
    }

    /** @return why the cluster's answer to {@code e} is not the oracle's, or empty when they agree */
    private static Optional<String> failure(DifferentialSession session, DifferentialCorpus.Entry e) {
        // The oracle answers while the cluster works: the two are independent servers.
        CompletableFuture<DifferentialResult> expected = CompletableFuture.supplyAsync(() -> {
            try {
                return DifferentialResult.run(ORACLE.get(session), e.sql());
            } catch (SQLException ex) {
                throw new AssertionError("the oracle (plain PostgreSQL) rejects the query, fix the corpus: " + describe(ex)
                        + "\n" + query(session, e), ex);
            }
        });
        DifferentialResult actual;
        String clusterError = null;
        try {
            actual = DifferentialResult.run(DISTRIBUTED.get(session), e.sql());
        } catch (SQLException ex) {
            actual = null;
            clusterError = "the cluster failed: " + describe(ex);
        }
        DifferentialResult oracle;
        try {
            oracle = expected.join();
        } catch (CompletionException ex) {
            if (ex.getCause() instanceof AssertionError a) throw a;
            throw ex;
        }
        return actual == null ? Optional.of(clusterError) : oracle.differenceFrom(actual, e.ordered());
    }

    private static String query(DifferentialSession session, DifferentialCorpus.Entry e) {
        return "query (" + e.file() + ":" + e.line() + ", session " + session + (e.ordered() ? ", ordered" : ", as a multiset")
                + "):\n" + e.sql();
    }

    private static String describe(SQLException ex) {
        return "[" + ex.getSQLState() + "] " + ex.getMessage();
    }

    private static void loadUnchecked(Connection c, boolean onCluster) {
        try {
            DifferentialData.load(c, onCluster);
        } catch (SQLException | IOException ex) {
            throw new IllegalStateException("loading the " + (onCluster ? "cluster" : "oracle") + " failed", ex);
        }
    }
}
