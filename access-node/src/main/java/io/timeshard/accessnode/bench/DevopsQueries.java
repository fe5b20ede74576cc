package io.timeshard.accessnode.bench;

import io.timeshard.accessnode.bench.QueryType.Form;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.StringJoiner;

/**
 * The SQL of every TSBS devops query type (TSBS {@code cmd/tsbs_generate_queries/databases/timescaledb/devops.go}
 * with {@code --timescale-use-time-bucket=true}; {@code shared/reference/tsbs-devops.md} §A3), with
 * parameters drawn as TSBS draws them: a window's start uniform in {@code [start, end − window)} at
 * microsecond precision, hosts distinct and uniform.
 *
 * <p>Host filter of the multi-node form: {@code hostname IN ('host_3','host_7')} (TSBS itself writes
 * the equivalent {@code (hostname = 'host_3' OR hostname = 'host_7')}).
 *
 * <p>Parameters come from one {@link Random} per query type name, seeded from the bench seed and the
 * name, so a type's sequence does not depend on which other types run, and the two forms of a type
 * get the same windows and hosts. Immutable and thread-safe.
 */
public final class DevopsQueries {
    private static final DateTimeFormatter GO_TIME = // Go's "2006-01-02 15:04:05.999999 -0700", fraction added below
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MAX_ALL = Duration.ofHours(8);
    private static final Duration DOUBLE_GROUP_BY = Duration.ofHours(12);
    private static final Duration HIGH_CPU = Duration.ofHours(12);

    private final Instant start;
    private final Instant end;
    private final int hosts;
    private final long seed;

    /**
     * @param start the data's first timestamp; never null
     * @param end   the data's end, exclusive, at least 12 h after start; never null
     * @param hosts number of hosts, at least 8 (the largest host set TSBS draws)
     * @param seed  the bench seed
     */
    public DevopsQueries(Instant start, Instant end, int hosts, long seed) {
        this.start = Objects.requireNonNull(start, "start");
        this.end = Objects.requireNonNull(end, "end");
        if (Duration.between(start, end).compareTo(DOUBLE_GROUP_BY) <= 0) {
            throw new IllegalArgumentException("the data must span more than 12 hours for TSBS's windows");
        }
        if (hosts < 8) throw new IllegalArgumentException("the queries need at least 8 hosts, there are " + hosts);
        this.hosts = hosts;
        this.seed = seed;
    }

    /**
     * @param type  the query type; never null
     * @param count how many queries
     * @return the first {@code count} queries of the type's sequence, each with fresh parameters
     */
    public List<String> sequence(QueryType type, int count) {
        Random rng = new Random(seed * 1_000_003L + type.name().hashCode());
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(sql(type, rng));
        return out;
    }

    /** @return one query of the type with parameters drawn from {@code rng} */
    String sql(QueryType type, Random rng) {
        boolean tags = type.form() == Form.TAGS;
        String name = type.name();
        if (name.startsWith("single-groupby-")) {
            String[] mht = name.substring("single-groupby-".length()).split("-");
            return groupByTime(rng, tags, Integer.parseInt(mht[1]), Integer.parseInt(mht[0]),
                    Duration.ofHours(Integer.parseInt(mht[2])));
        }
        return switch (name) {
            case "cpu-max-all-1" -> maxAllCpu(rng, tags, 1);
            case "cpu-max-all-8" -> maxAllCpu(rng, tags, 8);
            case "double-groupby-1" -> doubleGroupBy(rng, tags, 1);
            case "double-groupby-5" -> doubleGroupBy(rng, tags, 5);
            case "double-groupby-all" -> doubleGroupBy(rng, tags, DevopsGenerator.FIELDS.size());
            case "high-cpu-1" -> highCpu(rng, tags, 1);
            case "high-cpu-all" -> highCpu(rng, tags, 0);
            case "lastpoint" -> lastPoint(tags);
            case "groupby-orderby-limit" -> groupByOrderByLimit(rng);
            default -> throw new IllegalArgumentException("unknown TSBS devops query type " + name);
        };
    }

    private String groupByTime(Random rng, boolean tags, int nHosts, int nMetrics, Duration window) {
        Instant[] w = randWindow(rng, window);
        return "SELECT time_bucket('60 seconds', time) AS minute, " + aggregates("max", nMetrics)
                + " FROM cpu WHERE " + hostFilter(rng, tags, nHosts) + " AND time >= '" + goTime(w[0])
                + "' AND time < '" + goTime(w[1]) + "' GROUP BY minute ORDER BY minute ASC";
    }

