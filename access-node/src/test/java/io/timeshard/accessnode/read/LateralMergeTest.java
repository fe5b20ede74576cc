package io.timeshard.accessnode.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.model.Hypertable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LateralMergeTest {
    private static final Hypertable CPU = LateralJoinsTest.CPU;
    private static final String TAGS_FORM = LateralJoinsTest.TAGS_FORM;

    private static LateralJoins.Shape shape(String sql) {
        return LateralJoinsTest.shape(sql);
    }

    private static String lateral(int limit) {
        return "SELECT t.hostname, b.time, b.usage_user FROM tags t JOIN LATERAL (SELECT * FROM cpu c WHERE c.tags_id = t.id "
                + "ORDER BY time DESC, usage_user LIMIT " + limit + ") b ON true ";
    }

    @Test
    void tsbsLastpointInTheTagsFormIsMergedOnTheOuterOrderKeys() {
        LateralMerge.Shape m = shape(TAGS_FORM).merging();
        assertNotNull(m);
        assertEquals(List.of("t.hostname"), m.orderKeys());
        assertEquals(List.of("\"t\".*"), m.probeItems());
        assertEquals(List.of(LateralMerge.Kind.ALL), m.items().stream().map(LateralMerge.Item::kind).toList());
        assertTrue(m.firstOnly());
        assertEquals(CPU.columns().size(), m.lateralOutputs().size());
    }

    @Test
    void laterOrderKeysMustFollowTheSubqueryUnlessItGivesOneRowPerOuterRow() {
        assertNotNull(shape(lateral(2) + "ORDER BY t.hostname, b.time DESC, b.usage_user").merging());
        assertNotNull(shape(lateral(2) + "ORDER BY t.hostname, b.time DESC").merging(), "a prefix of the subquery's order");
        assertNull(shape(lateral(2) + "ORDER BY t.hostname, b.usage_user").merging(), "another order within an outer row");
        assertNull(shape(lateral(2) + "ORDER BY t.hostname, b.time").merging(), "the other direction");
        assertNull(shape(lateral(2) + "ORDER BY t.hostname, b.time DESC NULLS LAST").merging(), "the other NULL order");
        assertNotNull(shape(lateral(1) + "ORDER BY t.hostname, b.usage_user").merging(), "LIMIT 1: one row per outer row");
        assertNotNull(shape(lateral(2)).merging(), "no ORDER BY: any order");
    }

    @Test
    void otherStatementShapesAreLeftToTheCombineStep() {
        assertNull(shape(lateral(1) + "ORDER BY b.time DESC, t.hostname").merging(), "an ORDER BY led by the subquery's column");
        assertNull(shape(lateral(1) + "WHERE b.usage_user > 5 ORDER BY t.hostname").merging(), "a WHERE");
        assertNull(shape(lateral(1) + "ORDER BY t.hostname LIMIT 3").merging(), "a LIMIT");
        assertNull(shape(lateral(1) + "ORDER BY lower(t.hostname)").merging(), "an expression");
        assertNull(shape(lateral(1).replace("SELECT t.hostname,", "SELECT DISTINCT t.hostname,") + "ORDER BY t.hostname").merging(),
                "DISTINCT");
        assertNull(shape(lateral(1).replace("SELECT t.hostname,", "SELECT DISTINCT ON (t.id) t.hostname,") + "ORDER BY t.id, t.hostname")
                .merging(), "DISTINCT ON other than the outer keys");
        assertNull(shape(lateral(1).replace("SELECT t.hostname,", "SELECT hostname,") + "ORDER BY t.hostname").merging(),
                "an unqualified column");
        assertNull(shape(lateral(1).replace("b.usage_user", "b.usage_user + 1") + "ORDER BY t.hostname").merging(), "an expression");
        assertNull(shape(lateral(1).replace("c.tags_id = t.id", "c.hostname = t.hostname").replace("LIMIT 1", "") + "ORDER BY t.hostname")
                .merging(), "no LIMIT (no first-slice read)");
    }

    @Test
    void theProbeRanksTheOuterRowsByTheOrderKeysAndReadsTheResultColumns() {
        LateralMerge.Shape m = shape("SELECT t.hostname AS h, b.*, t.* FROM tags t LEFT JOIN LATERAL (SELECT time, usage_user AS u FROM cpu c "
                + "WHERE c.tags_id = t.id ORDER BY time DESC LIMIT 1) b ON true ORDER BY t.hostname DESC NULLS LAST, t.id").merging();
        assertTrue(m.left());
        assertEquals("SELECT v, rank() OVER (ORDER BY t.hostname DESC NULLS LAST, t.id), \"t\".\"hostname\", \"t\".*, "
                + "encode(record_send(ROW(\"t\".\"hostname\", \"t\".*)), 'hex') FROM tags t LIMIT 11",
                LateralMerge.probeSql(m, "v", "tags t", 11, true));
        assertEquals("SELECT v, rank() OVER (ORDER BY t.hostname DESC NULLS LAST, t.id), \"t\".\"hostname\", \"t\".* FROM tags t LIMIT 11",
                LateralMerge.probeSql(m, "v", "tags t", 11, false), "no binary outer column wanted but those read from their text");
        assertEquals(List.of("time", "usage_user"), m.lateralOutputs());
    }

    /**
     * A probed row: the typed literal of its id, its rank, then its result columns, then their "binary" form
     * (a record_send value whose columns are the texts reversed, so that the tests tell the two apart).
     */
    private static List<String> probed(int id, int rank, String... columns) {
        List<String> row = new ArrayList<>(List.of("'" + id + "'::integer", String.valueOf(rank)));
        row.addAll(Arrays.asList(columns));
        StringBuilder hex = new StringBuilder(String.format("%08x", columns.length));
        for (String c : columns) {
            byte[] v = new StringBuilder(c).reverse().toString().getBytes(StandardCharsets.UTF_8);
            hex.append(String.format("%08x%08x", 25, v.length));
            for (byte b : v) hex.append(String.format("%02x", b));
        }
        row.add(hex.toString());
        return row;
    }

    /** @return a data node row's values, from COPY's text format */
    private static byte[][] row(String copyText) {
        return io.timeshard.accessnode.ingest.CopyFields.textRow(copyText.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> texts(List<byte[][]> rows) {
        return rows.stream().map(r -> String.join("|", Arrays.stream(r).map(v -> v == null ? "NULL" : new String(v, StandardCharsets.UTF_8))
                .toList())).toList();
    }

    @Test
    void theMergeWritesTheOuterRowsInRankOrderEachWithItsValuesRows() {
        LateralMerge.Shape m = shape("SELECT t.hostname, b.time, t.*, b.usage_user FROM tags t LEFT JOIN LATERAL (SELECT time, tags_id, hostname, "
                + "usage_user FROM cpu c WHERE c.tags_id = t.id ORDER BY time DESC LIMIT 2) b ON true ORDER BY t.hostname, b.time DESC").merging();
        // outer rows (hostname, then t.*: id, hostname) out of order; ids 7 and 9 are one value each, host_c shares 7
        List<List<String>> rows = List.of(probed(9, 2, "host_b", "9", "host_b"), probed(7, 1, "host_a", "7", "host_a"),
                probed(7, 3, "host_c", "7", "host_c"), probed(5, 4, "host_d", "5", "host_d"));
        var needed = CPU.columns().subList(0, 4); // time, tags_id, hostname, usage_user
        LateralMerge.Merge merge = LateralMerge.merge(m, rows, 1, new int[] {0, 1, 1, 2}, needed, true, null);
        assertNotNull(merge);
        assertEquals(List.of(1, 0, 1, 2), merge.ordinals());
        assertArrayEquals(new int[] {0, -1, 1, 2, -4}, merge.columns());
        List<List<byte[][]>> byOrdinal = List.of(List.<byte[][]>of(row("t9\t9\th\t0.5\n")), List.of(row("t7a\t7\th\t1\n"), row("t7b\t7\th\t\\N\n")),
                List.of());
        List<byte[][]> out = new ArrayList<>();
        assertEquals(6, merge.write(byOrdinal, out::add, null));
        assertEquals(List.of("host_a|t7a|7|host_a|1", "host_a|t7b|7|host_a|NULL", "host_b|t9|9|host_b|0.5", "host_c|t7a|7|host_c|1",
                "host_c|t7b|7|host_c|NULL", "host_d|NULL|5|host_d|NULL"), texts(out));
    }

    @Test
    void columnsWantedInBinaryComeFromTheProbesRecordAndTheDataNodesRecord() {
        LateralMerge.Shape m = shape("SELECT t.hostname, b.time, t.*, b.usage_user FROM tags t LEFT JOIN LATERAL (SELECT time, tags_id, hostname, "
                + "usage_user FROM cpu c WHERE c.tags_id = t.id ORDER BY time DESC LIMIT 2) b ON true ORDER BY t.hostname, b.time DESC").merging();
        List<List<String>> rows = List.of(probed(9, 2, "host_b", "9", "host_b"), probed(7, 1, "host_a", "7", "host_a"));
        LateralMerge.Merge merge = LateralMerge.merge(m, rows, 1, new int[] {1, 0}, CPU.columns().subList(0, 4), true, null);
        // result columns hostname, time, id, hostname, usage_user: the first and the last two in binary; the data
        // nodes' usage_user comes in binary already (BinaryResults), the outer columns from the probe's record
        boolean[] binary = {true, false, false, true, true};
        byte[][] t7 = row("t7\t7\th\t\\N\n");
        t7[3] = new byte[] {0, 0, 0, (byte) 0xff};
        List<List<byte[][]>> byOrdinal = List.of(List.<byte[][]>of(t7), List.<byte[][]>of(row("t9\t9\th\t\\N\n")));
        List<byte[][]> out = new ArrayList<>();
        assertEquals(2, merge.write(byOrdinal, out::add, binary));
        assertEquals("a_tsoh|t7|7|a_tsoh", texts(out).getFirst().substring(0, 18));
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 0xff}, out.getFirst()[4]);
        assertEquals("b_tsoh|t9|9|b_tsoh", texts(out).get(1).substring(0, 18));
    }

    private static io.timeshard.accessnode.wire.ColumnDescription described(String name, int typeOid) {
        return io.timeshard.accessnode.wire.ColumnDescription.of(name, typeOid, (short) -1);
    }

    /** TSBS lastpoint's result columns: the tags row (an integer id, nine text columns… here two), then cpu's. */
    private static List<io.timeshard.accessnode.wire.ColumnDescription> lastpointColumns(int idType) {
        List<io.timeshard.accessnode.wire.ColumnDescription> columns = new ArrayList<>(List.of(described("id", idType), described("hostname", 25)));
        for (var c : CPU.columns()) columns.add(described(c.name(), c.typeName().equals("text") ? 25 : 701));
        return columns;
    }

    @Test
    void withoutTheRecordIntegerAndTextOuterColumnsAreReadInBinaryFromTheirText() {
        LateralMerge.Shape m = shape(TAGS_FORM).merging();
        var described = lastpointColumns(23);
        short[] pgjdbc = new short[described.size()]; // pgjdbc: integers and floats in binary, text in text
        for (int i = 0; i < pgjdbc.length; i++) pgjdbc[i] = (short) (described.get(i).typeOid() == 25 ? 0 : 1);
        assertEquals(false, LateralMerge.needsRecord(m, described, pgjdbc), "the outer id is an integer");
        assertEquals(false, LateralMerge.needsRecord(m, described, new short[] {1}), "text columns too");
        assertEquals(false, LateralMerge.needsRecord(m, null, null), "result columns not known: text only");
        assertTrue(LateralMerge.needsRecord(m, lastpointColumns(700), pgjdbc), "a real outer column: only PostgreSQL makes its binary");
        List<List<String>> rows = List.of(List.of("'1'::integer", "1", "1", "host_a"), List.of("'2'::integer", "2", "-2", "host_b"));
        LateralMerge.Merge merge = LateralMerge.merge(m, rows, 1, new int[] {0, 1}, CPU.columns(), false, described);
        assertNotNull(merge);
        assertTrue(merge.answers(new boolean[described.size()]));
        boolean[] binary = new boolean[described.size()];
        binary[0] = binary[1] = true;
        assertTrue(merge.answers(binary));
        List<byte[][]> out = new ArrayList<>();
        String row = "a\t1" + "\t\\N".repeat(CPU.columns().size() - 2) + "\n";
        merge.write(List.of(List.<byte[][]>of(row(row)), List.<byte[][]>of(row(row))), out::add, binary);
        assertArrayEquals(new byte[] {0, 0, 0, 1}, out.getFirst()[0]);
        assertArrayEquals(new byte[] {-1, -1, -1, -2}, out.get(1)[0]);
        assertEquals("host_b", new String(out.get(1)[1], StandardCharsets.UTF_8));
        LateralMerge.Merge real = LateralMerge.merge(m, rows, 1, new int[] {0, 1}, CPU.columns(), false, lastpointColumns(700));
        assertEquals(false, real.answers(binary), "a real outer column wanted in binary: the combine step answers");
        assertTrue(real.answers(null));
    }

    @Test
    void anInnerJoinDropsOuterRowsWithoutRowsAndDistinctOnKeepsTheFirst() {
        LateralMerge.Shape m = shape(TAGS_FORM.replace("LIMIT 1", "LIMIT 2").replace("b.time DESC", "b.time DESC, b.tags_id")).merging();
        assertNull(m, "b.tags_id does not follow the subquery's order");
        m = shape(TAGS_FORM.replace("LIMIT 1", "LIMIT 2")).merging();
        List<List<String>> rows = List.of(probed(1, 1, "1", "host_a"), probed(2, 2, "2", "host_b"));
        LateralMerge.Merge merge = LateralMerge.merge(m, rows, 1, new int[] {0, 1}, CPU.columns().subList(0, 2), true, null);
        assertNull(merge, "SELECT * needs every column of the subquery's");
        merge = LateralMerge.merge(m, rows, 1, new int[] {0, 1}, CPU.columns(), true, null);
        String row = "a\t1" + "\t\\N".repeat(CPU.columns().size() - 2) + "\n";
        List<byte[][]> out = new ArrayList<>();
        assertEquals(1, merge.write(List.of(List.of(row(row), row(row.replace("a\t", "b\t"))), List.of()), out::add, null));
        assertEquals("1|host_a|a|1", texts(out).getFirst().substring(0, 12));
    }

    @Test
    void outerRowsTiedOnTheOrderKeysAreLeftToTheCombineStep() {
        LateralMerge.Shape m = shape(TAGS_FORM).merging();
        List<List<String>> rows = List.of(probed(1, 1, "1", "host_a"), probed(2, 1, "2", "host_a"));
        assertNull(LateralMerge.merge(m, rows, 1, new int[] {0, 1}, CPU.columns(), true, null));
    }

    @Test
    void valuesOfTypesWithOneTextPerValueAreGroupedByTheirTextAndOthersByTheDatabase() {
        assertTrue(LateralMerge.canonical(List.of("'1'::integer", "'2016-01-01 00:00:00+00'::timestamp with time zone", "NULL::bigint")));
        assertEquals(false, LateralMerge.canonical(List.of("'1.0'::numeric")));
        assertEquals(false, LateralMerge.canonical(List.of("'a'::text")), "a nondeterministic collation's = is not the text's");
        // two outer rows with one value: one ordinal, asked once
        List<String> probes = new ArrayList<>();
        LateralJoins.Routed r = LateralJoins.plan(shape(TAGS_FORM), TAGS_FORM, probe -> {
            probes.add(probe);
            return List.of(probed(3, 1, "3", "host_a"), probed(3, 2, "3", "host_b"));
        }, value -> List.of(), List.of("dn1"), descending -> Map.of("dn1", List.of("\"_timescaledb_internal\".\"a\""))).orElseThrow();
        assertEquals(1, r.firstSlice().tuples().size());
        assertEquals(List.of(0, 0), r.firstSlice().merge().ordinals());
        // numeric values: the DISTINCT ON probe tells them apart, and the statement is combined
        probes.clear();
        r = LateralJoins.plan(shape(TAGS_FORM), TAGS_FORM, probe -> {
            probes.add(probe);
            return probe.startsWith("SELECT DISTINCT ON") ? List.of(List.of("'1.0'::numeric"))
                    : List.of(List.of("'1.0'::numeric", "1", "1", "host_a"), List.of("'1.00'::numeric", "2", "1", "host_b"));
        }, value -> List.of(), List.of("dn1"), descending -> Map.of("dn1", List.of("\"_timescaledb_internal\".\"a\""))).orElseThrow();
        assertEquals(2, probes.size());
        assertEquals(List.of("('1.0'::numeric)"), r.firstSlice().tuples());
        assertNull(r.firstSlice().merge());
    }
}
