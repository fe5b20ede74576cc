package io.timeshard.catalog.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The chunks of one hypertable indexed by time slice start, for routing rows and for chunk
 * exclusion. Time slices of one hypertable never overlap (they are aligned to the chunk interval,
 * which does not change), so a point lookup costs a {@link TreeMap#floorEntry} plus a scan of the few
 * chunks (one per space slice) of that time slice, and a time range lookup costs a
 * {@link TreeMap#floorKey} plus the time slices it returns: O(log n + chunks returned).
 * Immutable: {@link #with(Chunk)} returns a new index, so readers never lock; thread-safe.
 */
public final class ChunkIndex {
    private final NavigableMap<Long, List<Chunk>> byTimeStart;
    private final int size;
    private final boolean replicated;

    private ChunkIndex(NavigableMap<Long, List<Chunk>> byTimeStart, int size, boolean replicated) {
        this.byTimeStart = byTimeStart;
        this.size = size;
        this.replicated = replicated;
    }

    /**
     * @param chunks the chunks of one hypertable, in any order; never null
     * @return an index holding {@code chunks}, built in O(n log n)
     */
    public static ChunkIndex of(List<Chunk> chunks) {
        TreeMap<Long, List<Chunk>> map = new TreeMap<>();
        boolean replicated = false;
        for (Chunk c : chunks) {
            map.computeIfAbsent(c.timeSlice().start(), k -> new ArrayList<>()).add(c);
            replicated |= c.dataNodes().size() > 1;
        }
        map.replaceAll((k, list) -> List.copyOf(list));
        return new ChunkIndex(map, chunks.size(), replicated);
    }

    /**
     * @param chunk a chunk of the same hypertable; never null
     * @return a new index with {@code chunk} added (copies the map: O(n), for chunk creation only)
     */
    public ChunkIndex with(Chunk chunk) {
        TreeMap<Long, List<Chunk>> copy = new TreeMap<>(byTimeStart);
        List<Chunk> list = new ArrayList<>(copy.getOrDefault(chunk.timeSlice().start(), List.of()));
        list.add(chunk);
        copy.put(chunk.timeSlice().start(), List.copyOf(list));
        return new ChunkIndex(copy, size + 1, replicated || chunk.dataNodes().size() > 1);
    }

    /**
     * @param time      internal time value
     * @param spaceHash 31-bit space hash, ignored without a space dimension
     * @return the chunk whose hypercube holds the point, or null
     */
    public Chunk find(long time, int spaceHash) {
        // Time slices of one hypertable do not overlap, so only the greatest start ≤ time can match.
        Map.Entry<Long, List<Chunk>> e = byTimeStart.floorEntry(time);
        if (e == null) return null;
        for (Chunk c : e.getValue()) {
            if (c.contains(time, spaceHash)) return c;
        }
        return null;
    }

    /**
     * The chunks whose time slice {@code [start, end)} shares a value with {@code [timeLow,
     * timeHighInclusive]}, i.e. {@code end > timeLow && start <= timeHighInclusive}. Costs
     * O(log n + chunks returned).
     *
     * @param timeLow           lowest internal time value of the range (inclusive); {@code Long.MIN_VALUE}
     *                          for no lower bound
     * @param timeHighInclusive highest internal time value of the range (inclusive); {@code Long.MAX_VALUE}
     *                          for no upper bound
     * @return those chunks ordered by time slice, a new mutable list; empty when {@code timeLow >
     *         timeHighInclusive}
     */
    public List<Chunk> overlapping(long timeLow, long timeHighInclusive) {
        List<Chunk> out = new ArrayList<>();
        if (timeLow > timeHighInclusive) return out;
        // only the slice starting at or before timeLow can begin below the range and still reach into it
        Long floor = byTimeStart.floorKey(timeLow);
        long from = floor == null ? timeLow : floor;
        for (List<Chunk> slice : byTimeStart.subMap(from, true, timeHighInclusive, true).values()) {
            for (Chunk c : slice) {
                if (c.timeSlice().end() > timeLow) out.add(c);
            }
        }
        return out;
    }

    /** @return the chunks of the time slice starting at {@code timeStart}, possibly empty */
    public List<Chunk> inTimeSlice(long timeStart) {
        return byTimeStart.getOrDefault(timeStart, List.of());
    }

    /** @return every chunk, ordered by time slice; O(n), a new list */
    public List<Chunk> all() {
        List<Chunk> out = new ArrayList<>(size);
        byTimeStart.values().forEach(out::addAll);
        return out;
    }

    /** @return the number of chunks */
    public int size() {
        return size;
    }

    /**
     * @return true when some chunk has more than one replica data node (then a node's root holds
     *         replicas that are read from another node); O(1)
     */
    public boolean replicated() {
        return replicated;
    }
}
