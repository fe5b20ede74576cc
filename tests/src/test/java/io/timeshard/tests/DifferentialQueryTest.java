package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * <p>{@code known-failures.sql} holds queries that show a product bug: they run too and must still fail
 * (an error on the cluster or a difference), so that the suite stays green while the bug is recorded and
 * a fix is noticed (the test then asks for the query to move to the corpus proper).
 */
class DifferentialQueryTest {
    private static TestCluster cluster;
    private static String db;
    private static Connection distributed;
    private static Connection oracle;

    @BeforeAll
    static void load() throws Exception {
        cluster = TestCluster.get();
        db = cluster.newDatabase("differential");
        distributed = cluster.connect(db);
        oracle = cluster.oracle(db);
        CompletableFuture<Void> oracleLoad = CompletableFuture.runAsync(() -> loadUnchecked(oracle, false));
        DifferentialData.load(distributed, true);
        oracleLoad.join();
    }

    @AfterAll
    static void close() throws SQLException {
        if (distributed != null) distributed.close();
        if (oracle != null) oracle.close();
    }

    /**
     * Guards against vacuous agreement: both sides hold the whole data set, and on the cluster its rows
     * are on the data nodes (each node some, none twice), not in the access node database.
     */
    @Test
    void bothSidesHoldTheWholeDataSetAndTheClusterSpreadsItOverTheDataNodes() throws SQLException {
        String counts = "SELECT (SELECT count(*) FROM conditions), (SELECT count(*) FROM cpu)";
        List<String> whole = List.of(Integer.toString(DifferentialData.CONDITIONS_ROWS),
                Integer.toString(DifferentialData.CPU_HOSTS * DifferentialData.CPU_EPOCHS));
        assertEquals(List.of(whole), DifferentialResult.run(oracle, counts).rows(), "oracle");
        assertEquals(List.of(whole), DifferentialResult.run(distributed, counts).rows(), "cluster");
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

    @TestFactory
    Stream<DynamicNode> clusterReturnsWhatPlainPostgresReturns() {
        return DifferentialCorpus.files().stream().map(file -> DynamicContainer.dynamicContainer(file.getFileName().toString(),
                DifferentialCorpus.read(file).stream().map(e -> DynamicTest.dynamicTest(e.displayName(), () -> {
                    DifferentialResult expected = onOracle(e);
                    DifferentialResult actual;
                    try {
                        actual = DifferentialResult.run(distributed, e.sql());
                    } catch (SQLException ex) {
                        fail("the cluster failed: " + describe(ex) + "\n" + query(e), ex);
                        return;
                    }
                    expected.differenceFrom(actual, e.ordered()).ifPresent(d -> fail(d + "\n" + query(e)));
                }))));
    }

    @TestFactory
    Stream<DynamicTest> knownFailuresStillFail() {
        var file = DifferentialCorpus.directory().resolve(DifferentialCorpus.KNOWN_FAILURES);
        return DifferentialCorpus.read(file).stream().map(e -> DynamicTest.dynamicTest(e.displayName(), () -> {
            DifferentialResult expected = onOracle(e);
            Optional<String> failure;
            try {
                failure = expected.differenceFrom(DifferentialResult.run(distributed, e.sql()), e.ordered());
            } catch (SQLException ex) {
                failure = Optional.of("the cluster failed: " + describe(ex));
            }
            assertTrue(failure.isPresent(), "known failure now passes: move it from " + DifferentialCorpus.KNOWN_FAILURES
                    + " to a corpus file\n" + query(e));
            System.out.println("[known failure] " + e.displayName() + ": " + failure.get().replace("\n", " | "));
        }));
    }

    /** The oracle must answer every corpus query; if it does not, the corpus is wrong, not the product. */
    private static DifferentialResult onOracle(DifferentialCorpus.Entry e) {
        try {
            return DifferentialResult.run(oracle, e.sql());
        } catch (SQLException ex) {
            throw new AssertionError("the oracle (plain PostgreSQL) rejects the query, fix the corpus: " + describe(ex) + "\n" + query(e), ex);
        }
    }

    private static String query(DifferentialCorpus.Entry e) {
        return "query (" + e.file() + ":" + e.line() + (e.ordered() ? ", ordered" : ", as a multiset") + "):\n" + e.sql();
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
