package io.timeshard.accessnode.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.model.Hypertable;
import io.timeshard.planner.parse.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.sf.jsqlparser.statement.select.PlainSelect;
import org.junit.jupiter.api.Test;

class LateralJoinsTest {
    static final Hypertable CPU = DevopsCatalog.cpu(2);
    /** TSBS's lastpoint in the tags form. */
    static final String TAGS_FORM = "SELECT DISTINCT ON (t.hostname) * FROM tags t INNER JOIN LATERAL(SELECT * FROM cpu c "
            + "WHERE c.tags_id = t.id ORDER BY time DESC LIMIT 1) AS b ON true ORDER BY t.hostname, b.time DESC";

    /** @return the lateral join of {@code sql}, a statement over {@link #CPU} */
    static LateralJoins.Shape shape(String sql) {
        PlainSelect select = ParsedSelects.parseFully(sql);
        return LateralJoins.recognise(select, sql, name -> name.equals(new QualifiedName(null, "cpu")) ? Optional.of(CPU) : Optional.empty())
                .orElseThrow();
    }

    @Test
    void aCorrelationOffTheSpaceColumnSendsEveryValueToEveryNodeWithItsEqualityRepeatedAsARange() {
        LateralJoins.Shape s = shape(TAGS_FORM);
        assertNull(s.spaceColumn());
        List<String> probes = new ArrayList<>();
        LateralJoins.Routed r = LateralJoins.plan(s, TAGS_FORM, probe -> {
            probes.add(probe);
            return List.of(List.of("'1'::integer"), List.of("'2'::integer"));
        }, value -> { throw new AssertionError("not routed by value"); }, List.of("dn1", "dn2"), null).orElseThrow();
        assertEquals(List.of("SELECT quote_nullable(\"t\".\"id\") || '::' || pg_typeof(\"t\".\"id\")::text, rank() OVER (ORDER BY t.hostname), "
                + "\"t\".*, encode(record_send(ROW(\"t\".*)), 'hex') FROM tags t LIMIT 10001"), probes, "the access node may merge: the probe also ranks and reads the outer rows");
        assertEquals(List.of("dn1", "dn2"), List.copyOf(r.remoteSqlByNode().keySet()));
        for (String remote : r.remoteSqlByNode().values()) {
            assertEquals("SELECT \"_ts_lateral\".* FROM (VALUES ('1'::integer), ('2'::integer)) AS \"t\" (\"id\") CROSS JOIN LATERAL "
                    + "(SELECT * FROM (SELECT * FROM \"public\".\"cpu\") AS \"c\" WHERE (c.tags_id = t.id) AND \"c\".\"tags_id\" >= \"t\".\"id\" "
                    + "AND \"c\".\"tags_id\" <= \"t\".\"id\" ORDER BY time DESC LIMIT 1) AS \"_ts_lateral\"", remote);
        }
        assertTrue(r.plan().explain().contains("every outer value to every node"), r.plan().explain());
        assertFalse(r.plan().combineSql().contains(">="), "the combine step needs no hint: " + r.plan().combineSql());
    }

    @Test
    void aLookupOrderedByTimeWithALimitAsksTheFirstSliceFirstAndThenOnlyTheValuesItLeftOpen() {
        LateralJoins.Shape s = shape(TAGS_FORM);
        List<Boolean> asked = new ArrayList<>();
        LateralJoins.FirstSlice first = LateralJoins.plan(s, TAGS_FORM,
                probe -> List.of(List.of("'1'::integer"), List.of("'2'::integer"), List.of("'3'::integer")), value -> List.of(),
                List.of("dn1", "dn2"), descending -> {
                    asked.add(descending);
                    return Map.of("dn1", List.of("\"_timescaledb_internal\".\"a\""),
                            "dn2", List.of("\"_timescaledb_internal\".\"b\"", "\"_timescaledb_internal\".\"c\""));
                }).orElseThrow().firstSlice();
        assertEquals(List.of(true), asked, "ORDER BY time DESC: the newest slice");
        assertEquals(1, first.limit());
        assertEquals("SELECT \"t\".\"_ts_ordinal\", \"_ts_lateral\".* FROM (VALUES (0, '1'::integer), (1, '2'::integer), (2, '3'::integer)) "
                + "AS \"t\" (\"_ts_ordinal\", \"id\") CROSS JOIN LATERAL (SELECT * FROM (SELECT * FROM \"_timescaledb_internal\".\"a\") AS \"c\" "
                + "WHERE (c.tags_id = t.id) AND \"c\".\"tags_id\" >= \"t\".\"id\" AND \"c\".\"tags_id\" <= \"t\".\"id\" ORDER BY time DESC LIMIT 1) "
                + "AS \"_ts_lateral\"", first.remoteSqlByNode().get("dn1"));
        assertTrue(first.remoteSqlByNode().get("dn2").contains("FROM (SELECT * FROM (SELECT * FROM \"_timescaledb_internal\".\"b\" UNION ALL "
                + "SELECT * FROM \"_timescaledb_internal\".\"c\") AS \"_ts_slice\") AS \"c\""), first.remoteSqlByNode().get("dn2"));
        assertEquals(Map.of(), first.rest(new int[] {1, 2, 1}), "every value has its row");
        assertTrue(first.newest());
        assertEquals(List.of("\"_timescaledb_internal\".\"b\"", "\"_timescaledb_internal\".\"c\""), first.chunksByNode().get("dn2"));
        Map<String, String> rest = first.rest(new int[] {1, 0, 1});
        assertEquals(List.of("dn1", "dn2"), List.copyOf(rest.keySet()));
        assertTrue(rest.get("dn1").startsWith("SELECT \"t\".\"_ts_ordinal\", \"_ts_lateral\".* FROM (VALUES (1, '2'::integer)) AS \"t\" "
                + "(\"_ts_ordinal\", \"id\")") && rest.get("dn1").contains("FROM (SELECT * FROM \"public\".\"cpu\")"), rest.get("dn1"));
        assertTrue(rest.get("dn2").contains("(VALUES (4, '2'::integer))"), "labelled by node: " + rest.get("dn2"));
        assertEquals(1, first.ordinal(4));
        assertEquals(1, first.node(4));
    }