    private String maxAllCpu(Random rng, boolean tags, int nHosts) {
        Instant[] w = randWindow(rng, MAX_ALL);
        return "SELECT time_bucket('3600 seconds', time) AS hour, " + aggregates("max", DevopsGenerator.FIELDS.size())
                + " FROM cpu WHERE " + hostFilter(rng, tags, nHosts) + " AND time >= '" + goTime(w[0])
                + "' AND time < '" + goTime(w[1]) + "' GROUP BY hour ORDER BY hour";
    }

    private String doubleGroupBy(Random rng, boolean tags, int nMetrics) {
        Instant[] w = randWindow(rng, DOUBLE_GROUP_BY);
        StringJoiner avgs = new StringJoiner(", ");
        StringJoiner means = new StringJoiner(", ");
        for (String m : DevopsGenerator.FIELDS.subList(0, nMetrics)) {
            avgs.add("avg(" + m + ") as mean_" + m);
            means.add("mean_" + m);
        }
        String key = tags ? "tags_id" : "hostname";
        String hostname = tags ? "tags.hostname" : "hostname";
        return "WITH cpu_avg AS (SELECT time_bucket('3600 seconds', time) as hour, " + key + ", " + avgs
                + " FROM cpu WHERE time >= '" + goTime(w[0]) + "' AND time < '" + goTime(w[1]) + "' GROUP BY hour, " + key
                + ") SELECT hour, " + hostname + ", " + means + " FROM cpu_avg"
                + (tags ? " JOIN tags ON cpu_avg.tags_id = tags.id" : "") + " ORDER BY hour, " + hostname;
    }

    private String highCpu(Random rng, boolean tags, int nHosts) {
        Instant[] w = randWindow(rng, HIGH_CPU);
        return "SELECT * FROM cpu WHERE usage_user > 90.0 and time >= '" + goTime(w[0]) + "' AND time < '" + goTime(w[1])
                + "'" + (nHosts == 0 ? "" : " AND " + hostFilter(rng, tags, nHosts));
    }

    private static String lastPoint(boolean tags) {
        return tags
                ? "SELECT DISTINCT ON (t.hostname) * FROM tags t INNER JOIN LATERAL(SELECT * FROM cpu c"
                        + " WHERE c.tags_id = t.id ORDER BY time DESC LIMIT 1) AS b ON true ORDER BY t.hostname, b.time DESC"
                : "SELECT DISTINCT ON (hostname) * FROM cpu ORDER BY hostname, time DESC";
    }

    private String groupByOrderByLimit(Random rng) {
        Instant[] w = randWindow(rng, HOUR);
        return "SELECT time_bucket('60 seconds', time) AS minute, max(usage_user) FROM cpu WHERE time < '"
                + goTime(w[1]) + "' GROUP BY minute ORDER BY minute DESC LIMIT 5";
    }

    private static String aggregates(String agg, int nMetrics) {
        StringJoiner j = new StringJoiner(", ");
        for (String m : DevopsGenerator.FIELDS.subList(0, nMetrics)) j.add(agg + "(" + m + ") as " + agg + "_" + m);
        return j.toString();
    }

    private String hostFilter(Random rng, boolean tags, int nHosts) {
        StringJoiner names = new StringJoiner(",");
        for (int h : randomHosts(rng, nHosts)) names.add("'host_" + h + "'");
        return tags ? "tags_id IN (SELECT id FROM tags WHERE hostname IN (" + names + "))" : "hostname IN (" + names + ")";
    }

    /** {@code n} distinct hosts, uniform: the first n of a partial Fisher–Yates shuffle. */
    private int[] randomHosts(Random rng, int n) {
        int[] ids = new int[hosts];
        for (int i = 0; i < hosts; i++) ids[i] = i;
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(hosts - i);
            int t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        int[] out = new int[n];
        System.arraycopy(ids, 0, out, 0, n);
        return out;
    }

    /** TSBS's {@code RandWindow}: start uniform in {@code [start, end − window)}; returns {start, start + window}. */
    private Instant[] randWindow(Random rng, Duration window) {
        long spanMicros = Duration.between(start, end).minus(window).toNanos() / 1000;
        Instant s = start.plusNanos(rng.nextLong(spanMicros) * 1000);
        return new Instant[] {s, s.plus(window)};
    }

    /** Go's {@code 2006-01-02 15:04:05.999999 -0700}: microseconds without trailing zeros, UTC. */
    static String goTime(Instant t) {
        StringBuilder sb = new StringBuilder(GO_TIME.format(t));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            String f = String.format("%06d", micros).replaceAll("0+$", "");
            sb.append('.').append(f);
        }
        return sb.append(" +0000").toString();
    }
}
