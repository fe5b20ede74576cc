package io.timeshard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential harness itself, without servers: corpus parsing, the detection of a top-level ORDER
 * BY (which decides ordered versus multiset comparison) and the comparison of results — so that a
 * green differential run means the cluster agreed, not that the harness compared nothing.
 */
class DifferentialHarnessTest {
    @Test
    void orderByCountsOnlyOutsideParenthesesLiteralsAndComments() {
        assertTrue(DifferentialCorpus.hasTopLevelOrderBy("SELECT a FROM t ORDER BY a"));
        assertTrue(DifferentialCorpus.hasTopLevelOrderBy("SELECT a FROM t UNION SELECT b FROM u order\n by 1"));
        assertFalse(DifferentialCorpus.hasTopLevelOrderBy("SELECT row_number() OVER (ORDER BY a) FROM t"));
        assertFalse(DifferentialCorpus.hasTopLevelOrderBy("SELECT string_agg(a, ',' ORDER BY a) FROM t"));
        assertFalse(DifferentialCorpus.hasTopLevelOrderBy("WITH s AS (SELECT a FROM t ORDER BY a) SELECT * FROM s"));
        assertFalse(DifferentialCorpus.hasTopLevelOrderBy("SELECT 'order by' FROM t"));
        assertFalse(DifferentialCorpus.hasTopLevelOrderBy("SELECT a AS \"x order by\" FROM t -- order by a\n"));
        assertFalse(DifferentialCorpus.hasTopLevelOrderBy("SELECT reorder FROM t"));
    }

    @Test
    void corpusEntriesHaveLabelsLinesAndOrderingFlags(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.sql");
        Files.writeString(f, """
                -- a note
                -- still the note

                -- first
                SELECT 1
                ORDER BY 1;

                -- second
                -- @unordered
                SELECT a FROM t ORDER BY b;
                """);
        List<DifferentialCorpus.Entry> e = DifferentialCorpus.read(f);
        assertEquals(2, e.size());
        assertEquals("first", e.get(0).label());
        assertEquals(5, e.get(0).line());
        assertEquals("SELECT 1\nORDER BY 1", e.get(0).sql());
        assertTrue(e.get(0).ordered());
        assertFalse(e.get(1).ordered());
    }

    @Test
    void everyCorpusFileParsesAndHoldsQueries() {
        int n = 0;
        for (Path f : DifferentialCorpus.files()) n += DifferentialCorpus.read(f).size();
        assertTrue(n >= 60, n + " corpus queries");
    }

    @Test
    void resultsDifferInNamesTypesValuesOrderOrCount() {
        DifferentialResult r = result(List.of("a", "b"), List.of("int4", "text"), row("1", "x"), row("2", null));
        assertTrue(r.differenceFrom(result(List.of("a", "b"), List.of("int4", "text"), row("2", null), row("1", "x")), false).isEmpty());
        assertTrue(r.differenceFrom(result(List.of("a", "b"), List.of("int4", "text"), row("2", null), row("1", "x")), true)
                .orElseThrow().startsWith("same rows in a different order"));
        assertTrue(r.differenceFrom(result(List.of("a", "c"), List.of("int4", "text"), row("1", "x"), row("2", null)), false)
                .orElseThrow().startsWith("column names"));
        assertTrue(r.differenceFrom(result(List.of("a", "b"), List.of("int8", "text"), row("1", "x"), row("2", null)), false)
                .orElseThrow().startsWith("column types"));
        assertTrue(r.differenceFrom(result(List.of("a", "b"), List.of("int4", "text"), row("1", "x"), row("2", "")), false)
                .orElseThrow().contains("expected [2, null]"));
        assertTrue(r.differenceFrom(result(List.of("a", "b"), List.of("int4", "text"), row("1", "x")), true)
                .orElseThrow().startsWith("row count differs"));
    }

    private static List<String> row(String... values) {
        return Arrays.asList(values);
    }

    @SafeVarargs
    private static DifferentialResult result(List<String> names, List<String> types, List<String>... rows) {
        return new DifferentialResult(names, types, List.of(rows));
    }
}