    @Test
    void explainShowsTheFirstStepOfEachNode() {
        LateralJoins.Routed r = LateralJoins.plan(shape(TAGS_FORM), TAGS_FORM, probe -> List.of(List.of("'1'::integer")), value -> List.of(),
                List.of("dn1"), descending -> Map.of("dn1", List.of("\"_timescaledb_internal\".\"a\""))).orElseThrow();
        var planned = new ReadPath.Planned(r.plan(), CPU, Map.of("dn1", List.of("a", "z")), false, r.remoteSqlByNode(), r.firstSlice(), r.rescanned());
        List<String> plan = ReadPath.explain(planned, true);
        assertTrue(plan.contains("              First step (the newest time slice): _timescaledb_internal.a"), String.join("\n", plan));
        assertTrue(plan.stream().anyMatch(l -> l.startsWith("              First step remote SQL: SELECT \"t\".\"_ts_ordinal\"")),
                String.join("\n", plan));
    }

    @Test
    void offTheSpaceColumnOnlyASubqueryWithALimitIsTaken() {
        String sql = TAGS_FORM.replace("ORDER BY time DESC LIMIT 1", "ORDER BY time DESC");
        assertTrue(LateralJoins.recognise(ParsedSelects.parseFully(sql), sql, name -> Optional.of(CPU)).isEmpty());
    }

    @Test
    void noFirstSliceWithoutALimitOrWhenTimeIsNotTheFirstKey() {
        String routed = TAGS_FORM.replace("c.tags_id = t.id", "c.hostname = t.hostname");
        for (String sql : List.of(routed.replace("ORDER BY time DESC LIMIT 1", "ORDER BY time DESC"),
                TAGS_FORM.replace("ORDER BY time DESC LIMIT 1", "ORDER BY usage_user DESC, time DESC LIMIT 1"))) {
            List<String> row = sql.contains("c.hostname = t.hostname") ? List.of("'host_1'::text", "host_1") : List.of("'1'::integer");
            assertNull(LateralJoins.plan(shape(sql), sql, probe -> List.of(row), value -> List.of("dn1"),
                    List.of("dn1"), descending -> Map.of("dn1", List.of("x"))).orElseThrow().firstSlice(), sql);
        }
    }

    @Test
    void theFirstTimeSliceIsTheNewestOrOldestAndNoneWhenSlicesOverlap() {
        java.util.function.BiFunction<long[], String, io.timeshard.catalog.model.Chunk> chunk = (range, node) ->
                new io.timeshard.catalog.model.Chunk((int) range[0], 1, "_timescaledb_internal", "c" + range[0] + node, 1,
                        new io.timeshard.catalog.partitioning.SliceRange(range[0], range[1]), 0, null, List.of(node));
        var chunks = List.of(chunk.apply(new long[] {0, 10}, "dn1"), chunk.apply(new long[] {10, 20}, "dn1"),
                chunk.apply(new long[] {10, 20}, "dn2"), chunk.apply(new long[] {0, 10}, "dn2"));
        assertEquals(Map.of("dn1", List.of("\"_timescaledb_internal\".\"c10dn1\""), "dn2", List.of("\"_timescaledb_internal\".\"c10dn2\"")),
                ReadPath.firstTimeSlice(chunks, true));
        assertEquals(Map.of("dn1", List.of("\"_timescaledb_internal\".\"c0dn1\""), "dn2", List.of("\"_timescaledb_internal\".\"c0dn2\"")),
                ReadPath.firstTimeSlice(chunks, false));
        var overlapping = List.of(chunk.apply(new long[] {0, 15}, "dn1"), chunk.apply(new long[] {10, 20}, "dn2"));
        assertNull(ReadPath.firstTimeSlice(overlapping, true));
        assertNull(ReadPath.firstTimeSlice(overlapping, false));
        assertNull(ReadPath.firstTimeSlice(List.of(), true));
    }

