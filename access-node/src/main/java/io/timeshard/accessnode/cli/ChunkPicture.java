package io.timeshard.accessnode.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Draws where the chunks of a hypertable live: one line per data node, one column per time slice,
 * a block per chunk shaded by its size on that node (from {@code timescaledb_information.chunks}
 * and {@code chunks_detailed_size}).
 */
final class ChunkPicture {
    private static final char[] SHADES = {'·', '░', '▒', '▓', '█'};

    private ChunkPicture() {}

    static void print(Connection c, String hypertable) throws SQLException {
        Map<String, String> sliceOf = new LinkedHashMap<>();
        TreeSet<String> slices = new TreeSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT chunk_name, range_start::date::text FROM timescaledb_information.chunks WHERE hypertable_name = '"
                        + hypertable + "' ORDER BY range_start, chunk_name")) {
            while (rs.next()) {
                sliceOf.put(rs.getString(1), rs.getString(2));
                slices.add(rs.getString(2));
            }
        }
        Map<String, Map<String, Long>> bytes = new TreeMap<>();
        long max = 1;
        long totalChunks = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT chunk_name, node_name, total_bytes FROM chunks_detailed_size('" + hypertable + "')")) {
            while (rs.next()) {
                String slice = sliceOf.get(rs.getString(1));
                if (slice == null) continue;
                bytes.computeIfAbsent(rs.getString(2), k -> new TreeMap<>()).merge(slice, rs.getLong(3), Long::sum);
                max = Math.max(max, rs.getLong(3));
                totalChunks++;
            }
        }
        List<String> cols = new ArrayList<>(slices);
        System.out.println();
        System.out.printf("Where the %d chunks of %s live (one column per week from %s to %s; shade = size, █ ≈ %.1f MB):%n",
                totalChunks, hypertable, cols.isEmpty() ? "-" : cols.getFirst(), cols.isEmpty() ? "-" : cols.getLast(), max / 1e6);
        for (Map.Entry<String, Map<String, Long>> node : bytes.entrySet()) {
            StringBuilder sb = new StringBuilder(String.format("  %-5s ", node.getKey()));
            long sum = 0;
            for (String slice : cols) {
                Long b = node.getValue().get(slice);
                if (b == null) {
                    sb.append(' ');
                } else {
                    sum += b;
                    sb.append(SHADES[(int) Math.min(SHADES.length - 1, Math.round((double) b / max * (SHADES.length - 1)))]);
                }
            }
            System.out.println(sb + String.format("  %,.1f MB", sum / 1e6));
        }
    }
}
