package io.timeshard.accessnode.read;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one session's probes of local tables returned last ({@link LocalSubqueries#probe(String, Session,
 * List)}: an IN-subquery's values, a lateral join's outer values): probe SQL → its rows. The next
 * statement with the same probe starts its data nodes on these rows while the probe runs again, and is
 * planned again if they changed. Holds at most {@value #MAX_ROWS} rows in all, of probes of at most
 * {@value #MAX_PROBE_ROWS} rows (least recently used dropped first), so a session keeps well under a
 * megabyte. The session thread's own: not thread-safe.
 */
public final class SubqueryResults {
    private static final int MAX_ROWS = 10_000;
    private static final int MAX_PROBE_ROWS = 1_000;
    /** Stale checks in a row after which a probe is no longer answered from its kept rows. */
    private static final int MAX_STALE = 2;

    /**
     * A probe's kept rows, and how many of its checks in a row found them changed.
     *
     * @param rows  the rows it returned last
     * @param raw   the same as the DataRow messages' bodies, or null when not kept
     * @param stale the checks in a row that found other rows (0 after one that found the same)
     */
    private record Entry(List<List<String>> rows, List<byte[]> raw, int stale) {}

    /** In access order: the least recently used first. */
    private final Map<String, Entry> kept = new LinkedHashMap<>(16, 0.75f, true);
    private int rows;
    /** Probes run by this statement's check, whose rows its retry takes instead of running them again. */
    private final Map<String, List<List<String>>> fresh = new java.util.HashMap<>();

    /**
     * @return the rows {@code probe} returned last, to answer it with; null when none are kept or its last
     *         {@value #MAX_STALE} checks all found other rows (a subquery whose answer changes every time,
     *         such as one calling {@code random()}: answering it from kept rows would only start reads to
     *         abandon)
     */
    List<List<String>> get(String probe) {
        Entry e = kept.get(probe);
        return e == null || e.stale() >= MAX_STALE ? null : e.rows();
    }

    /** @return the DataRow bodies of the rows {@link #get} gives, or null when not kept */
    List<byte[]> raw(String probe) {
        Entry e = kept.get(probe);
        return e == null ? null : e.raw();
    }

    /**
     * Keeps the rows {@code probe} returned; its count of stale checks stays.
     *
     * @param rows its rows, or null when it failed (forgotten then, as are more than {@value #MAX_PROBE_ROWS})
     * @param raw  the same as DataRow bodies (a check compares those), or null
     */
    void put(String probe, List<List<String>> rows, List<byte[]> raw) {
        Entry before = kept.remove(probe);
        if (before != null) this.rows -= before.rows().size();
        if (rows == null || rows.size() > MAX_PROBE_ROWS) return;
        kept.put(probe, new Entry(rows, raw, before == null ? 0 : before.stale()));
        this.rows += rows.size();
        for (Iterator<Entry> eldest = kept.values().iterator(); this.rows > MAX_ROWS && eldest.hasNext(); ) {
            this.rows -= eldest.next().rows().size();
            eldest.remove();
        }
    }

    /** Records a check of {@code probe}: whether it found the rows kept before it. */
    void checked(String probe, boolean same) {
        Entry e = kept.get(probe);
        if (e != null) kept.put(probe, new Entry(e.rows(), e.raw(), same ? 0 : e.stale() + 1));
    }

    /** Marks {@code rows} as what {@code probe} returned in the statement running now ({@link #takeFresh}). */
    void markFresh(String probe, List<List<String>> rows) {
        fresh.put(probe, rows);
    }

    /**
     * @return the rows {@code probe} returned earlier in the statement running now, once; null when it did
     *         not run in it (so each probe runs once per statement, even when a changed answer makes the
     *         statement planned again)
     */
    List<List<String>> takeFresh(String probe) {
        return fresh.remove(probe);
    }

    /** Forgets the rows of this statement's probes: called when the statement's read has ended. */
    void clearFresh() {
        fresh.clear();
    }

    /** @return the number of probes kept */
    int size() {
        return kept.size();
    }
}
