package io.timeshard.planner.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.errors.PgException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What dispatch sees of each statement. */
class StatementClassifierTest {
    @Test
    void plainQueriesAreRelayed() {
        assertInstanceOf(Classified.Relay.class, StatementClassifier.classify("SELECT * FROM conditions WHERE device = 3"));
        assertInstanceOf(Classified.Relay.class, StatementClassifier.classify("SET TimeZone = 'UTC'"));
        assertInstanceOf(Classified.Relay.class, StatementClassifier.classify("COPY t TO STDOUT"));
    }

    @Test
    void apiCallWithPositionalAndNamedArguments() {
        var c = assertInstanceOf(Classified.ApiCall.class,
                StatementClassifier.classify("SELECT add_data_node('dn1', host=>'data1.example.com', port => 5433)"));
        assertEquals("add_data_node", c.function());
        assertEquals(3, c.arguments().size());
        assertNull(c.arguments().get(0).name());
        assertEquals("'dn1'", c.arguments().get(0).expression());
        assertEquals("host", c.arguments().get(1).name());
        assertEquals("5433", c.arguments().get(2).expression());
        assertEquals("add_data_node", c.alias());
        assertTrue(!c.selectStar());
    }

    @Test
    void apiCallFormsSelectStarProjectionAliasAndCall() {
        var star = assertInstanceOf(Classified.ApiCall.class,
                StatementClassifier.classify("SELECT * FROM public.hypertable_detailed_size('conditions')"));
        assertTrue(star.selectStar());
        assertNull(star.projection());
        var proj = assertInstanceOf(Classified.ApiCall.class,
                StatementClassifier.classify("SELECT node_name, total_bytes AS b FROM hypertable_detailed_size('c')"));
        assertEquals(List.of("node_name", "total_bytes"), proj.projection().stream().map(p -> p[0]).toList());
        assertEquals("b", proj.projection().get(1)[1]);
        var aliased = assertInstanceOf(Classified.ApiCall.class,
                StatementClassifier.classify("SELECT create_distributed_hypertable('c', 'time') AS r"));
        assertEquals("r", aliased.alias());
        var call = assertInstanceOf(Classified.ApiCall.class, StatementClassifier.classify("CALL distributed_exec('VACUUM')"));
        assertEquals("distributed_exec", call.function());
    }

    @Test
    void argumentNamesThatAreKeywordsElsewhereAndNestedExpressions() {
        var c = assertInstanceOf(Classified.ApiCall.class, StatementClassifier.classify(
                "SELECT timescaledb_experimental.block_new_chunks('dn3', 'm1', force => true)"));
        assertEquals("block_new_chunks", c.function());
        assertEquals("force", c.arguments().get(2).name());
        assertEquals("true", c.arguments().get(2).expression());
        var d = assertInstanceOf(Classified.ApiCall.class, StatementClassifier.classify(
                "select create_distributed_hypertable('c'::regclass, 'time', chunk_time_interval => interval '1 day' * 2, "
                        + "data_nodes => ARRAY['dn1', 'dn2']::name[], replication_factor => (1 + 1));"));
        assertEquals("interval '1 day' * 2", d.arguments().get(2).expression());
        assertEquals("ARRAY['dn1', 'dn2']::name[]", d.arguments().get(3).expression());
        assertEquals("(1 + 1)", d.arguments().get(4).expression());
        var call = assertInstanceOf(Classified.ApiCall.class, StatementClassifier.classify(
                "CALL distributed_exec($$CREATE TABLE x (a int, b text DEFAULT ',')$$, transactional => false)"));
        assertEquals(2, call.arguments().size());
        assertEquals("transactional", call.arguments().get(1).name());
    }

    @Test
    void apiFunctionInsideALargerQueryIsRefusedClearly() {
        PgException e = assertThrows(PgException.class,
                () -> StatementClassifier.classify("SELECT x FROM t WHERE x IN (SELECT hypertable_size('c'))"));
        assertEquals("0A000", e.sqlState());
    }

    @Test
    void writeTargets() {
        var ins = assertInstanceOf(Classified.Write.class, StatementClassifier.classify("INSERT INTO public.conditions VALUES (1)"));
        assertEquals(Classified.WriteKind.INSERT, ins.kind());
        assertEquals(new QualifiedName("public", "conditions"), ins.targets().getFirst());
        var trunc = assertInstanceOf(Classified.Write.class, StatementClassifier.classify("TRUNCATE TABLE ONLY a, \"B\" *"));
        assertEquals(List.of(new QualifiedName(null, "a"), new QualifiedName(null, "B")), trunc.targets());
        var drop = assertInstanceOf(Classified.Write.class, StatementClassifier.classify("DROP TABLE IF EXISTS x CASCADE"));
        assertEquals(List.of(new QualifiedName(null, "x")), drop.targets());
        var idx = assertInstanceOf(Classified.Write.class, StatementClassifier.classify("CREATE UNIQUE INDEX i ON ONLY s.t (a)"));
        assertEquals(new QualifiedName("s", "t"), idx.targets().getFirst());
    }

    @Test
    void transactionControlInAllItsSpellings() {
        for (String sql : List.of("BEGIN", "begin work", "START TRANSACTION ISOLATION LEVEL SERIALIZABLE")) {
            assertEquals(TransactionStatement.Kind.BEGIN, TransactionStatement.parse(sql).kind(), sql);
        }
        for (String sql : List.of("COMMIT", "END", "commit transaction")) {
            assertEquals(TransactionStatement.Kind.COMMIT, TransactionStatement.parse(sql).kind(), sql);
        }
        assertEquals(TransactionStatement.Kind.ROLLBACK, TransactionStatement.parse("ABORT").kind());
        assertEquals(TransactionStatement.Kind.ROLLBACK_TO, TransactionStatement.parse("ROLLBACK TO SAVEPOINT s1").kind());
        assertEquals("s1", TransactionStatement.parse("rollback work to s1").name());
        assertEquals(TransactionStatement.Kind.RELEASE, TransactionStatement.parse("RELEASE SAVEPOINT s1").kind());
        assertEquals("g1", TransactionStatement.parse("PREPARE TRANSACTION 'g1'").name());
        assertEquals(TransactionStatement.Kind.COMMIT_PREPARED, TransactionStatement.parse("COMMIT PREPARED 'g1'").kind());
        assertTrue(TransactionStatement.parse("COMMIT AND CHAIN").chain());
        assertNull(TransactionStatement.parse("SELECT 1"));
    }

    @Test
    void createExtensionTimescaledbIsOursOthersAreRelayed() {
        var ce = assertInstanceOf(Classified.CreateExtension.class, StatementClassifier.classify("CREATE EXTENSION IF NOT EXISTS timescaledb CASCADE"));
        assertTrue(ce.ifNotExists());
        assertInstanceOf(Classified.Relay.class, StatementClassifier.classify("CREATE EXTENSION postgres_fdw"));
    }

    @Test
    void alterExtensionTimescaledbUpdateIsOursOthersAreRelayed() {
        assertEquals("timescaledb", assertInstanceOf(Classified.UpdateExtension.class,
                StatementClassifier.classify("ALTER EXTENSION timescaledb UPDATE")).name());
        assertInstanceOf(Classified.UpdateExtension.class, StatementClassifier.classify("alter extension \"timescaledb\" update to '2.13.1'"));
        assertInstanceOf(Classified.Relay.class, StatementClassifier.classify("ALTER EXTENSION postgres_fdw UPDATE"));
        assertInstanceOf(Classified.Relay.class, StatementClassifier.classify("ALTER EXTENSION timescaledb SET SCHEMA s"));
    }
}
