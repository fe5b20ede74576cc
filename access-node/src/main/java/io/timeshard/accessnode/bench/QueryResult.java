package io.timeshard.accessnode.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The measurements of one query type on both sides.
 *
 * @param type          the query type; never null
 * @param clusterMillis the counted runs on the cluster (warm-up excluded), in ms; empty if it timed out or failed
 * @param singleMillis  the counted runs on the single server, in ms; empty if it timed out or failed
 * @param clusterIssue  why the cluster has no numbers ("timeout > 60 s", an error); null if it has
 * @param singleIssue   why the single server has no numbers; null if it has
 * @param check         the result comparison of the first query: null if both returned the same
 *                      rows, otherwise what differs or why nothing was compared
 * @param rows          rows the first query returned on the single server (-1 if unknown)
 */
public record QueryResult(QueryType type, List<Double> clusterMillis, List<Double> singleMillis,
                          String clusterIssue, String singleIssue, String check, int rows) {
    public QueryResult {
        Objects.requireNonNull(type, "type");
        clusterMillis = List.copyOf(clusterMillis);
        singleMillis = List.copyOf(singleMillis);
    }

    /** Queries at least this fast on the single server get the absolute allowance instead of the ratio. */
    static final double FAST_SINGLE_MS = 2.0;
    static final double RATIO_TARGET = 1.3;
    static final double FAST_ALLOWANCE_MS = 0.5;

    double clusterMedian() {
        return percentile(clusterMillis, 50);
    }

    double singleMedian() {
        return percentile(singleMillis, 50);
    }

    double clusterP90() {
        return percentile(clusterMillis, 90);
    }

    double singleP90() {
        return percentile(singleMillis, 90);
    }

    /** @return median cluster / median single; NaN when a side has no numbers */
    double ratio() {
        return clusterMedian() / singleMedian();
    }

    /**
     * The read target: the cluster's median at most 1.3× the single server's, or at most 0.5 ms more
     * where the single server takes under 2 ms; and the same rows on both sides.
     */
    boolean targetMet() {
        if (clusterMillis.isEmpty() || singleMillis.isEmpty() || check != null) return false;
        double c = clusterMedian();
        double s = singleMedian();
        return c <= RATIO_TARGET * s || (s < FAST_SINGLE_MS && c <= s + FAST_ALLOWANCE_MS);
    }

    /**
     * @param p a percentile in (0, 100]
     * @return the nearest-rank percentile (the median of an even count is the mean of the middle two); NaN if empty
     */
    static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) return Double.NaN;
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (p == 50 && v.length % 2 == 0) return (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, rank - 1)];
    }

    @Override
    public String toString() {
        return type.label() + " cluster=" + Arrays.toString(clusterMillis.toArray()) + " single=" + Arrays.toString(singleMillis.toArray());
    }
}
