package io.timeshard.accessnode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.accessnode.bench.QueryType.Form;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DevopsQueriesTest {
    private static final Instant START = Instant.parse("2016-01-01T00:00:00Z");
    private static final Instant END = Instant.parse("2016-01-13T00:00:00Z");
    private final DevopsQueries queries = new DevopsQueries(START, END, 100, 1);

    private String first(String name, Form form) {
        return queries.sequence(new QueryType(name, form), 1).getFirst();
    }

    /** A golden text: the parameter sequence of a seed must not change silently (results of runs are compared by seed). */
    @Test
    void singleGroupByForAFixedSeed() {
        assertEquals("SELECT time_bucket('60 seconds', time) AS minute, max(usage_user) as max_usage_user, max(usage_system) as"
                        + " max_usage_system, max(usage_idle) as max_usage_idle, max(usage_nice) as max_usage_nice, max(usage_iowait) as"
                        + " max_usage_iowait FROM cpu WHERE hostname IN ('host_2','host_42','host_62','host_36','host_58','host_81',"
                        + "'host_18','host_84') AND time >= '2016-01-07 21:32:41.898499 +0000' AND time < '2016-01-07 22:32:41.898499 +0000'"
                        + " GROUP BY minute ORDER BY minute ASC",
                first("single-groupby-5-8-1", Form.MULTI_NODE));
    }

    @Test
    void theTagsFormFindsTheSameHostsThroughTheTagsTable() {
        String multiNode = first("cpu-max-all-8", Form.MULTI_NODE);
        String tags = first("cpu-max-all-8", Form.TAGS);
        Matcher m = Pattern.compile("hostname IN \\(([^)]*)\\)").matcher(multiNode);
        assertTrue(m.find());
        assertEquals(multiNode.replace("hostname IN (" + m.group(1) + ")",
                "tags_id IN (SELECT id FROM tags WHERE hostname IN (" + m.group(1) + "))"), tags);
    }

    @Test
    void doubleGroupByJoinsTagsOnlyInTheTagsForm() {
        String multiNode = first("double-groupby-1", Form.MULTI_NODE);
        assertTrue(multiNode.startsWith("WITH cpu_avg AS (SELECT time_bucket('3600 seconds', time) as hour, hostname,"
                + " avg(usage_user) as mean_usage_user FROM cpu WHERE time >= '"), multiNode);
        assertTrue(multiNode.endsWith("GROUP BY hour, hostname) SELECT hour, hostname, mean_usage_user FROM cpu_avg ORDER BY hour, hostname"),
                multiNode);
        assertTrue(first("double-groupby-1", Form.TAGS).endsWith(
                "GROUP BY hour, tags_id) SELECT hour, tags.hostname, mean_usage_user FROM cpu_avg"
                        + " JOIN tags ON cpu_avg.tags_id = tags.id ORDER BY hour, tags.hostname"));
        assertEquals(10, first("double-groupby-all", Form.MULTI_NODE).split("avg\\(").length - 1);
    }

    @Test
    void lastpointAndGroupByOrderByLimitAreTsbsText() {
        assertEquals("SELECT DISTINCT ON (hostname) * FROM cpu ORDER BY hostname, time DESC", first("lastpoint", Form.MULTI_NODE));
        assertEquals("SELECT DISTINCT ON (t.hostname) * FROM tags t INNER JOIN LATERAL(SELECT * FROM cpu c WHERE c.tags_id = t.id"
                + " ORDER BY time DESC LIMIT 1) AS b ON true ORDER BY t.hostname, b.time DESC", first("lastpoint", Form.TAGS));
        assertTrue(first("groupby-orderby-limit", Form.MULTI_NODE).matches(
                "SELECT time_bucket\\('60 seconds', time\\) AS minute, max\\(usage_user\\) FROM cpu WHERE time < '[^']+'"
                        + " GROUP BY minute ORDER BY minute DESC LIMIT 5"));
        assertTrue(first("high-cpu-all", Form.MULTI_NODE).matches(
                "SELECT \\* FROM cpu WHERE usage_user > 90.0 and time >= '[^']+' AND time < '[^']+'"));
    }

    @Test
    void everyRunGetsFreshParametersInsideTheData() {
        Pattern times = Pattern.compile("time >= '([^']+)' AND time < '([^']+)'");
        for (QueryType type : QueryType.all()) {
            List<String> seq = queries.sequence(type, 5);
            assertEquals(seq, queries.sequence(type, 5), "deterministic: " + type);
            if (!type.name().equals("lastpoint")) assertNotEquals(seq.get(0), seq.get(1), type.label());
            for (String sql : seq) {
                Matcher m = times.matcher(sql);
                if (!m.find()) continue;
                Instant s = parse(m.group(1));
                Instant e = parse(m.group(2));
                assertTrue(!s.isBefore(START) && !e.isAfter(END) && s.isBefore(e), sql);
            }
        }
    }

    @Test
    void goTimeDropsTrailingZeros() {
        assertEquals("2016-01-01 00:00:00 +0000", DevopsQueries.goTime(START));
        assertEquals("2016-01-01 00:00:00.12 +0000", DevopsQueries.goTime(START.plusMillis(120)));
        assertEquals("2016-01-01 00:00:00.000001 +0000", DevopsQueries.goTime(START.plusNanos(1000)));
    }

    @Test
    void everyTypeInBothFormsExceptThoseWithoutHosts() {
        assertEquals(15 + 13, QueryType.all().size());
        assertTrue(QueryType.all().contains(new QueryType("lastpoint", Form.TAGS)));
        assertTrue(!QueryType.all().contains(new QueryType("high-cpu-all", Form.TAGS)));
    }

    @Test
    void theFilterSelectsByNameFormAndPrefix() {
        assertEquals(List.of(new QueryType("lastpoint", Form.MULTI_NODE), new QueryType("lastpoint", Form.TAGS)),
                QueryType.select("lastpoint"));
        assertEquals(List.of(new QueryType("lastpoint", Form.TAGS)), QueryType.select("lastpoint/tags"));
        assertEquals(6, QueryType.select("single-groupby-*/multi-node").size());
        assertEquals(13, QueryType.select("tags").size());
        assertEquals(28, QueryType.select(null).size());
        assertThrows(IllegalArgumentException.class, () -> QueryType.select("lastpoints"));
    }

    @Test
    void refusesTooFewHosts() {
        assertThrows(IllegalArgumentException.class, () -> new DevopsQueries(START, END, 7, 1));
    }

    private static Instant parse(String goTime) {
        return Instant.from(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSSSS][.SSSS][.SSS][.SS][.S] Z")
                .parse(goTime));
    }
}
