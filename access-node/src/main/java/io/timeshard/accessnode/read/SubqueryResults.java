package io.timeshard.accessnode.read;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one session's probes of local tables returned last ({@link LocalSubqueries#probe(String, Session,
 * List)}: an IN-subquery's values, a lateral join's outer values): probe SQL → its rows. The next
 * statement with the same probe starts its data nodes on these rows while the probe runs again, and is
 * planned again if they changed. Holds at most {@value #SIZE} probes of at most {@value #MAX_ROWS} rows
 * each (least recently used dropped). The session thread's own: not thread-safe.
 */
public final class SubqueryResults {
    private static final int SIZE = 256;
    private static final int MAX_ROWS = 1_000;

    private final Map<String, List<List<String>>> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<List<String>>> eldest) {
            return size() > SIZE;
        }
    };

    /** @return the rows {@code probe} returned last, or null */
    List<List<String>> get(String probe) {
        return kept.get(probe);
    }

    /**
     * Keeps the rows {@code probe} returned.
     *
     * @param rows its rows, or null when it failed (forgotten then, as are more than {@value #MAX_ROWS})
     */
    void put(String probe, List<List<String>> rows) {
        if (rows == null || rows.size() > MAX_ROWS) {
            kept.remove(probe);
        } else {
            kept.put(probe, rows);
        }
    }
}