    @Test
    void aCorrelationOnTheSpaceColumnIsRoutedByItsHash() {
        String sql = "SELECT h.hostname, x.time FROM hosts h CROSS JOIN LATERAL (SELECT time FROM cpu c WHERE c.hostname = h.hostname "
                + "AND c.usage_user > 50 ORDER BY time DESC LIMIT 1) x";
        LateralJoins.Shape s = shape(sql);
        assertEquals("hostname", s.spaceColumn());
        LateralJoins.Routed r = LateralJoins.plan(s, sql, probe -> List.of(List.of("'host_1'::text", "host_1"), List.of("'host_2'::text", "host_2")),
                value -> List.of(value.equals("host_1") ? "dn1" : "dn2"), List.of("dn1", "dn2"), null).orElseThrow();
        assertTrue(r.remoteSqlByNode().get("dn1").contains("(VALUES ('host_1'::text)) AS \"h\" (\"hostname\")"), r.remoteSqlByNode().get("dn1"));
        assertTrue(r.remoteSqlByNode().get("dn2").contains("(VALUES ('host_2'::text)) AS \"h\" (\"hostname\")"), r.remoteSqlByNode().get("dn2"));
        assertTrue(r.remoteSqlByNode().get("dn1").startsWith("SELECT \"_ts_lateral\".\"time\", \"_ts_lateral\".\"hostname\", "
                + "\"_ts_lateral\".\"usage_user\" FROM (VALUES"), "only the columns the combine step reads: " + r.remoteSqlByNode().get("dn1"));
        assertEquals(List.of("time", "hostname", "usage_user"), r.plan().remoteColumns().stream().map(c -> c.name()).toList());
    }

    @Test
    void noRangeIsAddedAcrossTypeFamiliesOrForUnorderedTypes() {
        String sql = "SELECT d.k, x.time FROM docs d CROSS JOIN LATERAL (SELECT time FROM cpu c WHERE c.additional_tags = d.tags "
                + "ORDER BY time DESC LIMIT 1) x";
        LateralJoins.Routed r = LateralJoins.plan(shape(sql), sql, probe -> List.<List<String>>of(List.of("'{}'::jsonb")), value -> List.of(),
                List.of("dn1"), null).orElseThrow();
        assertFalse(r.remoteSqlByNode().get("dn1").contains(">="), r.remoteSqlByNode().get("dn1"));
    }

    @Test
    void orderedFamiliesGroupTheTypesWhoseOrderAgreesWithEquality() {
        assertEquals("number", LateralJoins.orderedFamily("integer"));
        assertEquals("number", LateralJoins.orderedFamily("numeric(10,2)"));
        assertEquals("number", LateralJoins.orderedFamily("double precision"));
        assertEquals("string", LateralJoins.orderedFamily("character varying(20)"));
        assertEquals("timestamp with time zone", LateralJoins.orderedFamily("timestamp(3) with time zone"));
        assertNull(LateralJoins.orderedFamily("jsonb"));
        assertNull(LateralJoins.orderedFamily("integer[]"));
        assertNull(LateralJoins.orderedFamily(null));
    }

    @Test
    void withALimitTheCombineStepRanksTheRowsPerOuterValueSoThatTheJoinIsPulledUp() {
        LateralJoins.Routed r = LateralJoins.plan(shape(TAGS_FORM), TAGS_FORM, probe -> List.of(List.of("'1'::integer")), value -> List.of(),
                List.of("dn1"), null).orElseThrow();
        assertEquals("SELECT DISTINCT ON (t.hostname) * FROM tags t INNER JOIN LATERAL(SELECT "
                + String.join(", ", CPU.columns().stream().map(c -> "\"c\".\"" + c.name() + "\"").toList())
                + " FROM (SELECT *, row_number() OVER (PARTITION BY \"c\".\"tags_id\" ORDER BY time DESC) AS \"_ts_rank\" "
                + "FROM (SELECT * FROM \"_ts_remote\") AS \"c\") AS \"c\" WHERE (c.tags_id = t.id) AND \"c\".\"_ts_rank\" <= 1) AS b ON true "
                + "ORDER BY t.hostname, b.time DESC", r.plan().combineSql());
        assertFalse(r.rescanned());
        String unlimited = "SELECT h.hostname, x.time FROM hosts h CROSS JOIN LATERAL (SELECT time FROM cpu c WHERE c.hostname = h.hostname "
                + "ORDER BY time DESC) x";
        LateralJoins.Routed ordered = LateralJoins.plan(shape(unlimited), unlimited, probe -> List.of(List.of("'host_1'::text", "host_1")),
                value -> List.of("dn1"), List.of("dn1"), null).orElseThrow();
        assertTrue(ordered.rescanned(), "ORDER BY without LIMIT: PostgreSQL keeps the subquery, read once per outer row");
        assertTrue(ordered.plan().combineSql().contains("ORDER BY time DESC) x"), ordered.plan().combineSql());
    }

    @Test
    void theFirstStepAlsoGoesAsOneStatementWithTheValuesAsArrays() {
        LateralJoins.FirstSlice first = LateralJoins.plan(shape(TAGS_FORM), TAGS_FORM,
                probe -> List.of(List.of("'1'::integer"), List.of("'2'::integer"), List.of("'3'::integer")), value -> List.of(),
                List.of("dn1"), descending -> Map.of("dn1", List.of("\"_timescaledb_internal\".\"a\""))).orElseThrow().firstSlice();
        var prepared = first.preparedByNode().get("dn1");
        assertEquals("SELECT \"t\".\"_ts_ordinal\", \"_ts_lateral\".* FROM unnest(?::integer[], ?::integer[]) AS \"t\" (\"_ts_ordinal\", \"id\") "
                + "CROSS JOIN LATERAL (SELECT * FROM (SELECT * FROM \"_timescaledb_internal\".\"a\") AS \"c\" WHERE (c.tags_id = t.id) "
                + "AND \"c\".\"tags_id\" >= \"t\".\"id\" AND \"c\".\"tags_id\" <= \"t\".\"id\" ORDER BY time DESC LIMIT 1) AS \"_ts_lateral\"",
                prepared.remoteSql());
        assertEquals(List.of("{\"0\",\"1\",\"2\"}", "{\"1\",\"2\",\"3\"}"), prepared.values());
        String arrays = TAGS_FORM.replace("c.tags_id = t.id", "c.tags_id = t.ids");
        LateralJoins.FirstSlice none = LateralJoins.plan(shape(arrays), arrays, probe -> List.of(List.of("'{1}'::integer[]")), value -> List.of(),
                List.of("dn1"), descending -> Map.of("dn1", List.of("x"))).orElseThrow().firstSlice();
        assertEquals(Map.of(), none.preparedByNode(), "an array-typed outer value does not fit an array parameter");
    }

    @Test
    void aProbedValueIsReadBackFromItsTypedLiteral() {
        assertEquals(List.of("it's", "text"), List.of(LateralJoins.typedLiteral("'it''s'::text")));
        assertEquals(List.of("a\\b'", "character varying"), List.of(LateralJoins.typedLiteral("E'a\\\\b'''::character varying")));
        assertEquals(java.util.Arrays.asList(null, "integer"), java.util.Arrays.asList(LateralJoins.typedLiteral("NULL::integer")));
        assertEquals(List.of("a::b", "text"), List.of(LateralJoins.typedLiteral("'a::b'::text")));
        assertNull(LateralJoins.typedLiteral("'unterminated::text"));
        assertNull(LateralJoins.typedLiteral("42"));
    }

    @Test
    void whenNoValueHasMoreRowsThanTheLimitTheCombineReadsThemAllWithoutRanking() {
        LateralJoins.Routed r = LateralJoins.plan(shape(TAGS_FORM), TAGS_FORM, probe -> List.of(List.of("'1'::integer"), List.of("'2'::integer")),
                value -> List.of(), List.of("dn1", "dn2"), descending -> Map.of("dn1", List.of("a"), "dn2", List.of("b"))).orElseThrow();
        LateralJoins.FirstSlice first = r.firstSlice();
        String exact = first.combineFor(r.plan(), new int[] {1, 0}).combineSql();
        assertFalse(exact.contains("_ts_rank"), exact);
        assertTrue(exact.contains("INNER JOIN LATERAL(SELECT * FROM (SELECT * FROM \"_ts_remote\") AS \"c\" WHERE (c.tags_id = t.id)) AS b ON true"),
                exact);
        assertEquals(r.plan().combineSql(), first.combineFor(r.plan(), new int[] {1, 2}).combineSql(),
                "a value with rows on two nodes is ranked");
    }
}
